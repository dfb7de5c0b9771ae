import { mockServices } from '@backstage/backend-test-utils';
import { RunningSimulator, startSimulator } from '@kaito-backstage/simulator';
import request from 'supertest';
import {
  recordingAuditor,
  simulatorConfig,
  startKaitoBackend,
} from './__testUtils__/simulatorBackend';

jest.setTimeout(120_000);

const ENSURE = '/api/kaito/clusters/sim/gpu-pools/ensure';
const A10 = 'Standard_NV36ads_A10_v5';

describe('POST /clusters/:cluster/gpu-pools/ensure', () => {
  let sim: RunningSimulator;
  let backend: Awaited<ReturnType<typeof startKaitoBackend>>;
  let readOnly: Awaited<ReturnType<typeof startKaitoBackend>>;
  const { audit, factory: auditor } = recordingAuditor();

  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 300, seed: 'none' });
    backend = await startKaitoBackend({
      config: simulatorConfig(sim),
      features: [auditor],
    });
    // May read GPU pools but not manage them.
    readOnly = await startKaitoBackend({
      config: simulatorConfig(sim),
      permissions: mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result: (r.permission.name === 'kaito.gpupool.manage'
              ? 'DENY'
              : 'ALLOW') as any,
          })),
      }).factory,
    });
  });

  afterAll(async () => {
    await readOnly?.stop();
    await backend?.stop();
    await sim?.stop();
  });

  it('creates the pool named after the SKU once, checking quota first, and then finds it', async () => {
    const first = await request(backend.server)
      .post(ENSURE)
      .send({ vmSize: A10, count: 1, entityRef: 'component:default/chatbot' });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      outcome: 'created',
      created: true,
      pool: {
        name: 'nv36adsa10',
        vmSize: A10,
        nodeLabels: { 'kaito.backstage.io/gpu-pool': 'nv36adsa10' },
        nodeTaints: ['sku=gpu:NoSchedule'],
        managed: true,
      },
      quota: {
        family: 'StandardNVADSA10v5Family',
        location: 'eastus',
        vmCount: 1,
        needed: 36,
      },
    });
    expect(audit).toEqual(['gpu-pool-create:success']);

    // The same request again (a retried step) finds it and writes nothing.
    const again = await request(backend.server)
      .post(ENSURE)
      .send({ vmSize: A10, count: 1 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      outcome: 'existing',
      created: false,
      pool: { name: 'nv36adsa10' },
    });
    expect(audit).toEqual(['gpu-pool-create:success']);
    expect(
      sim.arm.listAgentPools().filter(p => p.name === 'nv36adsa10'),
    ).toHaveLength(1);
  });

  it('refuses a named pool of another SKU or Spot setting', async () => {
    const sku = await request(backend.server)
      .post(ENSURE)
      .send({ name: 'nv36adsa10', vmSize: 'Standard_NC24ads_A100_v4' });
    expect(sku.status).toBe(409);
    expect(sku.body.error.message).toContain(
      `exists with VM size ${A10}, not Standard_NC24ads_A100_v4`,
    );
    expect(sku.body.error.message).toContain('[gpupool.vm-size.mismatch]');
    const spot = await request(backend.server)
      .post(ENSURE)
      .send({ name: 'nv36adsa10', vmSize: A10, spot: true });
    expect(spot.status).toBe(409);
    expect(spot.body.error.message).toContain('[gpupool.spot.mismatch]');
  });

  it('validates the request before anything else', async () => {
    const bad = await request(backend.server)
      .post(ENSURE)
      .send({ name: 'Bad_Name', vmSize: 'Standard_D4s_v5' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('[gpupool.name.format]');
    expect(bad.body.error.message).toContain('[gpupool.vm-size.unknown]');
  });

  it('is strict as every write: unknown fields, bounds, tags under the namespace policy; nothing written', async () => {
    const pools = () =>
      sim.arm
        .listAgentPools()
        .map(p => p.name)
        .sort();
    const before = pools();
    const send = (body: unknown) =>
      request(backend.server)
        .post(ENSURE)
        .send(body as object);

    const typo = await send({
      vmSize: 'Standard_NC48ads_A100_v4',
      dryrun: true,
    });
    expect(typo.status).toBe(400);
    expect(typo.body.error.issues).toEqual([
      expect.objectContaining({
        field: 'dryrun',
        rule: 'field.unknown',
        didYouMean: 'dryRun',
      }),
    ]);
    expect(typo.body.error.message).toContain(
      'dryrun: is not a field of the GPU pool request; did you mean dryRun? [field.unknown]',
    );

    const wrongType = await send({ vmSize: A10, count: '2' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toContain(
      'count: must be a number (got a string) [field.type]',
    );

    const notObject = await send([1]);
    expect(notObject.status).toBe(400);
    expect(notObject.body.error.message).toContain('[request.type]');

    const big = await send({
      vmSize: 'Standard_NC48ads_A100_v4',
      nodeLabels: { pad: 'x'.repeat(65 * 1024) },
    });
    expect(big.status).toBe(413);
    expect(big.body.error.message).toContain('[body.too-large]');

    const protectedNs = await send({
      vmSize: 'Standard_NC48ads_A100_v4',
      workspace: { namespace: 'kube-system', name: 'x' },
    });
    expect(protectedNs.status).toBe(403);
    expect(protectedNs.body.error.message).toMatch(
      /^workspace\.namespace: .*\[namespace\.protected\]/,
    );

    // OTHER_ENTITY keeps its workloads in namespace "search".
    const otherNs = await send({
      vmSize: 'Standard_NC48ads_A100_v4',
      entityRef: 'component:default/search',
      workspace: { namespace: 'ml-team', name: 'x' },
    });
    expect(otherNs.status).toBe(403);
    expect(otherNs.body.error.message).toContain(
      '[namespace.entity-namespace]',
    );

    const ghost = await send({
      vmSize: 'Standard_NC48ads_A100_v4',
      entityRef: 'component:default/ghost',
    });
    expect(ghost.status).toBe(404);
    expect(ghost.body.error.message).toContain('[entity.not-found]');

    const query = await request(backend.server)
      .post(`${ENSURE}?force=true`)
      .send({ vmSize: A10 });
    expect(query.status).toBe(400);
    expect(query.body.error.message).toContain('[query.unknown]');

    expect(pools()).toEqual(before);
  });

  it('dry run: every check and the quota, the pool it would create, nothing written', async () => {
    const before = sim.arm
      .listAgentPools()
      .map(p => p.name)
      .sort();
    const auditBefore = audit.length;
    const dry = await request(backend.server).post(ENSURE).send({
      vmSize: 'Standard_NC48ads_A100_v4',
      count: 1,
      entityRef: 'Component:Default/Chatbot',
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      outcome: 'created',
      created: false,
      pool: {
        name: 'nc48adsa100',
        vmSize: 'Standard_NC48ads_A100_v4',
        nodeLabels: { 'kaito.backstage.io/gpu-pool': 'nc48adsa100' },
        nodeTaints: ['sku=gpu:NoSchedule'],
        entityRef: 'component:default/chatbot',
        managed: true,
      },
      quota: { vmCount: 1, needed: 48 },
    });
    expect(audit.slice(auditBefore)).toEqual(['gpu-pool-create:success']);
    expect(
      sim.arm
        .listAgentPools()
        .map(p => p.name)
        .sort(),
    ).toEqual(before);

    // A pool that exists: the dry run finds it as the real call would.
    const found = await request(backend.server)
      .post(ENSURE)
      .send({ vmSize: A10, dryRun: true });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({
      dryRun: true,
      outcome: 'existing',
      created: false,
      pool: { name: 'nv36adsa10' },
    });

    // The dry run of what the quota refuses is refused the same way.
    const tooBig = await request(backend.server).post(ENSURE).send({
      vmSize: 'Standard_NC48ads_A100_v4',
      minCount: 0,
      maxCount: 1000,
      dryRun: true,
    });
    const real = await request(backend.server).post(ENSURE).send({
      vmSize: 'Standard_NC48ads_A100_v4',
      minCount: 0,
      maxCount: 1000,
    });
    expect(tooBig.status).toBe(real.status);
    expect(tooBig.status).toBeGreaterThanOrEqual(400);
    expect(tooBig.body.error.message).toBe(real.body.error.message);
    expect(
      sim.arm
        .listAgentPools()
        .map(p => p.name)
        .sort(),
    ).toEqual(before);

    // Who may not manage pools may not dry-run a create either.
    const denied = await request(readOnly.server).post(ENSURE).send({
      vmSize: 'Standard_NC48ads_A100_v4',
      dryRun: true,
    });
    expect(denied.status).toBe(403);
  });

  it('lets a user who may only read pools use an existing one, not create one', async () => {
    const existing = await request(readOnly.server)
      .post(ENSURE)
      .send({ vmSize: A10 });
    expect(existing.status).toBe(200);
    expect(existing.body.pool.name).toBe('nv36adsa10');
    const pools = sim.arm.listAgentPools().length;
    const denied = await request(readOnly.server)
      .post(ENSURE)
      .send({ vmSize: 'Standard_NC48ads_A100_v4' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('kaito.gpupool.manage');
    expect(sim.arm.listAgentPools()).toHaveLength(pools);
  });
});
