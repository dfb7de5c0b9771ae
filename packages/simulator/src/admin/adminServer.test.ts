import { FaultStore } from '../faults';
import { startAdminServer, type AdminServer } from './adminServer';

describe('admin endpoint', () => {
  let server: AdminServer;
  const faults = new FaultStore();
  const call = (
    method: string,
    path: string,
    body?: unknown,
    token = 'secret',
  ) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    server = await startAdminServer({
      faults,
      token: 'secret',
      state: () => ({ workspaces: 3 }),
    });
  });
  afterAll(() => server.close());
  afterEach(() => faults.reset());

  it('requires the bearer token', async () => {
    expect((await call('GET', '/_sim/faults', undefined, 'wrong')).status).toBe(
      401,
    );
    expect((await fetch(`${server.url}/_sim/state`)).status).toBe(401);
  });

  it('reads, patches, replaces and resets faults', async () => {
    expect(await (await call('GET', '/_sim/faults')).json()).toEqual(
      faults.get(),
    );

    const patched = await call('PATCH', '/_sim/faults', {
      armThrottling: { count: 2 },
      imagePullFailure: ['ws'],
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      armThrottling: { count: 2, retryAfterSeconds: 1 },
      imagePullFailure: ['ws'],
    });
    expect(faults.get().armThrottling.count).toBe(2);

    const replaced = await (
      await call('PUT', '/_sim/faults', { latencyMs: { kube: 50 } })
    ).json();
    expect(replaced).toMatchObject({
      imagePullFailure: [],
      armThrottling: { count: 0 },
      latencyMs: { kube: 50, arm: 0 },
    });

    const reset = await (await call('POST', '/_sim/faults/reset')).json();
    expect(reset.latencyMs).toEqual({ kube: 0, arm: 0 });
  });

  it('rejects unknown faults and bodies that are not JSON objects, leaving faults as they were', async () => {
    faults.patch({ oomOnSmallGpu: false });
    const unknown = await call('PUT', '/_sim/faults', { gpuMelting: true });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toMatch(
      /^Unknown fault "gpuMelting"; known faults: /,
    );
    expect(faults.get().oomOnSmallGpu).toBe(false);
    const array = await call('PATCH', '/_sim/faults', [1, 2]);
    expect(array.status).toBe(400);
  });

  it('summarizes the state, and answers 404/405 like an API', async () => {
    expect(await (await call('GET', '/_sim/state')).json()).toEqual({
      workspaces: 3,
    });
    expect((await call('GET', '/_sim/nothing')).status).toBe(404);
    expect((await call('DELETE', '/_sim/faults')).status).toBe(405);
  });
});
