import { Entity } from '@backstage/catalog-model';
import { RunningSimulator, startSimulator } from '@kaito-backstage/simulator';
import http from 'node:http';
import request, { Response } from 'supertest';
import {
  eventually,
  simulatorConfigWithSpares,
  startKaitoBackend,
} from './__testUtils__/simulatorBackend';

/*
 * Issue 11, one row per finding of the issue ("Tried as a new user would"),
 * through the real backend on the simulator's demo seed over HTTP. Each row
 * sends what the finding sent and checks the answer; every row that could
 * create something also checks, through the simulator itself, that nothing
 * was created.
 */

jest.setTimeout(180_000);

const BASE = '/api/kaito';

const entity = (
  kind: string,
  name: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', annotations },
  spec: {
    owner: 'group:default/ml-team',
    type: 'service',
    lifecycle: 'production',
  },
});

/** As in examples/entities.yaml. */
const ENTITIES = [
  entity('System', 'assistants'),
  entity('Component', 'support-chatbot', {
    'backstage.io/kubernetes-id': 'support-chatbot',
    'backstage.io/kubernetes-namespace': 'ml-team',
  }),
  entity('Component', 'code-assistant', {
    'backstage.io/kubernetes-id': 'code-assistant',
    'backstage.io/kubernetes-namespace': 'ml-team',
  }),
];

/** A valid inference request for the support chatbot (dry run unless told). */
const body = (patch: Record<string, unknown> = {}) => ({
  entityRef: 'component:default/support-chatbot',
  cluster: 'sim',
  namespace: 'ml-team',
  name: 'strict-row',
  dryRun: true,
  resource: { instanceType: 'Standard_NC24ads_A100_v4' },
  inference: { preset: 'phi-4-mini-instruct' },
  ...patch,
});

const tuningBody = (tuning: Record<string, unknown>) =>
  body({
    inference: undefined,
    tuning: {
      preset: 'phi-3-mini-128k-instruct',
      method: 'qlora',
      input: { urls: ['https://example.com/data.jsonl'] },
      output: {
        image: 'registry.example.com/a/b:v1',
        imagePushSecret: 'acr-push-secret',
      },
      ...tuning,
    },
  });

const chatPath = (name: string) =>
  `${BASE}/clusters/sim/namespaces/ml-team/workspaces/${name}/chat/completions`;
const hello = { messages: [{ role: 'user', content: 'hello' }], max_tokens: 8 };

/** A message names a field when it, or one of its listed issues, starts with `field:`. */
function namesField(message: string, field: string): boolean {
  return message.startsWith(`${field}:`) || message.includes(`\n- ${field}:`);
}

interface Row {
  finding: string;
  send: (server: any) => Promise<Response>;
  status: number;
  /** Rule id the message names, `[rule]`. */
  rule?: string;
  /** Field the message starts with. */
  field?: string;
  check?: (res: Response) => void;
}

const post = (server: any, payload: unknown) =>
  request(server)
    .post(`${BASE}/workspaces`)
    .send(payload as object);

