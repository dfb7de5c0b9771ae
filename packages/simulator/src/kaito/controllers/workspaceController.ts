import type { SimClock } from '../../clock';
import type { KubeObject, ObjectStore, WatchEvent } from '../../kube/api';
import type { RecordEvent } from '../../wiring/eventRecorder';
import { deleteIfPresent, mutateObject } from '../../wiring/objectUpdates';
import { watchObjects } from '../../wiring/watchObjects';
import { WorkQueue, type ReconcileResult } from '../../wiring/workQueue';
import { findSku, resolvePreset, targetNodeCount } from '../catalog';
import {
  Condition,
  LABEL_WORKSPACE,
  LABEL_WORKSPACE_NAMESPACE,
  NODECLAIM_KEY,
  WORKSPACE_FINALIZER,
  WORKSPACE_KEY,
  type NodeProvisioner,
} from '../constants';

import { hasLabels, toSelectorString } from '../labelSelector';
import { generateNodeClaimName, nodeClaimManifest } from '../nodeClaimManifest';
import { isNodeReady } from '../nodeReadiness';
import {
  runtimeOf,
  workspaceKey,
  type MetaCondition,
  type Workspace,
} from '../workspace';

import { removeCondition, setCondition } from './conditions';
import { nodeSnapshot, type ConditionValue } from './nodeStatus';
import { nextRevisionAnnotations } from './revision';
import { inferenceStatus, tuningStatus } from './workloadStatus';
import { WorkspaceWorkloads } from './workspaceWorkloads';
import { refOf, writeWorkspaceStatus } from './workspaceWrites';

const NODES = { group: '', plural: 'nodes' };
const PODS = { group: '', plural: 'pods' };
const JOBS = { group: 'batch', plural: 'jobs' };
const STATEFULSETS = { group: 'apps', plural: 'statefulsets' };

export interface WorkspaceControllerDeps {
  store: ObjectStore;
  clock: SimClock;
  nodeProvisioner: NodeProvisioner;
  releaseNamespace: string;
  record: RecordEvent;
}

/**
 * KAITO's Workspace reconciler (`pkg/workspace/controllers/
 * workspace_controller.go`), driven by watches on Workspaces and everything
 * they own or depend on. Each pass: finalizer, revision, targetNodeCount,
 * nodes (NodeClaims with NAP), then the tuning Job or the inference
 * StatefulSet and Services; the status is recomputed from live objects at
 * the end of every pass, reconcile errors included, as KAITO does.
 */
export class WorkspaceController {
  private readonly queue: WorkQueue;
  private readonly stops: (() => void)[] = [];

  private readonly workloads: WorkspaceWorkloads;

  constructor(private readonly deps: WorkspaceControllerDeps) {
    this.workloads = new WorkspaceWorkloads({
      store: deps.store,
      releaseNamespace: deps.releaseNamespace,
      matchingNodes: ws => this.matchingNodes(ws),
    });
    this.queue = new WorkQueue('workspace-controller', deps.clock, key =>
      this.reconcile(key),
    );
  }

  start(): void {
    const { store } = this.deps;
    const byLabels = (e: WatchEvent) => {
      const labels = e.object.metadata.labels ?? {};
      const name = labels[LABEL_WORKSPACE];
      if (name) {
        this.queue.add(
          `${
            labels[LABEL_WORKSPACE_NAMESPACE] ?? e.object.metadata.namespace
          }/${name}`,
        );
      }
    };
    this.stops.push(
      watchObjects(store, WORKSPACE_KEY, e =>
        this.queue.add(workspaceKey(e.object)),
      ),
      watchObjects(store, NODECLAIM_KEY, byLabels),
      watchObjects(store, JOBS, byLabels),
      watchObjects(store, STATEFULSETS, e => {
        const owner = e.object.metadata.ownerReferences?.find(
          r => r.kind === 'Workspace',
        );
        if (owner)
          this.queue.add(`${e.object.metadata.namespace}/${owner.name}`);
      }),
      watchObjects(store, PODS, byLabels),
      watchObjects(store, NODES, () => this.enqueueAll()),
    );
  }

  stop(): void {
    this.stops.forEach(stop => stop());
    this.queue.stop();
  }

  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  private enqueueAll(): void {
    for (const ws of this.deps.store.list(WORKSPACE_KEY).items)
      this.queue.add(workspaceKey(ws));
  }

  private get(key: string): Workspace | undefined {
    const [namespace, name] = key.split('/');
    return this.deps.store.get({ ...WORKSPACE_KEY, namespace, name }) as
      | Workspace
      | undefined;
  }

