import { mockServices } from '@backstage/backend-test-utils';
import {
  createSimulatorTls,
  RunningSimulator,
  startSimulator,
} from '@kaito-backstage/simulator';
import { ClusterRegistry } from './ClusterRegistry';
import {
  DEFAULT_WATCH_SETTINGS,
  WatchSettings,
  readClusterConfigs,
} from './config';
import { CacheChange, ClusterWatchCache } from './WatchCache';
import { ConfigReader } from '@backstage/config';
import { eventually, simulatorConfig } from '../__testUtils__/simulatorBackend';

jest.setTimeout(60_000);

const settings = {
  ...DEFAULT_WATCH_SETTINGS,
  initialBackoffMs: 50,
  maxBackoffMs: 400,
  namespaceIdleMs: 300,
};

function cacheFor(
  sim: RunningSimulator,
  name = 'sim',
  overrides: Partial<WatchSettings> = {},
) {
  const [cluster] = ClusterRegistry.fromConfig(
    readClusterConfigs(new ConfigReader(simulatorConfig(sim, name))),
  ).list();
  return new ClusterWatchCache(
    cluster as any,
    { ...settings, ...overrides },
    mockServices.logger.mock(),
  );
}

function configMapLike(name: string, labels: Record<string, string> = {}) {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name, namespace: 'default', labels },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { app: name } },
    },
    inference: { preset: { name: 'phi-4-mini-instruct' } },
  };
}

