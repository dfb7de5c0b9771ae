import type { SimClock } from '../../clock';
import type { KubeObject, ObjectStore } from '../../kube/api';
import {
  asArmError,
  type AgentPool,
  type AgentPoolApi,
  type ArmFailure,
} from '../../wiring/agentPools';
import type { RecordEvent } from '../../wiring/eventRecorder';
import { mutateObject } from '../../wiring/objectUpdates';
import { watchObjects } from '../../wiring/watchObjects';
import { WorkQueue, type ReconcileResult } from '../../wiring/workQueue';
import {
  ANNOTATION_NODE_IMAGE_FAMILY,
  GPU_TAINT,
  NODECLAIM_KEY,
  NODECLAIM_TERMINATION_FINALIZER,
} from '../constants';
import { allocatableGpus, isNodeReady } from '../nodeReadiness';
import { instanceTypeOf } from '../nodeClaimManifest';
import {
  conditionsOf,
  initialConditions,
  withLifecycle,
} from './nodeClaimConditions';

const NODES = { group: '', plural: 'nodes' };

/** How long gpu-provisioner waits before retrying a rejected or conflicting ARM call. */
const RETRY_CONFLICT_MS = 10_000;

/**
 * Azure/gpu-provisioner: turns each KAITO NodeClaim into an AKS agent pool of
 * one VMSS instance named after the NodeClaim, through the same ARM agent
 * pool API any client uses, and reports progress on the NodeClaim the way
 * Karpenter does (Launched when the pool operation succeeds, Registered when
 * its node joins, Initialized when the node is Ready with GPUs). A pool
 * operation that fails (quota, SKU not available) sets Launched=False with
 * the ARM error code as reason. Deleting the NodeClaim deletes the pool.
 */
export class GpuProvisioner {
  private readonly queue: WorkQueue;
  private readonly stops: (() => void)[] = [];
  private readonly failures = new Map<string, ArmFailure>();
  private readonly deleting = new Set<string>();

  constructor(
    private readonly deps: {
      store: ObjectStore;
      arm: AgentPoolApi;
      clock: SimClock;
      record: RecordEvent;
    },
  ) {
    this.queue = new WorkQueue('gpu-provisioner', deps.clock, name =>
      this.reconcile(name),
    );
  }

  start(): void {
    const { arm, store } = this.deps;
    const onPool = (pool: AgentPool) => this.queue.add(pool.name);
    const onFailed = (pool: AgentPool, failure: ArmFailure) => {
      this.failures.set(pool.name, failure);
      this.queue.add(pool.name);
    };
    const onDeleted = (pool: AgentPool | string) => {
      const name = typeof pool === 'string' ? pool : pool.name;
      this.deleting.delete(name);
      this.queue.add(name);
    };
    arm.on('agentPoolSucceeded', onPool);
    arm.on('agentPoolFailed', onFailed);
    arm.on('agentPoolDeleted', onDeleted);
    this.stops.push(() => {
      arm.off('agentPoolSucceeded', onPool);
      arm.off('agentPoolFailed', onFailed);
      arm.off('agentPoolDeleted', onDeleted);
    });
    this.stops.push(
      watchObjects(store, NODECLAIM_KEY, e =>
        this.queue.add(e.object.metadata.name),
      ),
      watchObjects(store, NODES, e => {
        const pool = e.object.metadata.labels?.agentpool;
        if (pool) this.queue.add(pool);
      }),
    );
  }

  stop(): void {
    this.stops.forEach(stop => stop());
    this.queue.stop();
  }

  private async reconcile(name: string): Promise<ReconcileResult> {
    const nodeClaim = this.deps.store.get({ ...NODECLAIM_KEY, name });
    if (!nodeClaim) return undefined;
    if (nodeClaim.metadata.deletionTimestamp) return this.finalize(nodeClaim);
    if (
      !(nodeClaim.metadata.finalizers ?? []).includes(
        NODECLAIM_TERMINATION_FINALIZER,
      )
    ) {
      await mutateObject(this.deps.store, { ...NODECLAIM_KEY, name }, obj => {
        obj.metadata.finalizers = [
          ...(obj.metadata.finalizers ?? []),
          NODECLAIM_TERMINATION_FINALIZER,
        ];
      });
    }
    if (conditionsOf(nodeClaim).length === 0) {
      await this.setStatus(name, () => ({
        conditions: initialConditions(this.deps.clock.now()),
      }));
    }
    const pool = this.deps.arm.getAgentPool(name);
    if (!pool) return this.launch(nodeClaim);
    return this.track(nodeClaim, pool);
  }