const ROWS: Row[] = [
  {
    finding: '"dryrun": true (a typo of dryRun) created a real workspace',
    send: s => post(s, { ...body({ dryRun: undefined }), dryrun: true }),
    status: 400,
    rule: 'field.unknown',
    field: 'dryrun',
    check: res => {
      expect(res.body.error.message).toContain('did you mean dryRun?');
      expect(res.body.error.issues).toEqual([
        expect.objectContaining({
          field: 'dryrun',
          rule: 'field.unknown',
          didYouMean: 'dryRun',
        }),
      ]);
    },
  },
  {
    finding: '"bogus": 1 is accepted',
    send: s => post(s, { ...body({ dryRun: undefined }), bogus: 1 }),
    status: 400,
    rule: 'field.unknown',
    field: 'bogus',
  },
  {
    finding: 'tuning.adapters is dropped without a word',
    send: s =>
      post(
        s,
        tuningBody({
          adapters: [{ name: 'a', image: 'registry.example.com/a:v1' }],
        }),
      ),
    status: 400,
    rule: 'field.unknown',
    field: 'tuning.adapters',
  },
  {
    finding: 'a create body with a 1 MiB padding field created a workspace',
    send: s =>
      post(s, {
        ...body({ dryRun: undefined }),
        padding: 'x'.repeat(1024 * 1024),
      }),
    status: 413,
    rule: 'body.too-large',
    field: 'body',
  },
  {
    finding: 'bodies up to 2 MiB are accepted (the write bound is 64 KiB)',
    send: s =>
      post(
        s,
        body({
          inference: {
            preset: 'phi-4-mini-instruct',
            config: 'c'.repeat(70 * 1024),
          },
        }),
      ),
    status: 413,
    rule: 'body.too-large',
  },
  {
    finding: 'the chat bound is separate from the write bound',
    send: s =>
      request(s)
        .post(chatPath('support-chatbot'))
        .send({
          messages: [{ role: 'user', content: 'x'.repeat(1024 * 1024 + 1) }],
        }),
    status: 413,
    rule: 'body.too-large',
  },
  {
    finding:
      '"resource": {} with dryRun returned a manifest, though create was refused by admission',
    // Cluster "sim-unset" is the same simulator without nodeProvisioning in
    // config (as app-config.yaml has it), so only the cluster can tell.
    send: s => post(s, body({ cluster: 'sim-unset', resource: {} })),
    status: 400,
    rule: 'cluster.admission',
    check: res =>
      expect(res.body.error.message).toContain(
        'instanceType is required when node auto-provisioning is enabled',
      ),
  },
  {
    finding: 'the same request without dryRun is refused the same way',
    send: s =>
      post(s, body({ cluster: 'sim-unset', resource: {}, dryRun: undefined })),
    status: 400,
    rule: 'cluster.admission',
  },
  {
    finding:
      'through system:default/assistants (no kubernetes-namespace) the guest could target kube-system',
    send: s =>
      post(
        s,
        body({
          entityRef: 'system:default/assistants',
          namespace: 'kube-system',
        }),
      ),
    status: 403,
    rule: 'namespace.protected',
    field: 'namespace',
  },
  {
    finding: '... and default with the name kubernetes',
    send: s =>
      post(
        s,
        body({
          entityRef: 'system:default/assistants',
          namespace: 'default',
          name: 'kubernetes',
          dryRun: undefined,
        }),
      ),
    status: 403,
    rule: 'namespace.protected',
    field: 'namespace',
  },
  {
    finding: 'an entity that names its namespace keeps its workspaces there',
    send: s => post(s, body({ namespace: 'search' })),
    status: 403,
    rule: 'namespace.entity-namespace',
  },
  {
    finding: 'GPU pool tags follow the namespace policy',
    send: s =>
      request(s)
        .post(`${BASE}/clusters/sim/gpu-pools`)
        .send({
          name: 'gpux',
          vmSize: 'Standard_NC24ads_A100_v4',
          entityRef: 'component:default/support-chatbot',
          workspace: { namespace: 'kube-system', name: 'x' },
        }),
    status: 403,
    rule: 'namespace.entity-namespace',
    field: 'workspace.namespace',
  },
  {
    finding: '216 of 268 responses carried a stack with server file paths',
    send: s => post(s, { ...body(), bogus: 1 }),
    status: 400,
    check: res => {
      expect(res.body.error.stack).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toMatch(
        /node_modules|\.ts:\d+|\/src\//,
      );
    },
  },
  {
    finding: 'the invalid-JSON error echoes the raw body',
    send: s =>
      request(s)
        .post(`${BASE}/workspaces`)
        .set('Content-Type', 'application/json')
        .send('{"entityRef": "secret-value-xyz", oops'),
    status: 400,
    rule: 'body.json',
    check: res => {
      expect(JSON.stringify(res.body)).not.toContain('secret-value-xyz');
      expect(Object.keys(res.body.error).sort()).toEqual(['message', 'name']);
    },
  },
  {
    finding:
      'a 1 MiB name produced a 2 MiB error (now a 413; a 60 KiB name gets a short 400)',
    send: s => post(s, body({ name: 'n'.repeat(60 * 1024) })),
    status: 400,
    rule: 'name.dns-label',
    check: res => expect(res.text.length).toBeLessThan(4096),
  },
  {
    finding:
      'an unknown entity is 403 on create (but 404 on list): now 404 on create',
    send: s => post(s, body({ entityRef: 'component:default/ghost' })),
    status: 404,
    rule: 'entity.not-found',
    field: 'entityRef',
  },
  {
    finding: '... and 404 on list',
    send: s =>
      request(s).get(`${BASE}/workspaces?entityRef=component:default/ghost`),
    status: 404,
    rule: 'entity.not-found',
  },
  {
    finding: '... and 404 on run history',
    send: s => request(s).get(`${BASE}/runs?entityRef=component:default/ghost`),
    status: 404,
    rule: 'entity.not-found',
  },
  {
    finding:
      'chat with a workspace still provisioning answered 404 services "code-assistant" not found',
    send: s => request(s).post(chatPath('code-assistant')).send(hello),
    status: 409,
    rule: 'workspace.not-ready',
    check: res => {
      expect(res.body.error.name).toBe('ConflictError');
      expect(res.body.error.state).toMatch(/^(Pending|Provisioning)$/);
      expect(res.body.error.waitingFor).toMatch(/NodeClaimReady/);
      expect(res.body.error.message).not.toContain('services');
    },
  },
  {
    finding: 'upper-case entity refs are refused (list)',
    send: s =>
      request(s).get(
        `${BASE}/workspaces?entityRef=Component:Default/Support-Chatbot`,
      ),
    status: 200,
    check: res =>
      expect(res.body.items.map((w: any) => w.name)).toContain(
        'support-chatbot',
      ),
  },
  {
    finding: 'upper-case entity refs are refused (create, dry run)',
    send: s =>
      post(s, body({ entityRef: 'Component:Default/Support-Chatbot' })),
    status: 200,
    check: res =>
      expect(
        res.body.manifest.metadata.annotations['kaito.backstage.io/entity-ref'],
      ).toBe('component:default/support-chatbot'),
  },
  {
    finding: '"resource": "big" is reported as "is required"',
    send: s => post(s, body({ resource: 'big' })),
    status: 400,
    rule: 'field.type',
    field: 'resource',
    check: res => {
      expect(res.body.error.message).toContain(
        'resource: must be an object (got a string)',
      );
      expect(res.body.error.message).not.toContain('is required');
    },
  },
  {
    finding: 'query strings are strict too',
    send: s =>
      request(s).get(
        `${BASE}/workspaces?entityRef=component:default/support-chatbot&entityref=x`,
      ),
    status: 400,
    rule: 'query.unknown',
    field: 'entityref',
  },
  {
    finding: 'chat options are strict too',
    send: s =>
      request(s)
        .post(chatPath('support-chatbot'))
        .send({ ...hello, max_token: 5 }),
    status: 400,
    rule: 'field.unknown',
    check: res =>
      expect(res.body.error.message).toContain('did you mean max_tokens?'),
  },
  {
    finding: 'a body that is not JSON is refused, not ignored',
    send: s =>
      request(s)
        .post(`${BASE}/workspaces`)
        .set('Content-Type', 'text/plain')
        .send('hello'),
    status: 415,
    rule: 'body.media-type',
  },
  {
    finding: 'an unreachable cluster is a 503 naming it',
    send: s => post(s, body({ cluster: 'sim-down' })),
    status: 503,
    check: res => expect(res.body.error.message).toContain('"sim-down"'),
  },
];

