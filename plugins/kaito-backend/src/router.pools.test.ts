import { RunningSimulator } from '@kaito-backstage/simulator';
import request from 'supertest';
import {
  eventually,
  recordingAuditor,
  simulatorConfig,
  startKaitoBackend,
  startTeamSimulator,
  TEAM_NAMESPACE,
} from './__testUtils__/simulatorBackend';

jest.setTimeout(120_000);

const BASE = '/api/kaito';
const POOLS = `${BASE}/clusters/sim/gpu-pools`;

describe('GPU pools and the SKU catalog against the simulated ARM', () => {
  let sim: RunningSimulator;
  let backend: Awaited<ReturnType<typeof startKaitoBackend>>;
  const { audit, factory: auditor } = recordingAuditor();

  beforeAll(async () => {
    sim = await startTeamSimulator({ timeScale: 300, seed: 'none' });
    backend = await startKaitoBackend({
      config: simulatorConfig(sim),
      features: [auditor],
    });
  });

  afterEach(() => {
    sim.faults.reset();
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  it('creates a tagged pool, reports it idle with its hourly cost, scales and deletes it', async () => {
    const create = await request(backend.server)
      .post(POOLS)
      .send({
        name: 'gpua100',
        vmSize: 'Standard_NC24ads_A100_v4',
        count: 1,
        nodeLabels: { apps: 'chatbot' },
        entityRef: 'component:default/chatbot',
        workspace: { namespace: TEAM_NAMESPACE, name: 'serve-phi' },
      });
    expect(create.status).toBe(202);
    expect(create.body).toMatchObject({
      cluster: 'sim',
      name: 'gpua100',
      vmSize: 'Standard_NC24ads_A100_v4',
      sku: 'Standard_NC24ads_A100_v4',
      gpu: { model: 'A100', count: 1, memoryGiB: 80 },
      count: 1,
      managed: true,
      entityRef: 'component:default/chatbot',
      workspace: { namespace: TEAM_NAMESPACE, name: 'serve-phi' },
      createdBy: 'user:default/mock',
      nodeTaints: ['sku=gpu:NoSchedule'],
      nodeLabels: { apps: 'chatbot' },
    });
    // The tags are on the agent pool in Azure.
    expect(sim.arm.getAgentPool('gpua100')!.properties.tags).toEqual({
      'kaito-backstage-managed': 'true',
      'kaito-backstage-entity': 'component:default/chatbot',
      'kaito-backstage-workspace': 'ml-team/serve-phi',
      'kaito-backstage-created-by': 'user:default/mock',
    });

    const again = await request(backend.server)
      .post(POOLS)
      .send({ name: 'gpua100', vmSize: 'Standard_NC24ads_A100_v4' });
    expect(again.status).toBe(409);

    const list = await eventually(async () => {
      const res = await request(backend.server).get(POOLS);
      const pool = res.body.items?.find((p: any) => p.name === 'gpua100');
      return pool?.provisioningState === 'Succeeded' ? res.body : undefined;
    });
    // The workspace named in its tag does not exist: nothing uses the pool.
    expect(list.items).toEqual([
      expect.objectContaining({ name: 'gpua100', idle: true, usedBy: [], usdPerHour: 3.673 }),
    ]);
    expect(list.idle).toEqual({ count: 1, usdPerHour: 3.673 });

    const scaled = await request(backend.server)
      .patch(`${POOLS}/gpua100`)
      .send({ count: 2 });
    expect(scaled.status).toBe(202);
    await eventually(async () => {
      const res = await request(backend.server).get(`${POOLS}/gpua100`);
      return res.body.count === 2 && res.body.provisioningState === 'Succeeded';
    });
    const autoscale = await request(backend.server)
      .patch(`${POOLS}/gpua100`)
      .send({ minCount: 0, maxCount: 3 });
    expect(autoscale.status).toBe(202);
    expect(autoscale.body).toMatchObject({ autoscaling: true, minCount: 0, maxCount: 3 });
    await eventually(async () => {
      const res = await request(backend.server).get(`${POOLS}/gpua100`);
      return res.body.provisioningState === 'Succeeded';
    });

    const del = await request(backend.server).delete(`${POOLS}/gpua100`);
    expect(del.status).toBe(202);
    expect(del.body).toEqual({ cluster: 'sim', name: 'gpua100', provisioningState: 'Deleting' });
    await eventually(async () => {
      const res = await request(backend.server).get(`${POOLS}/gpua100`);
      return res.status === 404;
    });
    expect(sim.arm.getAgentPool('gpua100')).toBeUndefined();
    expect(audit).toEqual([
      'gpu-pool-create:success',
      'gpu-pool-create:fail',
      'gpu-pool-update:success',
      'gpu-pool-update:success',
      'gpu-pool-delete:success',
    ]);
  });

  it('refuses to delete a pool a workspace runs on', async () => {
    const create = await request(backend.server)
      .post(`${BASE}/workspaces`)
      .send({
        entityRef: 'component:default/chatbot',
        cluster: 'sim',
        namespace: TEAM_NAMESPACE,
        name: 'pool-user',
        resource: { instanceType: 'Standard_NC24ads_A100_v4' },
        inference: { preset: 'phi-4-mini-instruct' },
      });
    expect(create.status).toBe(201);
    // KAITO's gpu-provisioner creates a pool per NodeClaim for it.
    const pool = await eventually(async () => {
      const res = await request(backend.server).get(POOLS);
      return res.body.items?.find((p: any) =>
        p.usedBy.some((w: any) => w.name === 'pool-user'),
      );
    }, { timeoutMs: 30_000, what: 'the provisioned pool' });
    expect(pool).toMatchObject({ idle: false, managed: false });

    const del = await request(backend.server).delete(`${POOLS}/${pool.name}`);
    expect(del.status).toBe(409);
    expect(del.body.error.message).toContain('ml-team/pool-user');
    expect(sim.arm.getAgentPool(pool.name)).toBeDefined();
  });

  it('fails fast on exhausted quota, naming the family and the vCPUs', async () => {
    sim.faults.patch({ quotaExhaustedFamilies: ['standardNCADSA100v4Family'] });
    const res = await request(backend.server)
      .post(POOLS)
      .send({ name: 'noquota', vmSize: 'Standard_NC48ads_A100_v4', count: 1 });
    expect(res.status).toBe(409);
    expect(res.body.error.name).toBe('ConflictError');
    expect(res.body.error.message).toMatch(/standardNCADSA100v4Family/i);
    expect(res.body.error.message).toContain('needs 48 vCPUs');
    expect(res.body.error.message).toMatch(/has 0 vCPUs available/);
    expect(sim.arm.getAgentPool('noquota')).toBeUndefined();

    // The SKU catalog shows the missing headroom and recommends another family.
    const skus = await request(backend.server).get(
      `${BASE}/catalog/skus?preset=phi-4-mini-instruct&mode=inference&cluster=sim`,
    );
    expect(skus.status).toBe(200);
    const a100 = skus.body.items.find((i: any) => i.name === 'Standard_NC24ads_A100_v4');
    expect(a100.quota).toMatchObject({
      family: expect.stringMatching(/standardNCADSA100v4Family/i),
      available: 0,
      needed: 24,
      sufficient: false,
    });
    expect(skus.body.recommendation.quotaFamily).not.toMatch(/NCADSA100v4/i);
    expect(skus.body.recommendation.fit.fits).toBe(true);
    expect(skus.body.recommendation.quota.sufficient).toBe(true);
  });

  it('recommends the cheapest SKU that fits and has quota', async () => {
    const skus = await request(backend.server).get(
      `${BASE}/catalog/skus?preset=phi-4-mini-instruct&mode=tuning&method=qlora&cluster=sim`,
    );
    expect(skus.status).toBe(200);
    expect(skus.body).toMatchObject({
      preset: 'phi-4-mini-instruct',
      mode: 'tuning',
      method: 'qlora',
      cluster: 'sim',
      location: sim.location,
    });
    const candidates = skus.body.items.filter(
      (i: any) => i.fit.fits && i.quota.sufficient && i.usdPerHour !== undefined,
    );
    const cheapest = Math.min(...candidates.map((i: any) => i.usdPerHour));
    expect(skus.body.recommendation.usdPerHour).toBe(cheapest);
    const unfit = skus.body.items.find((i: any) => !i.fit.fits);
    expect(unfit.fit.reason).toEqual(expect.any(String));
  });

  it('retries throttled ARM calls after Retry-After', async () => {
    sim.faults.patch({ armThrottling: { count: 2, retryAfterSeconds: 1 } });
    const started = Date.now();
    const res = await request(backend.server).get(POOLS);
    expect(res.status).toBe(200);
    // The SDK waited out Retry-After (1 s) instead of failing.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sim.faults.get().armThrottling.count).toBe(0);
  });

  it('returns Azure conflicts with Azure\u2019s code and message', async () => {
    sim.faults.patch({ armConflict: { count: 1 } });
    const res = await request(backend.server)
      .post(POOLS)
      .send({ name: 'busy', vmSize: 'Standard_NC24ads_A100_v4', count: 1 });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/^Azure OperationNotAllowed: /);
  });

  it('answers 404 for a pool that does not exist', async () => {
    const res = await request(backend.server).get(`${POOLS}/nosuchpool`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('nosuchpool');
    const patch = await request(backend.server).patch(`${POOLS}/nosuchpool`).send({ count: 1 });
    expect(patch.status).toBe(404);
  });
});