describe('ClusterWatchCache against the simulator', () => {
  let sim: RunningSimulator;
  let cache: ClusterWatchCache;

  beforeEach(async () => {
    sim = await startSimulator({ timeScale: 1, seed: 'none' });
    cache = cacheFor(sim);
  });

  afterEach(async () => {
    await cache?.stop();
    await sim?.stop();
  });

  it('syncs every kind and follows adds, updates and deletes', async () => {
    const changes: CacheChange[] = [];
    cache.start();
    cache.onChange(c => changes.push(c));
    await cache.ready();
    expect(cache.health().state).toBe('healthy');
    expect(cache.freshness()).toEqual({
      cluster: 'sim',
      stale: false,
      lastSyncedAt: expect.any(String),
    });

    await sim.store.create(configMapLike('ws-a') as any);
    const seen = await eventually(
      async () => cache.get('workspaces', 'ws-a', 'default'),
      { timeoutMs: 5000, what: 'ws-a in the cache' },
    );
    expect(seen.metadata?.uid).toBeDefined();

    const current = sim.store.get({
      group: 'kaito.sh',
      plural: 'workspaces',
      namespace: 'default',
      name: 'ws-a',
    })!;
    await sim.store.update({
      ...current,
      metadata: { ...current.metadata, labels: { team: 'ml' } },
    } as any);
    await eventually(
      async () =>
        cache.get<any>('workspaces', 'ws-a', 'default')?.metadata.labels?.team === 'ml',
      { timeoutMs: 5000, what: 'the label update' },
    );
    // The kubernetes-id index followed the add and the label change.
    expect(cache.indexLabel('workspaces')).toBe('backstage.io/kubernetes-id');
    expect(cache.listByLabel('workspaces', 'bot')).toEqual([]);
    await sim.store.create(
      configMapLike('ws-b', { 'backstage.io/kubernetes-id': 'bot' }) as any,
    );
    await eventually(
      async () => cache.listByLabel('workspaces', 'bot').length === 1,
      { timeoutMs: 5000, what: 'ws-b in the index' },
    );
    const b = sim.store.get({
      group: 'kaito.sh',
      plural: 'workspaces',
      namespace: 'default',
      name: 'ws-b',
    })!;
    await sim.store.update({
      ...b,
      metadata: { ...b.metadata, labels: { 'backstage.io/kubernetes-id': 'other' } },
    } as any);
    await eventually(
      async () =>
        cache.listByLabel('workspaces', 'bot').length === 0 &&
        cache.listByLabel('workspaces', 'other').length === 1,
      { timeoutMs: 5000, what: 'ws-b moved in the index' },
    );
    expect(cache.listByLabel('workspaces', 'other', 'default')).toEqual([
      cache.get('workspaces', 'ws-b', 'default'),
    ]);
    expect(cache.listByLabel('workspaces', 'other', 'elsewhere')).toEqual([]);
    expect(() => cache.listByLabel('nodes', 'x')).toThrow(/does not index/);
    expect(
      changes.some(c => c.kind === 'workspaces' && c.type === 'add'),
    ).toBe(true);
    expect(
      changes.some(c => c.kind === 'workspaces' && c.type === 'update'),
    ).toBe(true);
  });

  it('follows node readiness through adds, updates and deletes', async () => {
    // Every node (the system pool's too), not only GPU nodes.
    await cache.stop();
    cache = cacheFor(sim, 'sim', { nodeLabelSelector: '' });
    cache.start();
    await cache.ready();
    // The system pool's nodes, from the first list (they register NotReady).
    for (const listed of cache.list<any>('nodes')) {
      const ready = listed.status?.conditions?.find(
        (c: any) => c.type === 'Ready',
      );
      expect(cache.isNodeReady(listed.metadata.name)).toBe(
        ready?.status === 'True',
      );
    }
    expect(cache.isNodeReady('no-such-node')).toBe(false);

    const node = (ready: string) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'byo-gpu-0', labels: { 'kaito.sh/test': 'readiness' } },
      status: {
        conditions: [
          { type: 'MemoryPressure', status: 'False' },
          { type: 'Ready', status: ready },
        ],
      },
    });
    await sim.store.create(node('False') as any);
    await eventually(
      async () => cache.get('nodes', 'byo-gpu-0') !== undefined,
      { timeoutMs: 5000, what: 'the new node in the cache' },
    );
    expect(cache.isNodeReady('byo-gpu-0')).toBe(false);

    const stored = sim.store.get({ group: '', plural: 'nodes', name: 'byo-gpu-0' })!;
    await sim.store.updateStatus({ ...stored, status: node('True').status } as any);
    await eventually(
      async () => cache.isNodeReady('byo-gpu-0'),
      { timeoutMs: 5000, what: 'the node turning Ready' },
    );

    await sim.store.delete({ group: '', plural: 'nodes', name: 'byo-gpu-0' });
    await eventually(
      async () => cache.get('nodes', 'byo-gpu-0') === undefined,
      { timeoutMs: 5000, what: 'the node deleted from the cache' },
    );
    expect(cache.isNodeReady('byo-gpu-0')).toBe(false);
  });

  it('converges while the server keeps dropping its watches', async () => {
    cache.start();
    await cache.ready();
    const states: string[] = [];
    cache.onHealth(h => states.push(h.state));
    sim.faults.patch({ watchDrop: { everyMs: 100 } });
    for (let i = 0; i < 5; i++) {
      await sim.store.create(configMapLike(`drop-${i}`) as any);
      await new Promise(r => setTimeout(r, 60));
    }
    await sim.store.delete({
      group: 'kaito.sh',
      plural: 'workspaces',
      namespace: 'default',
      name: 'drop-2',
    });
    // Converged: the cache holds exactly what the API server holds, at the
    // same resourceVersions (drop-2 is deleting, held by KAITO's finalizer).
    const versions = (items: readonly any[]) =>
      JSON.stringify(
        items
          .filter(w => w.metadata?.name?.startsWith('drop-'))
          .map(w => [
            w.metadata.name,
            w.metadata.resourceVersion,
            Boolean(w.metadata.deletionTimestamp),
          ])
          .sort(),
      );
    await eventually(
      async () =>
        versions(cache.list('workspaces')) ===
        versions(sim.store.list({ group: 'kaito.sh', plural: 'workspaces' }).items),
      { timeoutMs: 10_000, what: 'the cache to converge under watch drops' },
    );
    expect(
      cache.get<any>('workspaces', 'drop-2', 'default')?.metadata.deletionTimestamp,
    ).toBeDefined();
    expect(cache.list('workspaces').filter(w => w.metadata?.name?.startsWith('drop-'))).toHaveLength(5);
    // Dropped streams are reconnected without ever failing requests.
    expect(states).not.toContain('unhealthy');
    expect(cache.health().state).toBe('healthy');
  });

  it('turns unhealthy when the cluster goes down and relists when it is back', async () => {
    const tls = await createSimulatorTls();
    await sim.stop();
    await cache.stop();
    const first = await startSimulator({ timeScale: 1, seed: 'none', tls, token: 'tok' });
    const port = Number(new URL(first.kubeUrl).port);
    cache = cacheFor(first);
    cache.start();
    await cache.ready();
    const id = { 'backstage.io/kubernetes-id': 'bot' };
    await first.store.create(configMapLike('before-outage', id) as any);
    await eventually(
      async () => cache.get('workspaces', 'before-outage', 'default'),
      { timeoutMs: 5000 },
    );
    expect(
      cache.listByLabel('workspaces', 'bot').map(w => w.metadata?.name),
    ).toEqual(['before-outage']);

    await first.stop();
    await eventually(
      async () => cache.health().state === 'unhealthy',
      { timeoutMs: 10_000, what: 'unhealthy' },
    );
    expect(cache.health().error).toMatch(/ECONNREFUSED|socket hang up|ECONNRESET/);
    // It synced before: it answers with the last state, marked stale.
    await expect(cache.ready()).resolves.toBeUndefined();
    expect(cache.freshness()).toMatchObject({
      cluster: 'sim',
      stale: true,
      message: expect.stringContaining('Cluster "sim" is unavailable'),
    });
    expect(cache.get('workspaces', 'before-outage', 'default')).toBeDefined();

    // The cluster comes back (same address, credentials and CA), without
    // the workspace that existed before: the relist drops it.
    sim = await startSimulator({ timeScale: 1, seed: 'none', tls, token: 'tok', port });
    await sim.store.create(configMapLike('after-outage', id) as any);
    await eventually(
      async () => cache.health().state === 'healthy',
      { timeoutMs: 10_000, what: 'healthy again' },
    );
    await eventually(
      async () =>
        cache.get('workspaces', 'after-outage', 'default') &&
        !cache.get('workspaces', 'before-outage', 'default'),
      { timeoutMs: 10_000, what: 'the relisted state' },
    );
    // The relist's differences reached the index too.
    expect(
      cache.listByLabel('workspaces', 'bot').map(w => w.metadata?.name),
    ).toEqual(['after-outage']);
  });

  it('answers with the last state, marked stale, while the API server is down, and catches up by itself', async () => {
    cache.start();
    await cache.ready();
    await sim.store.create(configMapLike('before-down') as any);
    await eventually(
      async () => cache.get('workspaces', 'before-down', 'default'),
      { timeoutMs: 5000, what: 'before-down in the cache' },
    );
    const syncedAt = cache.freshness().lastSyncedAt!;
    expect(syncedAt).toBeDefined();

    sim.faults.patch({ kubeApiDown: true });
    const stale = await eventually(
      async () => {
        const f = cache.freshness();
        return f.stale ? f : undefined;
      },
      { timeoutMs: 10_000, what: 'the cache to turn stale' },
    );
    expect(stale).toEqual({
      cluster: 'sim',
      stale: true,
      lastSyncedAt: expect.any(String),
      staleSince: expect.any(String),
      message: expect.stringMatching(/^Cluster "sim" is unavailable: /),
    });
    expect(Date.parse(stale.staleSince!)).toBeGreaterThanOrEqual(
      Date.parse(stale.lastSyncedAt!),
    );
    // Reads keep answering from what the watches delivered.
    await expect(cache.ready()).resolves.toBeUndefined();
    expect(cache.get('workspaces', 'before-down', 'default')).toBeDefined();

    // The cluster changes while the backend cannot see it.
    await sim.store.create(configMapLike('while-down') as any);
    await sim.store.delete({
      group: 'kaito.sh',
      plural: 'workspaces',
      namespace: 'default',
      name: 'before-down',
    });
    await new Promise(r => setTimeout(r, 500));
    expect(cache.freshness().stale).toBe(true);
    expect(cache.get('workspaces', 'while-down', 'default')).toBeUndefined();

    sim.faults.patch({ kubeApiDown: false });
    await eventually(async () => !cache.freshness().stale, {
      timeoutMs: 10_000,
      what: 'fresh again',
    });
    expect(cache.freshness()).toEqual({
      cluster: 'sim',
      stale: false,
      lastSyncedAt: expect.any(String),
    });
    await eventually(
      async () =>
        cache.get('workspaces', 'while-down', 'default') !== undefined &&
        cache
          .get<any>('workspaces', 'before-down', 'default')
          ?.metadata.deletionTimestamp !== undefined,
      { timeoutMs: 10_000, what: 'the changes made during the outage' },
    );
  });

  it('is unavailable, not stale, when it never synced', async () => {
    sim.faults.patch({ kubeApiDown: true });
    cache.start();
    await expect(cache.ready(3000)).rejects.toThrow(/Cluster "sim" is/);
    expect(cache.freshness()).toMatchObject({ cluster: 'sim', stale: true });
    expect(cache.freshness().lastSyncedAt).toBeUndefined();
    expect(cache.hasSynced()).toBe(false);
  });
});

