import {
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Entity } from '@backstage/catalog-model';
import net from 'node:net';
import request from 'supertest';
import { kaitoPlugin } from './plugin';

/** A port nothing listens on: a cluster that is down. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'chatbot',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'chatbot' },
  },
  spec: { type: 'service', owner: 'group:default/ml-team', lifecycle: 'production' },
};

describe('kaito backend without a reachable cluster', () => {
  let downUrl: string;

  beforeAll(async () => {
    downUrl = `http://127.0.0.1:${await closedPort()}`;
  });

  function config(extra: object = {}) {
    return mockServices.rootConfig.factory({
      data: {
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'down',
                  url: downUrl,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 'token',
                  skipTLSVerify: true,
                },
                {
                  name: 'browser-only',
                  url: 'https://aks.example.com',
                  authProvider: 'aks',
                },
              ],
            },
          ],
        },
        kaito: {
          watch: { initialBackoffMs: 50, maxBackoffMs: 200, syncTimeoutMs: 2000 },
        },
        ...extra,
      },
    });
  }

  async function start(
    permissionResult: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  ) {
    return startTestBackend({
      features: [
        kaitoPlugin,
        config(),
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.permissions.factory({ result: permissionResult }),
      ],
    });
  }

  it('fails at startup naming the broken key', async () => {
    await expect(
      startTestBackend({
        features: [
          kaitoPlugin,
          mockServices.rootConfig.factory({
            data: {
              kubernetes: {
                clusterLocatorMethods: [
                  {
                    type: 'config',
                    clusters: [{ name: 'x', url: 'http://127.0.0.1:1', authProvider: 'serviceAccount', skipTLSVerify: true }],
                  },
                ],
              },
            },
          }),
          catalogServiceMock.factory({ entities: [] }),
        ],
      }),
    ).rejects.toThrow(
      "kubernetes.clusterLocatorMethods[0].clusters[0].serviceAccountToken",
    );
  });

  it('shows a down cluster as unhealthy and answers 503 naming it', async () => {
    const backend = await start();
    const { server } = backend;
    try {
      // The first sync fails: the cluster turns unhealthy with the reason.
      await waitFor(async () => {
        const res = await request(server).get('/api/kaito/clusters');
        const down = res.body.items.find((c: any) => c.name === 'down');
        return down.health.state === 'unhealthy';
      });
      const clusters = await request(server).get('/api/kaito/clusters');
      expect(clusters.status).toBe(200);
      expect(clusters.body.items).toEqual([
        {
          name: 'down',
          authProvider: 'serviceAccount',
          health: expect.objectContaining({
            state: 'unhealthy',
            error: expect.stringContaining('ECONNREFUSED'),
          }),
        },
        {
          name: 'browser-only',
          authProvider: 'aks',
          health: expect.objectContaining({
            state: 'unavailable',
            error: expect.stringContaining('authProvider "aks" is not supported'),
          }),
        },
      ]);

      const detail = await request(server).get(
        '/api/kaito/clusters/down/namespaces/ml/workspaces/x',
      );
      expect(detail.status).toBe(503);
      expect(detail.body.error.name).toBe('ServiceUnavailableError');
      expect(detail.body.error.message).toContain('Cluster "down" is unavailable');

      const other = await request(server).get(
        '/api/kaito/clusters/browser-only/namespaces/ml/workspaces/x',
      );
      expect(other.status).toBe(503);
      expect(other.body.error.message).toContain('Cluster "browser-only"');

      const unknown = await request(server).get(
        '/api/kaito/clusters/nope/namespaces/ml/workspaces/x',
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toContain('Unknown cluster "nope"');

      // Listing an entity's workspaces degrades to per-cluster errors.
      const list = await request(server).get(
        '/api/kaito/workspaces?entityRef=component:default/chatbot',
      );
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([]);
      expect(list.body.errors).toEqual([
        { cluster: 'down', message: expect.stringContaining('Cluster "down"') },
        { cluster: 'browser-only', message: expect.stringContaining('Cluster "browser-only"') },
      ]);

      const create = await request(server)
        .post('/api/kaito/workspaces')
        .send({
          entityRef: 'component:default/chatbot',
          cluster: 'down',
          namespace: 'ml',
          name: 'serve-phi',
          resource: { instanceType: 'Standard_NC24ads_A100_v4' },
          inference: { preset: 'phi-4-mini-instruct' },
        });
      expect(create.status).toBe(503);
      expect(create.body.error.message).toContain('Cluster "down"');
    } finally {
      await backend.stop();
    }
  });

  it('refuses a dry run it cannot check with the cluster: 503 naming it, no stack', async () => {
    // A dry run goes the way of the create up to the write, including the
    // cluster's own dry run; with the cluster down it cannot pass.
    const backend = await start();
    const { server } = backend;
    try {
      const res = await request(server)
        .post('/api/kaito/workspaces')
        .send({
          entityRef: 'component:default/chatbot',
          cluster: 'down',
          namespace: 'ml',
          name: 'serve-phi',
          dryRun: true,
          resource: { instanceType: 'Standard_NC24ads_A100_v4' },
          inference: { preset: 'phi-4-mini-instruct' },
        });
      expect(res.status).toBe(503);
      expect(res.body.error.name).toBe('ServiceUnavailableError');
      expect(res.body.error.message).toContain('"down"');
      expect(res.body.error.stack).toBeUndefined();
    } finally {
      await backend.stop();
    }
  });

  it('serves the preset catalog and the SKU catalog with fit and price', async () => {
    const backend = await start();
    const { server } = backend;
    try {
      const presets = await request(server).get('/api/kaito/catalog/presets');
      expect(presets.status).toBe(200);
      expect(presets.body.items.length).toBeGreaterThan(5);
      expect(presets.body.items[0]).toHaveProperty('huggingFaceId');

      const skus = await request(server).get(
        '/api/kaito/catalog/skus?preset=phi-4-mini-instruct&mode=tuning&method=qlora',
      );
      expect(skus.status).toBe(200);
      expect(skus.body.quotaError).toContain('cluster');
      const fitting = skus.body.items.filter((i: any) => i.fit.fits);
      expect(fitting.length).toBeGreaterThan(0);
      // Without quota data the recommendation is the cheapest fit.
      const cheapest = [...fitting].sort(
        (a: any, b: any) => a.usdPerHour - b.usdPerHour,
      )[0];
      expect(skus.body.recommendation.name).toBe(cheapest.name);

      for (const [query, field] of [
        ['preset=nope', 'preset'],
        ['preset=phi-4-mini-instruct&mode=training', 'mode'],
        ['preset=phi-4-mini-instruct&mode=tuning&method=full', 'method'],
      ]) {
        const bad = await request(server).get(`/api/kaito/catalog/skus?${query}`);
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toMatch(new RegExp(`^${field}:`));
      }
    } finally {
      await backend.stop();
    }
  });

  it('returns an empty run history and rejects missing entity refs', async () => {
    const backend = await start();
    const { server } = backend;
    try {
      const runs = await request(server).get(
        '/api/kaito/runs?entityRef=component:default/chatbot',
      );
      expect(runs.status).toBe(200);
      expect(runs.body).toEqual({ items: [] });
      const missing = await request(server).get('/api/kaito/runs');
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toContain('entityRef');
      const bad = await request(server).get('/api/kaito/workspaces?entityRef=::');
      expect(bad.status).toBe(400);
      const unknownEntity = await request(server).get(
        '/api/kaito/workspaces?entityRef=component:default/ghost',
      );
      expect(unknownEntity.status).toBe(404);
    } finally {
      await backend.stop();
    }
  });

  it('reports GPU pools as not configured without Azure coordinates', async () => {
    const backend = await start();
    const { server } = backend;
    try {
      const res = await request(server).get('/api/kaito/clusters/down/gpu-pools');
      expect(res.status).toBe(501);
      expect(res.body.error.message).toContain('kaito.clusters.down.azure');
    } finally {
      await backend.stop();
    }
  });

  describe('when the permission policy denies', () => {
    it.each([
      ['get', '/api/kaito/clusters'],
      ['get', '/api/kaito/workspaces?entityRef=component:default/chatbot'],
      ['get', '/api/kaito/runs?entityRef=component:default/chatbot'],
      ['get', '/api/kaito/catalog/presets'],
      ['get', '/api/kaito/catalog/skus'],
      ['get', '/api/kaito/clusters/down/gpu-pools'],
      ['get', '/api/kaito/clusters/down/gpu-pools/gpu1'],
      ['post', '/api/kaito/clusters/down/gpu-pools'],
      ['patch', '/api/kaito/clusters/down/gpu-pools/gpu1'],
      ['delete', '/api/kaito/clusters/down/gpu-pools/gpu1'],
      ['post', '/api/kaito/workspaces'],
    ] as const)('%s %s is 403', async (method, path) => {
      const backend = await start(AuthorizeResult.DENY);
    const { server } = backend;
      try {
        const res = await request(server)
          [method](path)
          .send(
            method === 'post' && path.endsWith('/workspaces')
              ? {
                  entityRef: 'component:default/chatbot',
                  cluster: 'down',
                  namespace: 'ml',
                  name: 'x',
                  dryRun: true,
                  resource: {},
                  inference: { preset: 'phi-4-mini-instruct' },
                }
              : {},
          );
        expect(res.status).toBe(403);
        expect(res.body.error.name).toBe('NotAllowedError');
      } finally {
        await backend.stop();
      }
    });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise(r => setTimeout(r, 50));
  }
}
