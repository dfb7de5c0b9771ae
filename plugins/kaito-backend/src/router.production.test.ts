import {
  createServiceFactory,
  coreServices,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { RunningSimulator } from '@kaito-backstage/simulator';
import request, { Response } from 'supertest';
import {
  OTHER_ENTITY,
  TEAM_NAMESPACE,
  TEST_ENTITY,
  eventually,
  simulatorConfigWithSpares,
  startKaitoBackend,
  startTeamSimulator,
} from './__testUtils__/simulatorBackend';

/*
 * Error responses in production mode (NODE_ENV=production, as the backend
 * runs with app-config.production.yaml): whatever goes wrong, no response
 * carries a stack, a file path, a token or the raw request body. And in
 * development mode only the unexpected 5xx carry a stack (Backstage's
 * convention), never a 4xx.
 */

jest.setTimeout(120_000);

const BASE = '/api/kaito';
/** Marks the raw body of a request; no response may contain it. */
const SECRET = 'raw-body-marker-5f3a';
/** A path an unexpected error drags along. */
const BROKEN = `EACCES: permission denied, open '/opt/app/node_modules/@kaito/x/dist/index.cjs.js:12:7'`;

const FILE_PATH =
  /(?:\/[\w.@+-]+){2,}\.(?:[cm]?[jt]sx?|json|ya?ml|pem)\b|node_modules|file:\/\//;

/** Permissions as a policy would decide, except that the chat check crashes. */
const crashingChatPermissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => {
    const allow = mockServices.permissions({ result: AuthorizeResult.ALLOW });
    return {
      ...allow,
      authorize: async (requests: any[], options: any) => {
        if (requests.some(r => r.permission.name === 'kaito.chat')) {
          throw new Error(BROKEN);
        }
        return allow.authorize(requests, options);
      },
    } as any;
  },
});

const create = (patch: Record<string, unknown> = {}) => ({
  entityRef: 'component:default/chatbot',
  cluster: 'sim',
  namespace: TEAM_NAMESPACE,
  name: 'prod-errors',
  dryRun: true,
  resource: { instanceType: 'Standard_NC24ads_A100_v4' },
  inference: { preset: 'phi-4-mini-instruct' },
  ...patch,
});

/** Requests that fail in every way the API can fail. */
const FAILURES: Array<[string, (server: any) => request.Test, number]> = [
  [
    'invalid JSON',
    s =>
      request(s)
        .post(`${BASE}/workspaces`)
        .set('Content-Type', 'application/json')
        .send(`{"x": "${SECRET}"`),
    400,
  ],
  [
    'a body above the bound',
    s =>
      request(s)
        .post(`${BASE}/workspaces`)
        .send({ ...create(), pad: `${SECRET}${'x'.repeat(70_000)}` }),
    413,
  ],
  [
    'a body that is not JSON',
    s =>
      request(s)
        .post(`${BASE}/workspaces`)
        .set('Content-Type', 'text/plain')
        .send(SECRET),
    415,
  ],
  [
    'an unknown field',
    s =>
      request(s)
        .post(`${BASE}/workspaces`)
        .send({ ...create(), [SECRET]: SECRET }),
    400,
  ],
  [
    'a wrong type',
    s =>
      request(s)
        .post(`${BASE}/workspaces`)
        .send(create({ resource: SECRET })),
    400,
  ],
  [
    'a huge name',
    s =>
      request(s)
        .post(`${BASE}/workspaces`)
        .send(create({ name: `${SECRET}${'n'.repeat(60_000)}` })),
    400,
  ],
  [
    'an unknown entity',
    s =>
      request(s)
        .post(`${BASE}/workspaces`)
        .send(create({ entityRef: `component:default/${SECRET}` })),
    404,
  ],
  [
    'a protected namespace',
    s =>
      request(s)
        .post(`${BASE}/workspaces`)
        .send(create({ namespace: 'kube-system' })),
    403,
  ],
  [
    'another entity\u2019s namespace',
    s =>
      request(s)
        .post(`${BASE}/workspaces`)
        .send(create({ entityRef: 'component:default/search' })),
    403,
  ],
  [
    'a namespace that does not exist',
    s =>
      request(s)
        .post(`${BASE}/workspaces`)
        .send(create({ namespace: 'no-such-team' })),
    400,
  ],
  [
    'admission refusing it',
    s =>
      request(s)
        .post(`${BASE}/workspaces`)
        .send(create({ cluster: 'sim-unset', resource: {} })),
    400,
  ],
  [
    'an unreachable cluster',
    s =>
      request(s)
        .post(`${BASE}/workspaces`)
        .send(create({ cluster: 'sim-down' })),
    503,
  ],
  [
    'an unknown cluster in the path',
    s => request(s).get(`${BASE}/clusters/${SECRET}/gpu-pools`),
    404,
  ],
  [
    'pools of a cluster without Azure config',
    s => request(s).get(`${BASE}/clusters/sim-unset/gpu-pools`),
    501,
  ],
  [
    'an unknown query parameter',
    s =>
      request(s).get(
        `${BASE}/workspaces?entityRef=component:default/chatbot&${SECRET}=1`,
      ),
    400,
  ],
  [
    'a repeated query parameter',
    s =>
      request(s).get(`${BASE}/workspaces?entityRef=a:b/c&entityRef=${SECRET}`),
    400,
  ],
  [
    'a workspace that does not exist',
    s =>
      request(s).get(
        `${BASE}/clusters/sim/namespaces/${TEAM_NAMESPACE}/workspaces/nope`,
      ),
    404,
  ],
  [
    'a crash inside a route (unexpected error)',
    s =>
      request(s)
        .post(
          `${BASE}/clusters/sim/namespaces/${TEAM_NAMESPACE}/workspaces/prod-ws/chat/completions`,
        )
        .send({ messages: [{ role: 'user', content: SECRET }] }),
    500,
  ],
  [
    'a bad token (refused before the plugin)',
    s =>
      request(s)
        .get(`${BASE}/clusters`)
        .set('Authorization', `Bearer ${SECRET}`),
    401,
  ],
];

