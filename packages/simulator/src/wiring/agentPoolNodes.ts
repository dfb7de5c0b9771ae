import type { SimClock } from '../clock';
import type { KubeObject, ObjectStore } from '../kube/api';
import type { AgentPool, AgentPoolApi } from './agentPools';
import type { RecordEvent } from './eventRecorder';
import {
  agentPoolNode,
  nodeConditions,
  nodeName,
  withGpuOperator,
  type ClusterFacts,
  type GpuFeatureDiscovery,
} from './nodeManifest';
import { deleteIfPresent, mutateObject } from './objectUpdates';
import { WorkQueue } from './workQueue';

const NODES = { group: '', plural: 'nodes' };

/**
 * Nominal times after AKS reports the pool Succeeded (its LRO already covers
 * VM boot and the driver): the node turns Ready, then KAITO's NVIDIA device
 * plugin advertises `nvidia.com/gpu`.
 */
export const NODE_TIMINGS = {
  joinMs: 10_000,
  devicePluginMs: 10_000,
};

/**
 * Makes Nodes follow ARM agent pools, whoever created the pool (KAITO's
 * gpu-provisioner or a direct ARM call): when a pool's operation succeeds,
 * its instances register as Nodes and become Ready after a nominal join
 * delay; scaling adds or removes the highest instances; deleting the pool
 * removes its Nodes.
 */
export class AgentPoolNodes {
  private readonly queue: WorkQueue;
  private readonly listeners: [string, (...args: any[]) => void][] = [];
  private readonly pending = new Map<string, () => void>();

  constructor(
    private readonly deps: {
      store: ObjectStore;
      arm: AgentPoolApi;
      clock: SimClock;
      cluster: ClusterFacts;
      recordKubeletEvent: RecordEvent;
      recordNodeControllerEvent: RecordEvent;
      /** GPU Feature Discovery for GPU VM sizes (KAITO's catalog registers it). */
      gpuFeatureDiscovery?: GpuFeatureDiscovery;
    },
  ) {
    this.queue = new WorkQueue('agent-pool-nodes', deps.clock, pool =>
      this.reconcile(pool),
    );
  }

  start(): void {
    const enqueue = (pool: AgentPool) => this.queue.add(pool.name);
    for (const event of [
      'agentPoolSucceeded',
      'agentPoolDeleted',
      'agentPoolFailed',
    ]) {
      this.deps.arm.on(event, enqueue);
      this.listeners.push([event, enqueue]);
    }
    for (const pool of this.deps.arm.listAgentPools())
      this.queue.add(pool.name);
  }

  stop(): void {
    for (const [event, listener] of this.listeners)
      this.deps.arm.off(event, listener);
    this.queue.stop();
    for (const cancel of this.pending.values()) cancel();
  }

  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  private nodesOf(pool: string): KubeObject[] {
    return this.deps.store.list({
      ...NODES,
      labelSelector: `agentpool=${pool}`,
    }).items;
  }

  private async reconcile(poolName: string): Promise<void> {
    const pool = this.deps.arm.getAgentPool(poolName);
    const existing = this.nodesOf(poolName);
    if (!pool) {
      for (const node of existing) await this.removeNode(node);
      return;
    }
    if (pool.properties.provisioningState !== 'Succeeded') return;
    const count = pool.properties.count ?? 0;
    const wanted = new Set(
      Array.from({ length: count }, (_, i) =>
        nodeName(this.deps.cluster, poolName, i),
      ),
    );
    for (const node of existing) {
      if (!wanted.has(node.metadata.name)) {
        await this.removeNode(node);
      } else {
        await this.syncPoolLabels(node, pool);
      }
    }
    const present = new Set(existing.map(n => n.metadata.name));
    for (let i = 0; i < count; i++) {
      if (!present.has(nodeName(this.deps.cluster, poolName, i)))
        await this.addNode(pool, i);
    }
  }

  private async addNode(pool: AgentPool, index: number): Promise<void> {
    const { store, clock, cluster } = this.deps;
    const manifest = agentPoolNode(cluster, pool, index, clock.now());
    // Nodes keep the status they register with, as the kubelet's first POST does.
    const created = await store.create(manifest);
    const name = created.metadata.name;
    void this.deps.recordKubeletEvent(
      created,
      'Normal',
      'Starting',
      'Starting kubelet.',
    );
    void this.deps.recordNodeControllerEvent(
      created,
      'Normal',
      'RegisteredNode',
      `Node ${name} event: Registered Node ${name} in Controller`,
    );
    this.schedule(name, NODE_TIMINGS.joinMs, () => this.markReady(name));
    this.schedule(
      `${name}/gpu`,
      NODE_TIMINGS.joinMs + NODE_TIMINGS.devicePluginMs,
      () => this.startDevicePlugin(name),
    );
  }

  private schedule(
    key: string,
    nominalMs: number,
    fn: () => Promise<void>,
  ): void {
    this.pending.get(key)?.();
    this.pending.set(
      key,
      this.deps.clock.after(nominalMs, () => {
        this.pending.delete(key);
        fn().catch(() => undefined);
      }),
    );
  }

  private async markReady(name: string): Promise<void> {
    const ts = this.deps.clock
      .now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    const node = await mutateObject(
      this.deps.store,
      { ...NODES, name },
      obj => {
        (obj.status as Record<string, unknown>).conditions = nodeConditions(
          true,
          ts,
        );
      },
      { status: true },
    );
    if (node) {
      void this.deps.recordKubeletEvent(
        node,
        'Normal',
        'NodeReady',
        `Node ${name} status is now: NodeReady`,
      );
    }
  }

  private async startDevicePlugin(name: string): Promise<void> {
    const ref = { ...NODES, name };
    await mutateObject(this.deps.store, ref, obj => {
      const withGpu = withGpuOperator(obj, this.deps.gpuFeatureDiscovery);
      if (withGpu === obj) return false;
      obj.metadata.labels = withGpu.metadata.labels;
      return undefined;
    });
    await mutateObject(
      this.deps.store,
      ref,
      obj => {
        const withGpu = withGpuOperator(obj, this.deps.gpuFeatureDiscovery);
        if (withGpu === obj) return false;
        obj.status = withGpu.status;
        return undefined;
      },
      { status: true },
    );
  }

  private async syncPoolLabels(
    node: KubeObject,
    pool: AgentPool,
  ): Promise<void> {
    const labels = pool.properties.nodeLabels ?? {};
    if (
      Object.entries(labels).every(([k, v]) => node.metadata.labels?.[k] === v)
    )
      return;
    await mutateObject(
      this.deps.store,
      { ...NODES, name: node.metadata.name },
      obj => {
        obj.metadata.labels = { ...obj.metadata.labels, ...labels };
      },
    );
  }

  private async removeNode(node: KubeObject): Promise<void> {
    const name = node.metadata.name;
    this.pending.get(name)?.();
    this.pending.get(`${name}/gpu`)?.();
    await deleteIfPresent(this.deps.store, { ...NODES, name });
    void this.deps.recordNodeControllerEvent(
      node,
      'Normal',
      'RemovingNode',
      `Node ${name} event: Removing Node ${name} from Controller`,
    );
  }
}
