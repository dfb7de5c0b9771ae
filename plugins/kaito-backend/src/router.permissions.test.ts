import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
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
const WS = `${BASE}/clusters/sim/namespaces/ml-team/workspaces/perm-ws`;

/** A policy that denies the named permissions and records every request. */
function policy(denied: string[]) {
  const seen: Array<{ permission: string; resourceRef?: string }> = [];
  const permissions = mockServices.permissions.mock({
    authorize: async (requests: EvaluatePermissionRequest[]) =>
      requests.map(r => {
        seen.push({
          permission: r.permission.name,
          resourceRef: (r as { resourceRef?: string }).resourceRef,
        });
        return {
          result: denied.includes(r.permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        };
      }),
  });
  return { factory: permissions.factory, seen };
}

describe('permissions on workspace routes', () => {
  let sim: RunningSimulator;
  let admin: Awaited<ReturnType<typeof startKaitoBackend>>;

  beforeAll(async () => {
    sim = await startTeamSimulator({ timeScale: 300, seed: 'none' });
    admin = await startKaitoBackend({ config: simulatorConfig(sim) });
    const create = await request(admin.server).post(`${BASE}/workspaces`).send({
      entityRef: 'component:default/chatbot',
      cluster: 'sim',
      namespace: TEAM_NAMESPACE,
      name: 'perm-ws',
      resource: { instanceType: 'Standard_NC24ads_A100_v4' },
      inference: { preset: 'phi-4-mini-instruct' },
    });
    if (create.status !== 201) {
      throw new Error(`setup failed: ${create.status} ${JSON.stringify(create.body)}`);
    }
    await eventually(async () => {
      const res = await request(admin.server).get(WS);
      return res.body.state === 'Ready';
    }, { timeoutMs: 30_000, what: 'Ready' });
  });

  afterAll(async () => {
    await admin?.stop();
    await sim?.stop();
  });

  async function withPolicy(
    denied: string[],
    fn: (server: any, seen: ReturnType<typeof policy>['seen']) => Promise<void>,
  ) {
    const p = policy(denied);
    const backend = await startKaitoBackend({
      config: simulatorConfig(sim),
      permissions: p.factory,
    });
    try {
      await eventually(async () => {
        const res = await request(backend.server).get(`${BASE}/clusters`);
        return res.body.items?.[0]?.health.state === 'healthy';
      });
      await fn(backend.server, p.seen);
    } finally {
      await backend.stop();
    }
  }

  it('checks kaito.workspace.read against the workspace\u2019s entity', async () => {
    await withPolicy(['kaito.workspace.read'], async (server, seen) => {
      for (const path of [
        WS,
        `${WS}/logs`,
        `${BASE}/workspaces?entityRef=component:default/chatbot`,
        `${BASE}/runs?entityRef=component:default/chatbot`,
      ]) {
        const res = await request(server).get(path);
        expect(res.status).toBe(403);
        expect(res.body.error.message).toContain('kaito.workspace.read');
      }
      const chat = await request(server)
        .post(`${WS}/chat/completions`)
        .send({ messages: [{ role: 'user', content: 'hi' }] });
      expect(chat.status).toBe(403);
      expect(seen.filter(s => s.permission === 'kaito.workspace.read')).toEqual(
        Array(5).fill({
          permission: 'kaito.workspace.read',
          resourceRef: 'component:default/chatbot',
        }),
      );
    });
  });

  it('checks kaito.chat separately from reading', async () => {
    await withPolicy(['kaito.chat'], async (server, seen) => {
      expect((await request(server).get(WS)).status).toBe(200);
      const chat = await request(server)
        .post(`${WS}/chat/completions`)
        .send({ messages: [{ role: 'user', content: 'hi' }] });
      expect(chat.status).toBe(403);
      expect(chat.body.error.message).toContain(
        'kaito.chat on component:default/chatbot',
      );
      expect(seen).toContainEqual({
        permission: 'kaito.chat',
        resourceRef: 'component:default/chatbot',
      });
    });
  });

  it('checks kaito.workspace.delete and kaito.workspace.create against the entity', async () => {
    await withPolicy(
      ['kaito.workspace.delete', 'kaito.workspace.create'],
      async (server, seen) => {
        const del = await request(server).delete(WS);
        expect(del.status).toBe(403);
        const create = await request(server).post(`${BASE}/workspaces`).send({
          entityRef: 'component:default/chatbot',
          cluster: 'sim',
          namespace: TEAM_NAMESPACE,
          name: 'perm-ws-2',
          resource: { instanceType: 'Standard_NC24ads_A100_v4' },
          inference: { preset: 'phi-4-mini-instruct' },
        });
        expect(create.status).toBe(403);
        expect(seen).toEqual(
          expect.arrayContaining([
            { permission: 'kaito.workspace.delete', resourceRef: 'component:default/chatbot' },
            { permission: 'kaito.workspace.create', resourceRef: 'component:default/chatbot' },
          ]),
        );
        // Nothing changed in the cluster.
        const stored = sim.store.list({ group: 'kaito.sh', plural: 'workspaces' }).items;
        expect(stored.map(w => [w.metadata.name, Boolean(w.metadata.deletionTimestamp)])).toEqual([
          ['perm-ws', false],
        ]);
      },
    );
  });

  it('checks kaito.gpupool.manage for pool writes and kaito.gpupool.read for reads', async () => {
    await withPolicy(['kaito.gpupool.manage'], async (server, seen) => {
      seen.length = 0;
      expect((await request(server).get(`${BASE}/clusters/sim/gpu-pools`)).status).toBe(200);
      const create = await request(server)
        .post(`${BASE}/clusters/sim/gpu-pools`)
        .send({ name: 'denied', vmSize: 'Standard_NC24ads_A100_v4' });
      expect(create.status).toBe(403);
      expect(sim.arm.getAgentPool('denied')).toBeUndefined();
      expect(seen).toEqual([
        { permission: 'kaito.gpupool.read', resourceRef: undefined },
        { permission: 'kaito.gpupool.manage', resourceRef: undefined },
      ]);
    });
  });
});