describe('issue 11 findings, through the backend on the simulator', () => {
  let sim: RunningSimulator;
  let backend: Awaited<ReturnType<typeof startKaitoBackend>>;
  let workspacesBefore: string[];

  const workspaceNames = () =>
    sim.store
      .list({ group: 'kaito.sh', plural: 'workspaces' })
      .items.map((w: any) => `${w.metadata.namespace}/${w.metadata.name}`)
      .sort();

  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 100, seed: 'demo' });
    const config = simulatorConfigWithSpares(sim);
    config.kaito.limits = {
      chat: { requestsPerMinute: 3, concurrentStreams: 1 },
    };
    backend = await startKaitoBackend({ config, entities: ENTITIES });
    await eventually(async () => {
      const res = await request(backend.server).get(`${BASE}/clusters`);
      return res.body.items
        .filter((c: any) => c.name !== 'sim-down')
        .every((c: any) => c.health.state === 'healthy');
    });
    workspacesBefore = workspaceNames();
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  it.each(ROWS)('$finding -> $status $rule', async row => {
    const res = await row.send(backend.server);
    expect({
      status: res.status,
      body: res.status === row.status ? undefined : res.body,
    }).toEqual({
      status: row.status,
      body: undefined,
    });
    const message: string = res.body.error?.message ?? '';
    expect({
      rule: row.rule && message.includes(`[${row.rule}]`),
      field: row.field && namesField(message, row.field),
    }).toEqual({ rule: row.rule && true, field: row.field && true });
    row.check?.(res);
    expect(workspaceNames()).toEqual(workspacesBefore);
  });

  it('limits chat per user: requests per minute and streams at a time, 429 with Retry-After', async () => {
    // One stream at a time: a second request while the first streams is refused.
    const long = {
      messages: [{ role: 'user', content: 'word '.repeat(400) }],
      max_tokens: 2000,
      stream: true,
    };
    const stream = http.request({
      host: '127.0.0.1',
      port: backend.server.port(),
      path: chatPath('support-chatbot'),
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
    });
    const firstChunk = new Promise<number>((resolve, reject) => {
      stream.on('response', res =>
        res.once('data', () => resolve(res.statusCode!)),
      );
      stream.on('error', reject);
    });
    stream.end(JSON.stringify(long));
    expect(await firstChunk).toBe(200);
    const second = await request(backend.server)
      .post(chatPath('support-chatbot'))
      .send(hello);
    expect(second.status).toBe(429);
    expect(second.body.error.message).toContain('[chat.concurrency]');
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    stream.destroy();
    // The slot is free again once the first stream is gone.
    await new Promise(r => setTimeout(r, 200));

    // Three per minute (kaito.limits.chat.requestsPerMinute); the refused one
    // above counted none. Then 429 with the seconds left in the minute.
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 4 && !limited; i++) {
      const res = await request(backend.server)
        .post(chatPath('support-chatbot'))
        .send(hello);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(limited!.body.error.name).toBe('TooManyRequestsError');
    expect(limited!.body.error.message).toContain('[chat.rate-limit]');
    const retryAfter = Number(limited!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited!.body.error.retryAfterSeconds).toBe(retryAfter);
  });
});
