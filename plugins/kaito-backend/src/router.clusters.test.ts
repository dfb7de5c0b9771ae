import { RunningSimulator } from '@kaito-backstage/simulator';
import request from 'supertest';
import {
  eventually,
  simulatorConfig,
  startKaitoBackend,
  startTeamSimulator,
  TEAM_NAMESPACE,
} from './__testUtils__/simulatorBackend';

jest.setTimeout(120_000);

const BASE = '/api/kaito';

function workspace(name: string) {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: {
      name,
      namespace: TEAM_NAMESPACE,
      labels: { 'backstage.io/kubernetes-id': 'chatbot' },
      annotations: { 'kaito.backstage.io/entity-ref': 'component:default/chatbot' },
    },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { app: name } },
    },
    inference: { preset: { name: 'phi-4-mini-instruct' } },
  } as any;
}

describe('two clusters: one goes down, one keeps dropping watches', () => {
  let a: RunningSimulator;
  let b: RunningSimulator;
  let backend: Awaited<ReturnType<typeof startKaitoBackend>>;

  beforeAll(async () => {
    a = await startTeamSimulator({ timeScale: 100, seed: 'none' });
    b = await startTeamSimulator({ timeScale: 100, seed: 'none' });
    const ca: any = simulatorConfig(a, 'east');
    const cb: any = simulatorConfig(b, 'west');
    ca.kubernetes.clusterLocatorMethods[0].clusters.push(
      ...cb.kubernetes.clusterLocatorMethods[0].clusters,
    );
    ca.kaito.clusters.west = cb.kaito.clusters.west;
    backend = await startKaitoBackend({ config: ca });
    await a.store.create(workspace('on-east'));
    await b.store.create(workspace('on-west'));
    await eventually(async () => {
      const res = await request(backend.server).get(
        `${BASE}/workspaces?entityRef=component:default/chatbot`,
      );
      return res.body.items?.length === 2;
    }, { timeoutMs: 20_000, what: 'both workspaces' });
  });

  afterAll(async () => {
    await backend?.stop();
    await a?.stop();
    await b?.stop();
  });

  it('keeps serving the healthy cluster through dropped watches', async () => {
    a.faults.patch({ watchDrop: { everyMs: 150 } });
    try {
      const create = await request(backend.server).post(`${BASE}/workspaces`).send({
        entityRef: 'component:default/chatbot',
        cluster: 'east',
        namespace: TEAM_NAMESPACE,
        name: 'during-drops',
        resource: { instanceType: 'Standard_NC24ads_A100_v4' },
        inference: { preset: 'phi-4-mini-instruct' },
      });
      expect(create.status).toBe(201);
      // The controllers keep changing it while streams drop; every request
      // succeeds and the cache follows it to Ready.
      await eventually(
        async () => {
          const res = await request(backend.server).get(
            `${BASE}/clusters/east/namespaces/ml-team/workspaces/during-drops`,
          );
          expect(res.status).toBe(200);
          return res.body.state === 'Ready';
        },
        { timeoutMs: 30_000, what: 'Ready under watch drops' },
      );
      const clusters = await request(backend.server).get(`${BASE}/clusters`);
      expect(clusters.body.items[0].health.state).toBe('healthy');
    } finally {
      a.faults.patch({ watchDrop: { everyMs: 0 } });
    }
  });

  it('answers the cluster that is down from its last known state, marked stale', async () => {
    await b.stop();
    await eventually(async () => {
      const res = await request(backend.server).get(`${BASE}/clusters`);
      return res.body.items.find((c: any) => c.name === 'west').health.state === 'unhealthy';
    }, { timeoutMs: 20_000, what: 'west unhealthy' });
    const clusters = await request(backend.server).get(`${BASE}/clusters`);
    expect(clusters.body.items.map((c: any) => [c.name, c.health.state])).toEqual([
      ['east', 'healthy'],
      ['west', 'unhealthy'],
    ]);

    // West synced before it went down: its workspaces are still listed,
    // with west marked stale (naming it), not as an error.
    const list = await request(backend.server).get(
      `${BASE}/workspaces?entityRef=component:default/chatbot`,
    );
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: any) => `${i.cluster}/${i.name}`).sort()).toEqual([
      'east/during-drops',
      'east/on-east',
      'west/on-west',
    ]);
    expect(list.body.errors).toEqual([]);
    expect(list.body.clusters).toEqual([
      { cluster: 'east', stale: false, lastSyncedAt: expect.any(String) },
      {
        cluster: 'west',
        stale: true,
        lastSyncedAt: expect.any(String),
        staleSince: expect.any(String),
        message: expect.stringContaining('Cluster "west" is unavailable'),
      },
    ]);
    const westFreshness = list.body.clusters[1];
    expect(Date.parse(westFreshness.staleSince)).toBeGreaterThanOrEqual(
      Date.parse(westFreshness.lastSyncedAt),
    );

    const west = await request(backend.server).get(
      `${BASE}/clusters/west/namespaces/ml-team/workspaces/on-west`,
    );
    expect(west.status).toBe(200);
    expect(west.body.name).toBe('on-west');
    expect(west.body.freshness).toEqual(westFreshness);

    // Writes need the API server: refused, naming the cluster.
    const create = await request(backend.server).post(`${BASE}/workspaces`).send({
      entityRef: 'component:default/chatbot',
      cluster: 'west',
      namespace: TEAM_NAMESPACE,
      name: 'while-down',
      resource: { instanceType: 'Standard_NC24ads_A100_v4' },
      inference: { preset: 'phi-4-mini-instruct' },
    });
    expect(create.status).toBe(503);
    expect(create.body.error.message).toContain('"west"');
    const westPools = await request(backend.server).get(`${BASE}/clusters/west/gpu-pools`);
    expect(westPools.status).toBe(503);
    expect(westPools.body.error.message).toContain('"west"');

    const east = await request(backend.server).get(
      `${BASE}/clusters/east/namespaces/ml-team/workspaces/on-east`,
    );
    expect(east.status).toBe(200);
    expect(east.body.freshness).toEqual({
      cluster: 'east',
      stale: false,
      lastSyncedAt: expect.any(String),
    });
    expect((await request(backend.server).get(`${BASE}/clusters/east/gpu-pools`)).status).toBe(200);
  });
});
