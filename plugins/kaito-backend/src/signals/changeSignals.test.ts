import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { RunningSimulator, startSimulator } from '@kaito-backstage/simulator';
import request from 'supertest';
import {
  eventually,
  simulatorConfig,
  startKaitoBackend,
} from '../__testUtils__/simulatorBackend';

jest.setTimeout(120_000);

const BASE = '/api/kaito';
const CHATBOT = 'kaito:entity:component:default/chatbot';
const SEARCH = 'kaito:entity:component:default/search';
const POOLS = 'kaito:gpu-pools';
const WORKSPACES = {
  group: 'kaito.sh',
  version: 'v1beta1',
  plural: 'workspaces',
};

/**
 * The signals kaito-backend publishes while the simulator changes things,
 * as a signals backend would receive them (the service is Backstage's; only
 * its transport is replaced by a list).
 */
describe('change signals against the simulator', () => {
  let sim: RunningSimulator;
  let backend: Awaited<ReturnType<typeof startKaitoBackend>>;
  let objects: CustomObjectsApi;
  let core: CoreV1Api;
  const published: (SignalPayload & { at: number })[] = [];

  const on = (channel: string, since = 0) =>
    published.filter(s => s.channel === channel && s.at >= since);

  function workspace(
    name: string,
    namespace: string,
    meta: {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    },
  ) {
    return {
      apiVersion: 'kaito.sh/v1beta1',
      kind: 'Workspace',
      metadata: { name, namespace, ...meta },
      resource: {
        instanceType: 'Standard_NC24ads_A100_v4',
        labelSelector: { matchLabels: { app: name } },
      },
      inference: { preset: { name: 'phi-4-mini-instruct' } },
    };
  }

  async function label(
    name: string,
    namespace: string,
    labels: Record<string, string | null>,
  ) {
    await objects.patchNamespacedCustomObject(
      { ...WORKSPACES, namespace, name, body: { metadata: { labels } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }

  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 200, seed: 'none' });
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig);
    objects = kc.makeApiClient(CustomObjectsApi);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'search' } } });
    backend = await startKaitoBackend({
      config: simulatorConfig(sim),
      features: [
        createServiceFactory({
          service: signalsServiceRef,
          deps: {},
          factory: () => ({
            publish: async (signal: SignalPayload) => {
              published.push({ ...signal, at: Date.now() });
            },
          }),
        }),
      ],
    });
    await eventually(async () => {
      const res = await request(backend.server).get(`${BASE}/clusters`);
      return res.body.items?.[0]?.health.state === 'healthy';
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  it('signals the entity of a workspace the suite created, with nothing but what changed', async () => {
    const since = Date.now();
    await objects.createNamespacedCustomObject({
      ...WORKSPACES,
      namespace: 'default',
      body: workspace('serve-phi', 'default', {
        labels: { 'backstage.io/kubernetes-id': 'chatbot' },
        annotations: {
          'kaito.backstage.io/entity-ref': 'Component:default/ChatBot',
        },
      }),
    });
    const first = await eventually(async () => on(CHATBOT, since)[0], {
      timeoutMs: 10_000,
      what: 'a signal on the chatbot channel',
    });
    expect(first.recipients).toEqual({ type: 'broadcast' });
    // The run history recorded the run in the same window.
    expect(first.message).toEqual({
      topics: expect.arrayContaining(['workspaces']),
    });
    // KAITO goes on (NodeClaim, node, pods): more signals, still only topics.
    await eventually(
      async () => {
        const res = await request(backend.server).get(
          `${BASE}/workspaces?entityRef=component:default/chatbot`,
        );
        return res.body.items?.[0]?.state === 'Ready';
      },
      { timeoutMs: 60_000, what: 'serve-phi Ready' },
    );
    for (const signal of on(CHATBOT, since)) {
      expect(Object.keys(signal.message)).toEqual(['topics']);
    }
    // The node the workspace got and its NodeClaim changed the GPU pools page.
    expect(on(POOLS, since).length).toBeGreaterThan(0);
    expect(on(POOLS, since)[0].message).toEqual({
      topics: ['gpu-pools'],
      cluster: 'sim',
    });
  });

  it('says when the run history changed, after the run is stored', async () => {
    const since = Date.now();
    await objects.createNamespacedCustomObject({
      ...WORKSPACES,
      namespace: 'default',
      body: workspace('serve-two', 'default', {
        labels: { 'backstage.io/kubernetes-id': 'chatbot' },
        annotations: {
          'kaito.backstage.io/entity-ref': 'component:default/chatbot',
        },
      }),
    });
    await eventually(
      async () =>
        on(CHATBOT, since).some(s =>
          (s.message.topics as string[]).includes('runs'),
        ),
      { timeoutMs: 10_000, what: 'a runs signal' },
    );
    const runs = await request(backend.server).get(
      `${BASE}/runs?entityRef=component:default/chatbot`,
    );
    expect(runs.body.items.map((r: any) => r.workspace)).toContain('serve-two');
  });

  it('signals an entity mapped by a label selector once its workspaces were read', async () => {
    // OTHER_ENTITY: team=search,app in (ranker), namespace search.
    await objects.createNamespacedCustomObject({
      ...WORKSPACES,
      namespace: 'search',
      body: workspace('ranker', 'search', {
        labels: { team: 'search', app: 'ranker' },
      }),
    });
    const res = await request(backend.server).get(
      `${BASE}/workspaces?entityRef=component:default/search`,
    );
    expect(res.body.items.map((w: any) => w.name)).toEqual(['ranker']);

    const since = Date.now();
    await label('ranker', 'search', { tier: 'gold' });
    await eventually(async () => on(SEARCH, since).length > 0, {
      timeoutMs: 10_000,
      what: 'a search signal',
    });

    // Relabelled away: the entity it left hears of it too.
    const moved = Date.now();
    await label('ranker', 'search', {
      team: null,
      'backstage.io/kubernetes-id': 'chatbot',
    });
    await eventually(async () => on(SEARCH, moved).length > 0, {
      timeoutMs: 10_000,
      what: 'search: left',
    });
    // chatbot maps by kubernetes-id in any namespace.
    await eventually(async () => on(CHATBOT, moved).length > 0, {
      timeoutMs: 10_000,
      what: 'chatbot: joined',
    });
  });

  it('turns a storm of changes into a few signals', async () => {
    await eventually(
      async () => {
        // Wait for the earlier workspaces to settle.
        const before = published.length;
        await new Promise(r => setTimeout(r, 1500));
        return published.length === before;
      },
      { timeoutMs: 60_000, what: 'a quiet cluster' },
    );
    const since = Date.now();
    for (let i = 0; i < 40; i++) {
      await label('serve-phi', 'default', { round: String(i) });
    }
    const took = Date.now() - since;
    await new Promise(r => setTimeout(r, 600));
    const signals = on(CHATBOT, since);
    // One at once, then at most one per 250 ms window, plus the trailing one.
    expect(signals.length).toBeGreaterThan(0);
    expect(signals.length).toBeLessThanOrEqual(Math.ceil(took / 250) + 2);
    expect(signals.length).toBeLessThan(40);
  });

  it('signals the GPU pools page when a pool write is accepted and when it ends', async () => {
    const since = Date.now();
    const create = await request(backend.server)
      .post(`${BASE}/clusters/sim/gpu-pools`)
      .send({ name: 'gpua10', vmSize: 'Standard_NV36ads_A10_v5', count: 1 });
    expect(create.status).toBe(202);
    // Accepted: at once (nothing in the cluster has changed yet).
    await eventually(async () => on(POOLS, since).length > 0, {
      timeoutMs: 5_000,
      what: 'accepted',
    });
    // Its node joins and ARM's operation ends: more signals, coalesced.
    await eventually(
      async () => {
        const res = await request(backend.server).get(
          `${BASE}/clusters/sim/gpu-pools/gpua10`,
        );
        return res.body.provisioningState === 'Succeeded';
      },
      { timeoutMs: 60_000, what: 'the pool provisioned' },
    );
    await eventually(async () => on(POOLS, since).length > 1, {
      timeoutMs: 10_000,
      what: 'more',
    });
    for (const signal of on(POOLS, since)) {
      expect(signal.message).toEqual({ topics: ['gpu-pools'], cluster: 'sim' });
    }
  });

  it('knows no entity for workspaces it has no mapping for', async () => {
    const since = Date.now();
    await objects.createNamespacedCustomObject({
      ...WORKSPACES,
      namespace: 'default',
      body: workspace('stray', 'default', { labels: { app: 'stray' } }),
    });
    await eventually(async () => on(POOLS, since).length > 0, {
      timeoutMs: 10_000,
      what: 'the pools signal of the new workspace',
    });
    const entityChannels = published
      .filter(s => s.at >= since && s.channel.startsWith('kaito:entity:'))
      .map(s => s.channel);
    expect(entityChannels).toEqual([]);
  });
});
