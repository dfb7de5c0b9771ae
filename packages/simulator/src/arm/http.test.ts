/**
 * The wire protocol, checked with plain HTTPS requests: what the SDK does not
 * show (headers, LRO URLs, status codes, error envelopes).
 */
import https from 'node:https';
import { SimClock } from '../clock';
import {
  CLUSTER,
  RESOURCE_GROUP,
  startArm,
  SUBSCRIPTION,
  tenant,
  testApp,
} from './__testUtils__/harness';

/** A token the subscription's tenant issued for ARM. */
const ARM_TOKEN = tenant.issueToken(testApp, 'https://management.azure.com/', {
  lifetimeSeconds: 24 * 3600,
}).accessToken;

type Env = Awaited<ReturnType<typeof startArm>>;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  raw: string;
}

const API = 'api-version=2026-06-01';
const CLUSTER_PATH = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.ContainerService/managedClusters/${CLUSTER}`;

function call(
  env: Env,
  method: string,
  pathOrUrl: string,
  options: {
    body?: string;
    headers?: Record<string, string>;
    auth?: string | null;
  } = {},
): Promise<Reply> {
  const url = new URL(pathOrUrl, env.sim.url);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.auth !== null)
    headers.Authorization = options.auth ?? `Bearer ${ARM_TOKEN}`;
  if (options.body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(options.body));
  }
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method, headers, ca: env.sim.caCertPem, agent: false },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            raw,
            body: raw ? JSON.parse(raw) : undefined,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const waitFor = async (check: () => Promise<boolean>, timeoutMs = 2000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 5));
  }
};

describe('ARM wire protocol', () => {
  let env: Env;
  beforeEach(async () => {
    env = await startArm({ random: () => 0.5 });
  });
  afterEach(() => env.stop());

  it('answers with ARM tracking headers and echoes the correlation id', async () => {
    const reply = await call(env, 'GET', `${CLUSTER_PATH}?${API}`, {
      headers: { 'x-ms-correlation-request-id': 'corr-1' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe(
      'application/json; charset=utf-8',
    );
    expect(reply.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.headers['x-ms-correlation-request-id']).toBe('corr-1');
    expect(reply.headers['x-ms-routing-request-id']).toMatch(
      /^EASTUS:\d{8}T\d{6}Z:[0-9a-f-]{36}$/,
    );
    expect(
      reply.headers['x-ms-ratelimit-remaining-subscription-reads'],
    ).toBeDefined();
    expect(reply.body.id).toBe(
      `/subscriptions/${SUBSCRIPTION}/resourcegroups/${RESOURCE_GROUP}/providers/Microsoft.ContainerService/managedClusters/${CLUSTER}`,
    );
  });

  it('requires api-version', async () => {
    const reply = await call(env, 'GET', CLUSTER_PATH);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      error: {
        code: 'MissingApiVersionParameter',
        message:
          'The api-version query parameter (?api-version=) is required for all requests.',
      },
    });
    expect(
      (await call(env, 'GET', `${CLUSTER_PATH}?api-version=latest`)).body.error
        .code,
    ).toBe('InvalidApiVersionParameter');
  });

  it('requires a bearer token', async () => {
    const missing = await call(env, 'GET', `${CLUSTER_PATH}?${API}`, {
      auth: null,
    });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      error: {
        code: 'AuthenticationFailed',
        message:
          "Authentication failed. The 'Authorization' header is missing.",
      },
    });
    expect(missing.headers['www-authenticate']).toMatch(
      /^Bearer authorization_uri=/,
    );
    const basic = await call(env, 'GET', `${CLUSTER_PATH}?${API}`, {
      auth: 'Basic dXNlcjpwYXNz',
    });
    expect(basic.status).toBe(401);
    expect(basic.body.error.message).toContain('invalid format');
    const anyToken = await call(env, 'GET', `${CLUSTER_PATH}?${API}`, {
      auth: 'Bearer any-token',
    });
    expect(anyToken.status).toBe(401);
    expect(anyToken.body.error).toEqual({
      code: 'InvalidAuthenticationToken',
      message: 'The access token is invalid.',
    });
    expect(anyToken.headers['www-authenticate']).toBe(
      `Bearer authorization_uri="https://login.windows.net/${tenant.tenantId}", error="invalid_token", error_description="The access token is invalid."`,
    );
  });

  it('routes case-insensitively', async () => {
    const path = `/SUBSCRIPTIONS/${SUBSCRIPTION.toUpperCase()}/resourcegroups/RG-KAITO/providers/microsoft.containerservice/MANAGEDCLUSTERS/AKS-KAITO/agentpools/nodepool1?API-VERSION=2026-06-01`;
    const reply = await call(env, 'GET', path);
    expect(reply.status).toBe(200);
    expect(reply.body.name).toBe('nodepool1');
  });

  it('throttles with 429 and Retry-After', async () => {
    env.faults.patch({ armThrottling: { count: 2, retryAfterSeconds: 7 } });
    const read = await call(env, 'GET', `${CLUSTER_PATH}?${API}`);
    expect(read.status).toBe(429);
    expect(read.headers['retry-after']).toBe('7');
    expect(read.body.error.code).toBe('TooManyRequests');
    const write = await call(
      env,
      'PUT',
      `${CLUSTER_PATH}/agentPools/gpu?${API}`,
      { body: '{"properties":{}}' },
    );
    expect(write.status).toBe(429);
    expect(write.body.error.code).toBe('Throttled');
    expect((await call(env, 'GET', `${CLUSTER_PATH}?${API}`)).status).toBe(200);
  });

  it('runs a PUT as a long-running operation with an Azure-AsyncOperation URL', async () => {
    const put = await call(
      env,
      'PUT',
      `${CLUSTER_PATH}/agentPools/gpu?${API}`,
      {
        body: JSON.stringify({
          properties: { vmSize: 'Standard_NC24ads_A100_v4', count: 1 },
        }),
      },
    );
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({
      name: 'gpu',
      properties: { provisioningState: 'Creating' },
    });
    expect(put.headers.location).toBeUndefined();
    const operation = new URL(put.headers['azure-asyncoperation'] as string);
    expect(operation.origin).toBe(env.sim.url);
    expect(operation.pathname).toMatch(
      new RegExp(
        `^/subscriptions/${SUBSCRIPTION}/providers/Microsoft.ContainerService/locations/eastus/operations/[0-9a-f-]{36}$`,
      ),
    );
    expect(operation.searchParams.get('api-version')).toBe('2017-08-31');

    const running = await call(env, 'GET', operation.href);
    expect(running.body).toEqual({
      name: operation.pathname.split('/').pop(),
      status: 'InProgress',
      startTime: expect.any(String),
    });
    await waitFor(
      async () =>
        (await call(env, 'GET', operation.href)).body.status !== 'InProgress',
    );
    const done = await call(env, 'GET', operation.href);
    expect(done.body).toMatchObject({
      status: 'Succeeded',
      endTime: expect.any(String),
    });

    const update = await call(
      env,
      'PUT',
      `${CLUSTER_PATH}/agentPools/gpu?${API}`,
      {
        body: JSON.stringify({ properties: { count: 2 } }),
      },
    );
    expect(update.status).toBe(200);
    expect(update.body.properties.provisioningState).toBe('Scaling');
  });

  it('reports a failed operation with its error', async () => {
    env.faults.patch({ quotaExhaustedFamilies: ['standardNCADSA100v4Family'] });
    const put = await call(
      env,
      'PUT',
      `${CLUSTER_PATH}/agentPools/gpu?${API}`,
      {
        body: JSON.stringify({
          properties: { vmSize: 'Standard_NC24ads_A100_v4' },
        }),
      },
    );
    const operation = put.headers['azure-asyncoperation'] as string;
    await waitFor(
      async () =>
        (await call(env, 'GET', operation)).body.status !== 'InProgress',
    );
    const failed = await call(env, 'GET', operation);
    expect(failed.body).toMatchObject({
      status: 'Failed',
      error: { code: 'QuotaExceeded' },
    });
    const pool = await call(
      env,
      'GET',
      `${CLUSTER_PATH}/agentPools/gpu?${API}`,
    );
    expect(pool.body.properties).toMatchObject({
      provisioningState: 'Failed',
      status: { provisioningError: { code: 'QuotaExceeded' } },
    });
  });

  it('answers DELETE with 202, both LRO headers and an empty body; 204 when absent', async () => {
    // Slower clock: the checks below must see the delete still running.
    await env.stop();
    env = await startArm({ random: () => 0.5, clock: new SimClock(600) });
    await env.sim.createOrUpdateAgentPool('gpu', {
      properties: { vmSize: 'Standard_D4s_v5', count: 1 },
    });
    await waitFor(
      async () =>
        env.sim.getAgentPool('gpu')?.properties.provisioningState ===
        'Succeeded',
    );
    const del = await call(
      env,
      'DELETE',
      `${CLUSTER_PATH}/agentPools/gpu?${API}`,
    );
    expect(del.status).toBe(202);
    expect(del.raw).toBe('');
    expect(del.headers['content-length']).toBe('0');
    expect(del.headers['azure-asyncoperation']).toMatch(
      /\/operations\/[0-9a-f-]{36}\?api-version=2017-08-31$/,
    );
    const location = del.headers.location as string;
    expect(location).toMatch(
      /\/operationresults\/[0-9a-f-]{36}\?api-version=2017-08-31$/,
    );
    expect((await call(env, 'GET', location)).status).toBe(202);
    expect(
      (await call(env, 'GET', `${CLUSTER_PATH}/agentPools/gpu?${API}`)).body
        .properties.provisioningState,
    ).toBe('Deleting');
    await waitFor(
      async () => (await call(env, 'GET', location)).status !== 202,
    );
    expect((await call(env, 'GET', location)).status).toBe(204);
    const gone = await call(
      env,
      'GET',
      `${CLUSTER_PATH}/agentPools/gpu?${API}`,
    );
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('NotFound');
    expect(
      (await call(env, 'DELETE', `${CLUSTER_PATH}/agentPools/gpu?${API}`))
        .status,
    ).toBe(204);
  });

  it('rejects malformed bodies as ARM does', async () => {
    const notJson = await call(
      env,
      'PUT',
      `${CLUSTER_PATH}/agentPools/gpu?${API}`,
      { body: '{"properties":' },
    );
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('InvalidRequestContent');
    const wrongType = await call(
      env,
      'PUT',
      `${CLUSTER_PATH}/agentPools/gpu?${API}`,
      {
        body: '{"properties":{}}',
        headers: { 'Content-Type': 'text/plain' },
      },
    );
    expect(wrongType.status).toBe(415);
    const badField = await call(
      env,
      'PUT',
      `${CLUSTER_PATH}/agentPools/gpu?${API}`,
      {
        body: '{"properties":{"nodeTaints":"sku=gpu:NoSchedule"}}',
      },
    );
    expect(badField.body.error.code).toBe('UnmarshalError');
  });

  it('answers unknown scopes, routes and methods with ARM errors', async () => {
    const sub = await call(
      env,
      'GET',
      `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/x/providers/Microsoft.ContainerService/managedClusters/y?${API}`,
    );
    expect(sub.status).toBe(404);
    expect(sub.body.error.code).toBe('SubscriptionNotFound');
    const type = await call(
      env,
      'GET',
      `${CLUSTER_PATH}/maintenanceConfigurations?${API}`,
    );
    expect(type.status).toBe(404);
    expect(type.body.error.code).toBe('InvalidResourceType');
    expect((await call(env, 'GET', `/nothing?${API}`)).body.error.code).toBe(
      'NotFound',
    );
    const method = await call(
      env,
      'PATCH',
      `${CLUSTER_PATH}/agentPools/nodepool1?${API}`,
      { body: '{}' },
    );
    expect(method.status).toBe(405);
    const op = await call(
      env,
      'GET',
      `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.ContainerService/locations/eastus/operations/00000000-0000-0000-0000-000000000000?${API}`,
    );
    expect(op.status).toBe(404);
  });
});