/** What the unexpected 5xx answers in a mode. */
function crashAnswer(mode: string, logId: string) {
  const id = expect.stringMatching(/^[0-9a-f]{16}$/);
  if (mode === 'production') {
    return {
      message: `An internal error occurred; the backend log has it under logId=${logId}`,
      logId: id,
      stack: undefined,
    };
  }
  // Development: the message (file path removed) and the stack, as
  // Backstage's own error handler shows them there.
  return {
    message: "EACCES: permission denied, open '<file>'",
    logId: id,
    stack: expect.stringContaining('    at '),
  };
}

function deepKeys(value: unknown, out: string[] = []): string[] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      deepKeys(v, out);
    }
  }
  return out;
}

describe.each(['production', 'development'])(
  'error responses with NODE_ENV=%s',
  mode => {
    let sim: RunningSimulator;
    let backend: Awaited<ReturnType<typeof startKaitoBackend>>;
    const nodeEnv = process.env.NODE_ENV;
    const responses: Array<[string, number, Response]> = [];

    beforeAll(async () => {
      // Read when the routers are built (Backstage's MiddlewareFactory.error
      // and ours), so set it before the backend starts.
      process.env.NODE_ENV = mode;
      sim = await startTeamSimulator({ timeScale: 1, seed: 'none' });
      const config = simulatorConfigWithSpares(sim);
      backend = await startKaitoBackend({
        config,
        entities: [TEST_ENTITY, OTHER_ENTITY],
        permissions: crashingChatPermissions,
      });
      await eventually(async () => {
        const res = await request(backend.server).get(`${BASE}/clusters`);
        return res.body.items
          .filter((c: any) => c.name !== 'sim-down')
          .every((c: any) => c.health.state === 'healthy');
      });
      // A workspace to chat with (the chat crashes in the permission check).
      await sim.store.create({
        apiVersion: 'kaito.sh/v1beta1',
        kind: 'Workspace',
        metadata: {
          name: 'prod-ws',
          namespace: TEAM_NAMESPACE,
          labels: { 'backstage.io/kubernetes-id': 'chatbot' },
          annotations: {
            'kaito.backstage.io/entity-ref': 'component:default/chatbot',
          },
        },
        // The CRD schema requires a label selector (as KAITO's CRD does).
        resource: {
          instanceType: 'Standard_NC24ads_A100_v4',
          labelSelector: { matchLabels: { apps: 'prod-ws' } },
        },
        inference: { preset: { name: 'phi-4-mini-instruct' } },
      } as any);
      await eventually(async () => {
        const res = await request(backend.server).get(
          `${BASE}/clusters/sim/namespaces/${TEAM_NAMESPACE}/workspaces/prod-ws`,
        );
        return res.status === 200;
      });
      for (const [what, send, status] of FAILURES) {
        responses.push([what, status, await send(backend.server)]);
      }
    });

    afterAll(async () => {
      process.env.NODE_ENV = nodeEnv;
      await backend?.stop();
      await sim?.stop();
    });

    it.each(FAILURES.map(([what, , status]) => ({ what, status })))(
      '$what answers $status in the ErrorResponseBody shape',
      ({ what, status }) => {
        const [, , res] = responses.find(([w]) => w === what)!;
        expect(res.status).toBe(status);
        expect(res.body.error).toEqual(
          expect.objectContaining({
            name: expect.any(String),
            message: expect.any(String),
          }),
        );
        expect(res.body.response).toEqual({ statusCode: status });
      },
    );

    it('never sends a token or the raw body, and paths or stacks only for a 5xx in development', () => {
      for (const [what, status, res] of responses) {
        const text = res.text;
        // In development Backstage's own handler (which answers the 401, raised
        // before the plugin's router) adds a stack to every error; ours adds
        // one to 5xx only.
        const clean = mode === 'production' || (status < 500 && status !== 401);
        // The raw body never comes back, not even cut: only a value the
        // request put in a field may be quoted, at most 64 characters of it.
        const raw =
          what === 'invalid JSON' || what === 'a body that is not JSON';
        const facts = {
          where: `${what} (${status})`,
          token: text.includes(sim.token),
          echoedRawBody: raw && text.includes(SECRET),
          ...(clean
            ? {
                long: text.length > 6000,
                stack: deepKeys(res.body).includes('stack'),
                filePath: FILE_PATH.test(text),
              }
            : {}),
        };
        expect(facts).toEqual({
          where: facts.where,
          token: false,
          echoedRawBody: false,
          ...(clean ? { long: false, stack: false, filePath: false } : {}),
        });
      }
    });

    it('hides what an unexpected error says behind a log id in production only', () => {
      const [, , crash] = responses.find(([w]) => w.startsWith('a crash'))!;
      const { message, logId, stack } = crash.body.error;
      expect({ message, logId, stack }).toEqual(crashAnswer(mode, logId));
    });
  },
);
