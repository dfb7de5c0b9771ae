/**
 * The workloads KAITO's Workspace reconciler applies (`pkg/workspace/
 * controllers/workspace_controller.go`, `applyTuning`/`applyInference`): the
 * tuning Job with its config copy and output record, or the inference
 * StatefulSet and Services, at the workspace's revision.
 */
import type { KubeObject, ObjectStore } from '../../kube/api';
import {
  createIfAbsent,
  deleteIfPresent,
  mutateObject,
} from '../../wiring/objectUpdates';
import { findSku, resolvePreset } from '../catalog';
import { ANNOTATION_REVISION } from '../constants';
import { gpuConfigFromNodeLabels } from '../gpuConfig';
import { isNodeReady } from '../nodeReadiness';
import { type Workspace } from '../workspace';
import {
  headlessService,
  inferenceService,
  inferenceStatefulSet,
} from '../workloads/inferenceWorkload';
import { tuningJobManifest } from '../workloads/tuningJob';
import {
  ANNOTATION_TUNING_OUTPUT,
  tuningOutputRef,
} from '../workloads/tuningOutput';
import { refOf } from './workspaceWrites';

const PODS = { group: '', plural: 'pods' };
const JOBS = { group: 'batch', plural: 'jobs' };
const STATEFULSETS = { group: 'apps', plural: 'statefulsets' };
const SERVICES = { group: '', plural: 'services' };
const CONFIGMAPS = { group: '', plural: 'configmaps' };

export class WorkspaceWorkloads {
  constructor(
    private readonly deps: {
      store: ObjectStore;
      releaseNamespace: string;
      /** The nodes matching the workspace's label selector. */
      matchingNodes: (ws: Workspace) => KubeObject[];
    },
  ) {}

  private revisionOf(ws: Workspace): string {
    return ws.metadata.annotations?.[ANNOTATION_REVISION] ?? '1';
  }

  async applyTuning(ws: Workspace): Promise<void> {
    const preset = resolvePreset(ws.tuning?.preset?.name);
    if (!preset) return;
    const sku = findSku(ws.resource?.instanceType);
    if (!sku)
      throw new Error(
        `Unsupported SKU '${
          ws.resource?.instanceType ?? ''
        }' for cloud provider`,
      );
    await this.ensureConfigCopy(
      ws,
      ws.tuning?.config,
      ws.tuning?.method?.toLowerCase() === 'lora'
        ? 'lora-params-template'
        : 'qlora-params-template',
    );
    const ref = {
      ...JOBS,
      namespace: ws.metadata.namespace,
      name: ws.metadata.name,
    };
    const existing = this.deps.store.get(ref);
    const revision = this.revisionOf(ws);
    if (
      existing &&
      existing.metadata.annotations?.[ANNOTATION_REVISION] === revision
    ) {
      await this.recordTuningOutput(ws, existing);
      return;
    }
    if (existing) {
      await deleteIfPresent(this.deps.store, ref, {
        propagationPolicy: 'Foreground',
      });
      if (this.deps.store.get(ref)) return; // wait for the old Job to go
    }
    await createIfAbsent(
      this.deps.store,
      tuningJobManifest(ws, preset, sku, revision),
    );
  }

  private async recordTuningOutput(
    ws: Workspace,
    job: KubeObject,
  ): Promise<void> {
    const succeeded =
      ((job.status as { succeeded?: number } | undefined)?.succeeded ?? 0) > 0;
    const output = tuningOutputRef(ws);
    if (
      !succeeded ||
      !output ||
      ws.metadata.annotations?.[ANNOTATION_TUNING_OUTPUT] === output
    )
      return;
    await mutateObject(this.deps.store, refOf(ws), obj => {
      obj.metadata.annotations = {
        ...obj.metadata.annotations,
        [ANNOTATION_TUNING_OUTPUT]: output,
      };
    });
  }

  /** `EnsureConfigOrCopyFromDefault`: the release-namespace template is copied next to the workspace. */
  private async ensureConfigCopy(
    ws: Workspace,
    configured: string | undefined,
    template: string,
  ): Promise<void> {
    if (configured) return;
    const namespace = ws.metadata.namespace ?? 'default';
    if (this.deps.store.get({ ...CONFIGMAPS, namespace, name: template }))
      return;
    const source = this.deps.store.get({
      ...CONFIGMAPS,
      namespace: this.deps.releaseNamespace,
      name: template,
    });
    if (!source) return;
    await createIfAbsent(this.deps.store, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: template, namespace },
      data: source.data,
    });
  }

  async applyInference(ws: Workspace): Promise<void> {
    const preset = resolvePreset(ws.inference?.preset?.name);
    const namespace = ws.metadata.namespace;
    if (
      !this.deps.store.get({ ...SERVICES, namespace, name: ws.metadata.name })
    ) {
      await createIfAbsent(this.deps.store, inferenceService(ws));
    }
    if (
      !this.deps.store.get({
        ...SERVICES,
        namespace,
        name: `${ws.metadata.name}-headless`,
      })
    ) {
      await createIfAbsent(this.deps.store, headlessService(ws));
    }
    if (!preset) return; // custom templates are not simulated
    await this.ensureConfigCopy(
      ws,
      ws.inference?.config,
      'inference-params-template',
    );
    const gpus = this.gpusPerNode(ws);
    const revision = this.revisionOf(ws);
    const desired = inferenceStatefulSet(
      ws,
      preset,
      gpus,
      ws.status?.targetNodeCount ?? 1,
      revision,
    );
    const ref = {
      ...STATEFULSETS,
      namespace: ws.metadata.namespace,
      name: ws.metadata.name,
    };
    const existing = this.deps.store.get(ref);
    if (!existing) {
      await createIfAbsent(this.deps.store, desired);
      return;
    }
    if (existing.metadata.annotations?.[ANNOTATION_REVISION] === revision)
      return;
    // Adapters or config changed: update the pod template, as KAITO does.
    await mutateObject(this.deps.store, ref, obj => {
      obj.metadata.annotations = {
        ...obj.metadata.annotations,
        [ANNOTATION_REVISION]: revision,
      };
      obj.spec = {
        ...(obj.spec as object),
        template: (desired.spec as { template: unknown }).template,
      };
    });
    // The StatefulSet rolls its pod: delete it so the new template is used.
    await deleteIfPresent(this.deps.store, {
      ...PODS,
      namespace: ws.metadata.namespace,
      name: `${ws.metadata.name}-0`,
    });
  }

  private gpusPerNode(ws: Workspace): number {
    const sku = findSku(ws.resource?.instanceType);
    if (sku) return sku.gpuCount;
    const node = this.deps.matchingNodes(ws).find(isNodeReady);
    const parsed = node ? gpuConfigFromNodeLabels(node) : undefined;
    return parsed && 'config' in parsed ? parsed.config.gpuCount : 1;
  }
}