  private async reconcile(key: string): Promise<ReconcileResult> {
    let ws = this.get(key);
    if (!ws) return undefined;
    let error: unknown;
    let result: ReconcileResult;
    try {
      if (ws.metadata.deletionTimestamp) {
        await this.garbageCollect(ws);
        return undefined;
      }
      ws = await this.ensureFinalizerAndRevision(ws);
      ws = await this.ensureTargetNodeCount(ws);
      if (await this.nodesReady(ws)) {
        if (ws.tuning) await this.workloads.applyTuning(ws);
        if (ws.inference) await this.workloads.applyInference(ws);
      }
    } catch (e) {
      error = e;
    } finally {
      result = await this.syncStatus(key, error);
    }
    if (error) throw error;
    return result;
  }

  private async ensureFinalizerAndRevision(ws: Workspace): Promise<Workspace> {
    const needsFinalizer = !(ws.metadata.finalizers ?? []).includes(
      WORKSPACE_FINALIZER,
    );
    const annotations = nextRevisionAnnotations(ws);
    if (!needsFinalizer && !annotations) return ws;
    const updated = await mutateObject(this.deps.store, refOf(ws), obj => {
      if (
        needsFinalizer &&
        !(obj.metadata.finalizers ?? []).includes(WORKSPACE_FINALIZER)
      ) {
        obj.metadata.finalizers = [
          ...(obj.metadata.finalizers ?? []),
          WORKSPACE_FINALIZER,
        ];
      }
      const next = nextRevisionAnnotations(obj as Workspace);
      if (next) obj.metadata.annotations = next;
      return undefined;
    });
    return (updated as Workspace | undefined) ?? ws;
  }

  /** `UpdateWorkspaceTargetNodeCount`: computed once. */
  private async ensureTargetNodeCount(ws: Workspace): Promise<Workspace> {
    if ((ws.status?.targetNodeCount ?? 0) > 0) return ws;
    const count = this.computeTargetNodeCount(ws);
    const updated = await mutateObject(
      this.deps.store,
      refOf(ws),
      obj => {
        obj.status = {
          ...((obj.status as object) ?? {}),
          targetNodeCount: count,
        };
      },
      { status: true },
    );
    return (updated as Workspace | undefined) ?? ws;
  }

  private computeTargetNodeCount(ws: Workspace): number {
    if (ws.tuning) return 1;
    const preset = resolvePreset(ws.inference?.preset?.name);
    const requested = ws.resource?.count ?? 1;
    if (!preset) return requested;
    const sku =
      this.deps.nodeProvisioner === 'byo'
        ? findSku(
            this.matchingNodes(ws).find(isNodeReady)?.metadata.labels?.[
              'node.kubernetes.io/instance-type'
            ],
          )
        : findSku(ws.resource?.instanceType);
    if (!sku) {
      if (this.deps.nodeProvisioner === 'byo') return requested;
      throw new Error(
        `Unsupported SKU '${
          ws.resource?.instanceType ?? ''
        }' for cloud provider`,
      );
    }
    return targetNodeCount(preset, sku, 'inference', {
      runtime: runtimeOf(ws),
      requestedCount: requested,
    });
  }

  private matchingNodes(ws: Workspace): KubeObject[] {
    const labels = ws.resource?.labelSelector?.matchLabels ?? {};
    return this.deps.store
      .list(NODES)
      .items.filter(n => hasLabels(n.metadata.labels, labels));
  }

  private nodeClaimsOf(ws: Workspace): KubeObject[] {
    return this.deps.store.list({
      ...NODECLAIM_KEY,
      labelSelector: toSelectorString({
        [LABEL_WORKSPACE]: ws.metadata.name,
        [LABEL_WORKSPACE_NAMESPACE]: ws.metadata.namespace ?? 'default',
      }),
    }).items;
  }

  private snapshot(ws: Workspace) {
    return nodeSnapshot(ws, {
      nodes: this.deps.store.list(NODES).items,
      nodeClaims: this.nodeClaimsOf(ws),
      nodeProvisioner: this.deps.nodeProvisioner,
    });
  }

