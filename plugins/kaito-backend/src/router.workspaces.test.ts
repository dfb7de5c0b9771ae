import { mockServices } from '@backstage/backend-test-utils';
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
const WS = `${BASE}/clusters/sim/namespaces/ml-team/workspaces/serve-phi`;

describe('workspaces: inference lifecycle against the simulator', () => {
  let sim: RunningSimulator;
  let backend: Awaited<ReturnType<typeof startKaitoBackend>>;
  const auditEvents: Array<{ eventId: string; outcome?: string; meta?: unknown }> = [];

  beforeAll(async () => {
    sim = await startTeamSimulator({ timeScale: 200, seed: 'none' });
    const auditor = mockServices.auditor.mock({
      createEvent: async options => {
        const record: (typeof auditEvents)[number] = {
          eventId: options.eventId,
          meta: options.meta,
        };
        auditEvents.push(record);
        return {
          success: async () => {
            record.outcome = 'success';
          },
          fail: async () => {
            record.outcome = 'fail';
          },
        };
      },
    });
    backend = await startKaitoBackend({
      config: simulatorConfig(sim),
      features: [auditor.factory],
    });
    await sim.store.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'search' },
    } as any);
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  it('lists the cluster as healthy with its Azure coordinates', async () => {
    await eventually(async () => {
      const res = await request(backend.server).get(`${BASE}/clusters`);
      return res.body.items[0].health.state === 'healthy';
    });
    const res = await request(backend.server).get(`${BASE}/clusters`);
    expect(res.body.items).toEqual([
      {
        name: 'sim',
        authProvider: 'serviceAccount',
        health: expect.objectContaining({ state: 'healthy' }),
        azure: {
          subscriptionId: sim.subscriptionId,
          resourceGroup: sim.resourceGroup,
          clusterName: sim.clusterName,
          location: sim.location,
        },
      },
    ]);
  });

  it('creates an inference workspace, follows it to Ready and serves chat', async () => {
    const create = await request(backend.server)
      .post(`${BASE}/workspaces`)
      .send({
        entityRef: 'component:default/chatbot',
        cluster: 'sim',
        namespace: TEAM_NAMESPACE,
        name: 'serve-phi',
        resource: { instanceType: 'Standard_NC24ads_A100_v4' },
        inference: { preset: 'phi-4-mini-instruct' },
      });
    expect(create.status).toBe(201);
    expect(create.body.workspace).toMatchObject({
      cluster: 'sim',
      namespace: TEAM_NAMESPACE,
      name: 'serve-phi',
      uid: expect.any(String),
      type: 'inference',
      preset: 'phi-4-mini-instruct',
      instanceType: 'Standard_NC24ads_A100_v4',
      entityRef: 'component:default/chatbot',
      createdBy: 'user:default/mock',
    });
    // The object in the cluster carries the suite's label and annotations.
    const stored = sim.store.get({
      group: 'kaito.sh',
      plural: 'workspaces',
      namespace: TEAM_NAMESPACE,
      name: 'serve-phi',
    })!;
    expect(stored.metadata.labels).toMatchObject({
      'backstage.io/kubernetes-id': 'chatbot',
      'app.kubernetes.io/managed-by': 'backstage-kaito',
    });
    expect(stored.metadata.annotations).toMatchObject({
      'kaito.backstage.io/entity-ref': 'component:default/chatbot',
      'kaito.backstage.io/created-by': 'user:default/mock',
    });

    // Creating it again is a conflict.
    const again = await request(backend.server)
      .post(`${BASE}/workspaces`)
      .send({
        entityRef: 'component:default/chatbot',
        cluster: 'sim',
        namespace: TEAM_NAMESPACE,
        name: 'serve-phi',
        resource: { instanceType: 'Standard_NC24ads_A100_v4' },
        inference: { preset: 'phi-4-mini-instruct' },
      });
    expect(again.status).toBe(409);

    const ready = await eventually(
      async () => {
        const res = await request(backend.server).get(
          `${BASE}/workspaces?entityRef=component:default/chatbot`,
        );
        const item = res.body.items.find((i: any) => i.name === 'serve-phi');
        return item?.state === 'Ready' ? item : undefined;
      },
      { timeoutMs: 30_000, what: 'Ready' },
    );
    expect(ready).toMatchObject({
      type: 'inference',
      state: 'Ready',
      conditions: expect.arrayContaining([
        expect.objectContaining({ type: 'ResourceReady', status: 'True' }),
        expect.objectContaining({ type: 'InferenceReady', status: 'True' }),
      ]),
      nodes: { target: 1, workers: [expect.any(String)], ready: 1 },
      usage: expect.objectContaining({ nodeCount: 1, usdPerHour: 3.673 }),
      endpoint: {
        serviceUrl: 'http://serve-phi.ml-team.svc.cluster.local:80',
        chatPath: '/clusters/sim/namespaces/ml-team/workspaces/serve-phi/chat/completions',
      },
    });

    const chat = await request(backend.server)
      .post(`${WS}/chat/completions`)
      .send({ messages: [{ role: 'user', content: 'hello there' }] });
    expect(chat.status).toBe(200);
    expect(chat.body.object).toBe('chat.completion');
    expect(chat.body.choices[0].message.content).toContain('hello there');

    const stream = await request(backend.server)
      .post(`${WS}/chat/completions`)
      .send({ stream: true, messages: [{ role: 'user', content: 'stream please' }] })
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => done(null, text));
      });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toContain('text/event-stream');
    const chunks = (stream.body as string)
      .split('\n')
      .filter(l => l.startsWith('data: '));
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks[chunks.length - 1]).toBe('data: [DONE]');
    expect(JSON.parse(chunks[0].slice(6)).object).toBe('chat.completion.chunk');

    const badChat = await request(backend.server)
      .post(`${WS}/chat/completions`)
      .send({ messages: [] });
    expect(badChat.status).toBe(400);
    expect(badChat.body.error.message).toContain('messages');
  });

  it('reads lists from the watch cache without calling the API server', async () => {
    // Every Kubernetes API request now takes 3 s; a read that answers fast
    // did not make one.
    sim.faults.patch({ latencyMs: { kube: 3000 } });
    try {
      const started = Date.now();
      const list = await request(backend.server).get(
        `${BASE}/workspaces?entityRef=component:default/chatbot`,
      );
      expect(list.status).toBe(200);
      expect(list.headers['content-type']).toMatch(/^application\/json/);
      expect(list.body.items.map((i: any) => i.name)).toContain('serve-phi');
      const created = list.body.items.map((i: any) => i.createdAt);
      expect([...created].sort().reverse()).toEqual(created);
      const detail = await request(backend.server).get(WS);
      expect(detail.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      sim.faults.patch({ latencyMs: { kube: 0 } });
    }
  });

  it('describes the workspace: timeline, events, pods, node claims, adapters', async () => {
    const res = await request(backend.server).get(WS);
    expect(res.status).toBe(200);
    const detail = res.body;
    const times = detail.timeline.map((c: any) => c.lastTransitionTime);
    expect([...times].sort()).toEqual(times);
    expect(detail.timeline.map((c: any) => c.type)).toEqual(
      expect.arrayContaining(['ResourceReady', 'InferenceReady', 'WorkspaceSucceeded']),
    );
    expect(detail.events.length).toBeGreaterThan(2);
    expect(detail.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          object: { kind: 'Workspace', name: 'serve-phi' },
        }),
        expect.objectContaining({ object: { kind: 'Pod', name: 'serve-phi-0' } }),
      ]),
    );
    expect(detail.pods).toEqual([
      expect.objectContaining({ name: 'serve-phi-0', ready: true, phase: 'Running' }),
    ]);
    expect(detail.nodeClaims).toEqual([
      expect.objectContaining({ ready: 'True' }),
    ]);
    expect(detail.inference).toEqual({ runtime: 'vllm', adapters: [] });
    expect(detail.tuning).toBeUndefined();
  });

  it('streams the model server log with tailLines', async () => {
    const res = await request(backend.server).get(`${WS}/logs?tailLines=2`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.headers['x-kaito-pod']).toBe('serve-phi-0');
    const lines = res.text.trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(lines.length).toBeGreaterThan(0);

    const bad = await request(backend.server).get(`${WS}/logs?tailLines=-1`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('tailLines');
    const badContainer = await request(backend.server).get(`${WS}/logs?container=nope`);
    expect(badContainer.status).toBe(400);
  });

  it('maps entities by label selector and namespace, never by client input', async () => {
    const make = (name: string, namespace: string, labels: Record<string, string>) =>
      sim.store.create({
        apiVersion: 'kaito.sh/v1beta1',
        kind: 'Workspace',
        metadata: { name, namespace, labels },
        resource: {
          instanceType: 'Standard_NC24ads_A100_v4',
          labelSelector: { matchLabels: { app: name } },
        },
        inference: { preset: { name: 'phi-4-mini-instruct' } },
      } as any);
    await make('ranker', 'search', { team: 'search', app: 'ranker' });
    await make('other-app', 'search', { team: 'search', app: 'other' });
    await make('ranker', 'default', { team: 'search', app: 'ranker' });

    const list = await eventually(async () => {
      const res = await request(backend.server).get(
        `${BASE}/workspaces?entityRef=component:default/search`,
      );
      return res.body.items.length > 0 ? res.body.items : undefined;
    });
    expect(list.map((i: any) => `${i.namespace}/${i.name}`)).toEqual(['search/ranker']);

    // Not created by the suite: the caller must name the entity, and the
    // backend checks it against the entity's own annotations.
    const path = `${BASE}/clusters/sim/namespaces/search/workspaces/ranker`;
    const anonymous = await request(backend.server).get(path);
    expect(anonymous.status).toBe(403);
    expect(anonymous.body.error.message).toContain('not linked to a catalog entity');
    const wrong = await request(backend.server).get(
      `${path}?entityRef=component:default/chatbot`,
    );
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toContain('does not belong to');
    const right = await request(backend.server).get(
      `${path}?entityRef=component:default/search`,
    );
    expect(right.status).toBe(200);
    expect(right.body.name).toBe('ranker');

    const missing = await request(backend.server).get(
      `${BASE}/clusters/sim/namespaces/ml-team/workspaces/nope`,
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('ml-team/nope');
  });

  it('deletes the workspace and keeps its run in the history', async () => {
    const del = await request(backend.server).delete(WS);
    expect(del.status).toBe(202);
    expect(del.body).toMatchObject({ name: 'serve-phi', state: 'Deleting' });

    await eventually(
      async () => {
        const res = await request(backend.server).get(
          `${BASE}/workspaces?entityRef=component:default/chatbot`,
        );
        return !res.body.items.some((i: any) => i.name === 'serve-phi');
      },
      { timeoutMs: 30_000, what: 'the workspace to be gone' },
    );
    const runs = await eventually(async () => {
      const res = await request(backend.server).get(
        `${BASE}/runs?entityRef=component:default/chatbot`,
      );
      return res.body.items[0]?.deletedAt ? res.body.items : undefined;
    });
    expect(runs).toEqual([
      expect.objectContaining({
        cluster: 'sim',
        namespace: TEAM_NAMESPACE,
        workspace: 'serve-phi',
        entityRef: 'component:default/chatbot',
        createdBy: 'user:default/mock',
        mode: 'inference',
        preset: 'phi-4-mini-instruct',
        instanceType: 'Standard_NC24ads_A100_v4',
        outcome: 'deleted',
        state: 'Ready',
        active: false,
        durationSeconds: expect.any(Number),
        gpuHours: expect.any(Number),
        estimatedCostUsd: expect.any(Number),
      }),
    ]);

    const again = await request(backend.server).delete(WS);
    expect(again.status).toBe(404);
  });

  it('audited every write', () => {
    const byId = (id: string) => auditEvents.filter(e => e.eventId === id);
    expect(byId('workspace-create').map(e => e.outcome)).toEqual(['success', 'fail']);
    expect(byId('workspace-create')[0].meta).toMatchObject({
      entityRef: 'component:default/chatbot',
      cluster: 'sim',
      namespace: TEAM_NAMESPACE,
      name: 'serve-phi',
    });
    expect(byId('chat-completion').map(e => e.outcome)).toEqual([
      'success',
      'success',
      'fail',
    ]);
    expect(byId('workspace-delete').map(e => e.outcome)).toEqual(['success']);
  });
});