  private async launch(nodeClaim: KubeObject): Promise<ReconcileResult> {
    const name = nodeClaim.metadata.name;
    try {
      await this.deps.arm.createOrUpdateAgentPool(name, {
        properties: agentPoolFor(nodeClaim),
      });
      return undefined;
    } catch (error) {
      const arm = asArmError(error);
      if (!arm) throw error;
      if (arm.statusCode === 429) {
        return { requeueAfterMs: (arm.retryAfterSeconds ?? 1) * 1000 };
      }
      if (arm.statusCode === 409) {
        // "in progress create node pool operation": resume later (gpu-provisioner #178/#186).
        return { requeueAfterMs: RETRY_CONFLICT_MS };
      }
      await this.markLaunchFailed(nodeClaim, {
        code: arm.code,
        message: arm.message,
      });
      return undefined;
    }
  }

  private async markLaunchFailed(
    nodeClaim: KubeObject,
    failure: ArmFailure,
  ): Promise<void> {
    const now = this.deps.clock.now();
    const launched = conditionsOf(nodeClaim).find(c => c.type === 'Launched');
    if (launched?.status === 'False' && launched.reason === failure.code)
      return;
    await this.setStatus(nodeClaim.metadata.name, status => ({
      ...status,
      conditions: withLifecycle(
        conditionsOf({ ...nodeClaim, status }),
        'Launched',
        { status: 'False', reason: failure.code, message: failure.message },
        now,
      ),
    }));
    void this.deps.record(
      nodeClaim,
      'Warning',
      'FailedLaunching',
      `Failed to launch NodeClaim: ${failure.code}: ${failure.message}`,
    );
  }

  private async track(
    nodeClaim: KubeObject,
    pool: AgentPool,
  ): Promise<ReconcileResult> {
    const name = nodeClaim.metadata.name;
    const state = pool.properties.provisioningState;
    if (state === 'Failed') {
      const failure = this.failures.get(name) ?? provisioningError(pool);
      await this.markLaunchFailed(nodeClaim, failure);
      return undefined;
    }
    if (state !== 'Succeeded') return undefined;

    const node = this.deps.store.list({
      ...NODES,
      labelSelector: `agentpool=${name}`,
    }).items[0];
    await this.labelLaunched(nodeClaim, pool, node);
    const now = this.deps.clock.now();
    const wasLaunched =
      conditionsOf(nodeClaim).find(c => c.type === 'Launched')?.status ===
      'True';
    const wasRegistered =
      conditionsOf(nodeClaim).find(c => c.type === 'Registered')?.status ===
      'True';
    await this.setStatus(name, status => {
      let conditions = conditionsOf({ ...nodeClaim, status });
      conditions = withLifecycle(
        conditions,
        'Launched',
        { status: 'True' },
        now,
      );
      const next: Record<string, unknown> = { ...status };
      if (node) {
        conditions = withLifecycle(
          conditions,
          'Registered',
          { status: 'True' },
          now,
        );
        next.nodeName = node.metadata.name;
        next.providerID = (node.spec as { providerID?: string }).providerID;
        next.imageID =
          node.metadata.labels?.['kubernetes.azure.com/node-image-version'];
        next.capacity = (node.status as { capacity?: unknown }).capacity;
        next.allocatable = (
          node.status as { allocatable?: unknown }
        ).allocatable;
        if (isNodeReady(node) && allocatableGpus(node) > 0) {
          conditions = withLifecycle(
            conditions,
            'Initialized',
            { status: 'True' },
            now,
          );
        }
      }
      next.conditions = conditions;
      return next;
    });
    if (!wasLaunched) {
      void this.deps.record(
        nodeClaim,
        'Normal',
        'Launched',
        `Status condition transitioned, Type: Launched, Status: Unknown -> True, Reason: Launched`,
      );
    }
    if (node && !wasRegistered) {
      void this.deps.record(
        nodeClaim,
        'Normal',
        'Registered',
        `Status condition transitioned, Type: Registered, Status: Unknown -> True, Reason: Registered`,
      );
    }
    return undefined;
  }