  /** `reconcileNodes`: create missing NodeClaims (NAP), then report readiness. */
  private async nodesReady(ws: Workspace): Promise<boolean> {
    const snapshot = this.snapshot(ws);
    if (snapshot.nodeClaimRequired) {
      const existing = this.nodeClaimsOf(ws).filter(
        nc => !nc.metadata.deletionTimestamp,
      );
      const toCreate = snapshot.nodeClaimsNeeded - existing.length;
      for (let i = 0; i < toCreate; i++) {
        const name = generateNodeClaimName(ws, this.deps.clock.now());
        try {
          await this.deps.store.create(nodeClaimManifest(ws, name));
          void this.deps.record(
            ws,
            'Normal',
            'NodeClaimCreated',
            `Successfully created NodeClaim ${name} for workspace ${workspaceKey(
              ws,
            )}`,
          );
        } catch (e) {
          void this.deps.record(
            ws,
            'Warning',
            'NodeClaimCreationFailed',
            `Failed to create NodeClaim ${name} for workspace ${
              ws.metadata.name
            }: ${(e as Error).message}`,
          );
        }
      }
    }
    return snapshot.resourceReady.status === 'True';
  }

  private async garbageCollect(ws: Workspace): Promise<void> {
    await writeWorkspaceStatus(this.deps.store, ws, status => ({
      ...status,
      conditions: setCondition(
        status.conditions ?? [],
        {
          type: Condition.WorkspaceDeleting,
          status: 'True',
          reason: 'workspaceDeleted',
          message: 'workspace is being deleted',
          observedGeneration: ws.metadata.generation,
        },
        this.deps.clock.now(),
      ),
    }));
    const claims = this.nodeClaimsOf(ws);
    for (const claim of claims.filter(c => !c.metadata.deletionTimestamp)) {
      await deleteIfPresent(this.deps.store, {
        ...NODECLAIM_KEY,
        name: claim.metadata.name,
      });
    }
    if (this.nodeClaimsOf(ws).length > 0) return; // NodeClaim deletions re-trigger this pass
    await mutateObject(this.deps.store, refOf(ws), obj => {
      const finalizers = obj.metadata.finalizers ?? [];
      if (!finalizers.includes(WORKSPACE_FINALIZER)) return false;
      obj.metadata.finalizers = finalizers.filter(
        f => f !== WORKSPACE_FINALIZER,
      );
      return undefined;
    });
  }

  /** `syncWorkspaceStatus`: every condition recomputed from live objects. */
  private async syncStatus(
    key: string,
    reconcileError: unknown,
  ): Promise<ReconcileResult> {
    const ws = this.get(key);
    if (!ws || ws.metadata.deletionTimestamp) return undefined;
    const snapshot = this.snapshot(ws);
    const suffix = reconcileError
      ? ` (last reconcile error: ${(reconcileError as Error).message})`
      : '';
    const now = this.deps.clock.now();
    const generation = ws.metadata.generation;
    const apply = (
      conditions: MetaCondition[],
      type: string,
      value: ConditionValue,
    ) =>
      setCondition(
        conditions,
        {
          type,
          ...value,
          message: value.message + suffix,
          observedGeneration: generation,
        },
        now,
      );

    await writeWorkspaceStatus(this.deps.store, ws, status => {
      let conditions = status.conditions ?? [];
      conditions = apply(conditions, Condition.NodesReady, snapshot.nodesReady);
      conditions = snapshot.nodeClaimRequired
        ? apply(conditions, Condition.NodeClaimReady, snapshot.nodeClaimReady)
        : removeCondition(conditions, Condition.NodeClaimReady);
      conditions = apply(
        conditions,
        Condition.ResourceReady,
        snapshot.resourceReady,
      );
      let state = status.state;
      if (ws.tuning) {
        const { owner: job, pods } = this.workloadOf(ws, JOBS);
        const tuning = tuningStatus(job, pods);
        for (const [type, value] of Object.entries(tuning.conditions))
          conditions = apply(conditions, type, value);
        state = tuning.state;
      } else if (ws.inference) {
        const { owner: sts, pods } = this.workloadOf(ws, STATEFULSETS);
        const inference = inferenceStatus(
          sts,
          pods,
          snapshot.resourceReady.status === 'True',
          status.state,
        );
        for (const [type, value] of Object.entries(inference.conditions))
          conditions = apply(conditions, type, value);
        state = inference.state;
      }
      return {
        ...status,
        workerNodes: snapshot.workerNodes,
        conditions,
        state,
      };
    });
    return undefined;
  }

  /** The workspace's Job or StatefulSet and the pods labelled with the workspace. */
  private workloadOf(ws: Workspace, key: { group: string; plural: string }) {
    const { namespace, name } = ws.metadata;
    return {
      owner: this.deps.store.get({ ...key, namespace, name }),
      pods: this.deps.store.list({
        ...PODS,
        namespace,
        labelSelector: `${LABEL_WORKSPACE}=${name}`,
      }).items,
    };
  }
}