describe('ClusterWatchCache selects what it caches', () => {
  let sim: RunningSimulator;
  let cache: ClusterWatchCache;

  beforeEach(async () => {
    sim = await startSimulator({ timeScale: 1, seed: 'none' });
  });

  afterEach(async () => {
    await cache?.stop();
    await sim?.stop();
  });

  function node(name: string, labels: Record<string, string>) {
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels,
        managedFields: [{ manager: 'kubelet', operation: 'Update' }],
      },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        capacity: { 'nvidia.com/gpu': '1' },
        images: [{ names: ['big-image'], sizeBytes: 1 }],
        nodeInfo: { kubeletVersion: 'v1.33.0' },
      },
    };
  }

  function event(
    name: string,
    namespace: string,
    involvedObject: Record<string, string>,
  ) {
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: { namespace, ...involvedObject },
      reason: 'Test',
      message: name,
      type: 'Normal',
    };
  }

  it('keeps GPU nodes only (by default), without what the kubelet reports besides readiness and capacity', async () => {
    await sim.store.create(
      node('gpu-0', { 'kubernetes.azure.com/accelerator': 'nvidia' }) as any,
    );
    await sim.store.create(node('cpu-0', { agentpool: 'apps' }) as any);
    cache = cacheFor(sim);
    cache.start();
    await cache.ready();
    expect(cache.list<any>('nodes').map(n => n.metadata.name)).toEqual(['gpu-0']);
    const gpu = cache.get<any>('nodes', 'gpu-0')!;
    expect(gpu.metadata.managedFields).toBeUndefined();
    expect(Object.keys(gpu.status).sort()).toEqual(['capacity', 'conditions']);
    expect(cache.isNodeReady('gpu-0')).toBe(true);
    expect(cache.isNodeReady('cpu-0')).toBe(false);
    await cache.stop();

    cache = cacheFor(sim, 'sim', { nodeLabelSelector: '' });
    cache.start();
    await cache.ready();
    expect(cache.list<any>('nodes').map(n => n.metadata.name)).toEqual(
      expect.arrayContaining(['gpu-0', 'cpu-0']),
    );
  });

  it('lists in pages and keeps every object', async () => {
    // Events of nodes: no controller of the simulator acts on them.
    const count = 1234;
    for (let i = 0; i < count; i++) {
      await sim.store.create(
        event(`node-event-${i}`, 'default', { kind: 'Node', name: 'gpu-0' }) as any,
      );
    }
    cache = cacheFor(sim);
    cache.start();
    await cache.ready(20_000);
    expect(
      cache.list<any>('events').filter(e => e.metadata.name.startsWith('node-event-')),
    ).toHaveLength(count);
  });

  it('watches pod and job events only where workspaces live, and stops a while after the last one is gone', async () => {
    for (const name of ['apps', 'team-a']) {
      await sim.store.create({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      } as any);
    }
    cache = cacheFor(sim);
    cache.start();
    await cache.ready();
    // Events of the cluster's other workloads, where no workspace lives.
    await sim.store.create(
      event('app-pod', 'apps', { kind: 'Pod', name: 'web-0' }) as any,
    );
    // A workspace's own events are watched over the whole cluster.
    await sim.store.create(
      event('ws-event', 'team-a', { kind: 'Workspace', name: 'ws-a' }) as any,
    );
    await eventually(
      async () => cache.get('events', 'ws-event', 'team-a') !== undefined,
      { timeoutMs: 5000, what: 'the workspace event' },
    );
    expect(cache.watchedNamespaces()).toEqual([]);

    await sim.store.create({
      ...configMapLike('ws-a'),
      metadata: { name: 'ws-a', namespace: 'team-a' },
    } as any);
    await sim.store.create(
      event('ws-pod', 'team-a', { kind: 'Pod', name: 'ws-a-0' }) as any,
    );
    await eventually(
      async () => cache.get('events', 'ws-pod', 'team-a') !== undefined,
      { timeoutMs: 5000, what: "the workspace pod's event" },
    );
    expect(cache.watchedNamespaces()).toEqual(['team-a']);
    expect(cache.get('events', 'app-pod', 'apps')).toBeUndefined();
    // Each event once, although two informers watch team-a's events (the
    // rest are KAITO's events of ws-a).
    const names = cache.list<any>('events', 'team-a').map(e => e.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['ws-event', 'ws-pod']));
    expect(new Set(names).size).toBe(names.length);

    await sim.store.delete({
      group: 'kaito.sh',
      plural: 'workspaces',
      namespace: 'team-a',
      name: 'ws-a',
    });
    // Without waiting for KAITO's controller to let go of its finalizer.
    const deleting = sim.store.get({
      group: 'kaito.sh',
      plural: 'workspaces',
      namespace: 'team-a',
      name: 'ws-a',
    });
    if (deleting) {
      await sim.store.update({
        ...deleting,
        metadata: { ...deleting.metadata, finalizers: [] },
      } as any);
    }
    await eventually(
      async () => cache.watchedNamespaces().length === 0,
      { timeoutMs: 20_000, what: "team-a's informers to stop" },
    );
    expect(cache.get('events', 'ws-pod', 'team-a')).toBeUndefined();
    expect(cache.health().state).toBe('healthy');
  });
});