  /** Karpenter labels a launched NodeClaim with what it resolved (the printer columns read them). */
  private async labelLaunched(
    nodeClaim: KubeObject,
    pool: AgentPool,
    node: KubeObject | undefined,
  ) {
    const labels: Record<string, string> = {
      'node.kubernetes.io/instance-type': pool.properties.vmSize ?? '',
      'karpenter.azure.com/sku-name': pool.properties.vmSize ?? '',
      'karpenter.sh/capacity-type':
        pool.properties.scaleSetPriority === 'Spot' ? 'spot' : 'on-demand',
      'kubernetes.io/os': 'linux',
      ...(node
        ? {
            'topology.kubernetes.io/zone':
              node.metadata.labels?.['topology.kubernetes.io/zone'] ?? '0',
          }
        : {}),
    };
    if (
      Object.entries(labels).every(
        ([k, v]) => nodeClaim.metadata.labels?.[k] === v,
      )
    )
      return;
    await mutateObject(
      this.deps.store,
      { ...NODECLAIM_KEY, name: nodeClaim.metadata.name },
      obj => {
        obj.metadata.labels = { ...obj.metadata.labels, ...labels };
      },
    );
  }

  /** Deletes the pool, then lets the NodeClaim go once ARM reports it gone. */
  private async finalize(nodeClaim: KubeObject): Promise<ReconcileResult> {
    const name = nodeClaim.metadata.name;
    const pool = this.deps.arm.getAgentPool(name);
    if (pool) {
      if (this.deleting.has(name)) return undefined;
      try {
        await this.deps.arm.deleteAgentPool(name);
        this.deleting.add(name);
        return undefined;
      } catch (error) {
        const arm = asArmError(error);
        if (!arm) throw error;
        if (arm.statusCode === 404) {
          // Already gone: fall through and release the NodeClaim.
        } else {
          return {
            requeueAfterMs:
              arm.statusCode === 429
                ? (arm.retryAfterSeconds ?? 1) * 1000
                : RETRY_CONFLICT_MS,
          };
        }
      }
    }
    this.failures.delete(name);
    await mutateObject(this.deps.store, { ...NODECLAIM_KEY, name }, obj => {
      const finalizers = obj.metadata.finalizers ?? [];
      if (!finalizers.includes(NODECLAIM_TERMINATION_FINALIZER)) return false;
      obj.metadata.finalizers = finalizers.filter(
        f => f !== NODECLAIM_TERMINATION_FINALIZER,
      );
      return undefined;
    });
    return undefined;
  }

  private async setStatus(
    name: string,
    build: (status: Record<string, unknown>) => Record<string, unknown>,
  ): Promise<void> {
    await mutateObject(
      this.deps.store,
      { ...NODECLAIM_KEY, name },
      obj => {
        const current = (obj.status ?? {}) as Record<string, unknown>;
        const next = build(current);
        if (JSON.stringify(next) === JSON.stringify(current)) return false;
        obj.status = next;
        return undefined;
      },
      { status: true },
    );
  }
}

/** The agent pool gpu-provisioner asks AKS for (`newAgentPoolObject` + labels). */
export function agentPoolFor(nodeClaim: KubeObject): Record<string, unknown> {
  const storage = (
    nodeClaim.spec as { resources?: { requests?: Record<string, string> } }
  ).resources?.requests?.['ephemeral-storage'];
  const diskGiB = storage
    ? Math.min(2048, Math.max(30, parseInt(storage, 10)))
    : 1024;
  const family = nodeClaim.metadata.annotations?.[ANNOTATION_NODE_IMAGE_FAMILY];
  return {
    vmSize: instanceTypeOf(nodeClaim),
    count: 1,
    mode: 'User',
    type: 'VirtualMachineScaleSets',
    osType: 'Linux',
    osSKU: family?.toLowerCase() === 'azurelinux' ? 'AzureLinux' : 'Ubuntu',
    osDiskSizeGB: diskGiB,
    nodeTaints: [`${GPU_TAINT.key}=${GPU_TAINT.value}:${GPU_TAINT.effect}`],
    nodeLabels: {
      ...(nodeClaim.metadata.labels ?? {}),
      'kaito.sh/machine-type': 'gpu',
    },
    tags: {
      'karpenter.sh_nodepool':
        nodeClaim.metadata.labels?.['karpenter.sh/nodepool'] ?? 'kaito',
      'kaito.sh_workspace':
        nodeClaim.metadata.labels?.['kaito.sh/workspace'] ?? '',
      'kaito.sh_workspacenamespace':
        nodeClaim.metadata.labels?.['kaito.sh/workspacenamespace'] ?? '',
    },
  };
}

function provisioningError(pool: AgentPool): ArmFailure {
  const error = (
    pool.properties.status as { provisioningError?: ArmFailure } | undefined
  )?.provisioningError;
  return (
    error ?? {
      code: 'ProvisioningFailed',
      message: `agent pool ${pool.name} failed to provision`,
    }
  );
}
