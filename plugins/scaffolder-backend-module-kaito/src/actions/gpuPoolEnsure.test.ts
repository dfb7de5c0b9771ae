import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError, InputError } from '@backstage/errors';
import { KaitoService } from '@kaito-backstage/plugin-kaito-node';
import { RunningSimulator } from '@kaito-backstage/simulator';
import {
  CLUSTER,
  ENTITY_REF,
  eventually,
  recordArmPoolWrites,
  startDevSimulator,
  startKaito,
} from '../__testUtils__/harness';
import {
  actionContext,
  capturingLogger,
  checkpointStore,
  outputsOf,
  spyOnClient,
} from '../__testUtils__/context';
import { createGpuPoolEnsureAction } from './gpuPoolEnsure';
import { CancelledError } from './waiting';

jest.setTimeout(60_000);

const A100 = 'Standard_NC24ads_A100_v4';
const A10 = 'Standard_NV36ads_A10_v5';
const H100 = 'Standard_NC40ads_H100_v5';

describe('kaito:gpu-pool:ensure', () => {
  let sim: RunningSimulator;
  let stopKaito: () => Promise<void>;
  let client: KaitoService;

  beforeAll(async () => {
    sim = await startDevSimulator();
    const started = await startKaito(sim);
    client = started.client;
    stopKaito = () => started.backend.stop();
  });

  afterAll(async () => {
    await stopKaito?.();
    await sim?.stop();
  });

  afterEach(() => {
    sim.faults.reset();
  });

  function run(
    input: Record<string, unknown>,
    options: Parameters<typeof actionContext>[1] = {},
  ) {
    const spy = spyOnClient(client);
    const log = capturingLogger();
    const ctx = actionContext(input, { logger: log.logger, ...options });
    const action = createGpuPoolEnsureAction({ kaito: spy.kaito });
    return {
      spy,
      log,
      ctx,
      promise: action.handler(ctx),
    };
  }

  it('checks the quota first and fails with a clear message, creating nothing', async () => {
    // Runs first: the backend caches usages for 30 s.
    sim.faults.patch({ quotaExhaustedFamilies: ['StandardNCadsH100v5Family'] });
    const armWrites = recordArmPoolWrites(sim);
    const { promise } = run({ cluster: CLUSTER, vmSize: H100 });
    const error = await promise.catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(
      'Insufficient vCPU quota for GPU pool "nc40adsh100"',
    );
    expect(error.message).toContain(
      'StandardNCadsH100v5Family in eastus at limit 0',
    );
    expect(error.message).toContain('needs 40 vCPUs');
    expect(error.message).toContain('Nothing was created');
    // The backend checks the quota before it sends anything to ARM.
    expect(armWrites).toEqual([]);
    expect(sim.arm.getAgentPool('nc40adsh100')).toBeUndefined();
  });

  it('creates a tainted, labelled, autoscaling pool and waits for ARM', async () => {
    const { promise, ctx, log } = run({
      cluster: CLUSTER,
      vmSize: A100,
      entityRef: ENTITY_REF,
      pollIntervalSeconds: 1,
    });
    await promise;
    expect(outputsOf(ctx)).toEqual({
      cluster: CLUSTER,
      poolName: 'nc24adsa100',
      vmSize: A100,
      instanceType: A100,
      nodeLabels: { 'kaito.backstage.io/gpu-pool': 'nc24adsa100' },
      nodeTaints: ['sku=gpu:NoSchedule'],
      spot: false,
      created: true,
      provisioningState: 'Succeeded',
      nodeProvisioning: 'pool',
    });
    const pool = sim.arm.getAgentPool('nc24adsa100')!;
    expect(pool.properties).toMatchObject({
      vmSize: A100,
      mode: 'User',
      count: 1,
      enableAutoScaling: true,
      minCount: 0,
      maxCount: 1,
      nodeTaints: ['sku=gpu:NoSchedule'],
      nodeLabels: { 'kaito.backstage.io/gpu-pool': 'nc24adsa100' },
      provisioningState: 'Succeeded',
      tags: expect.objectContaining({
        'kaito-backstage-managed': 'true',
        'kaito-backstage-entity': ENTITY_REF,
        'kaito-backstage-created-by': 'user:default/mock',
      }),
    });
    expect(log.lines.join('\n')).toMatch(
      /vCPU quota OK: standardNCADSA100v4Family/,
    );
    expect(log.lines.join('\n')).toMatch(/Creating GPU pool nc24adsa100/);
    expect(log.lines.join('\n')).toMatch(/is ready after/);
  });

  it('finds the pool it created on a retried run instead of making a second one', async () => {
    const before = sim.arm.listAgentPools().length;
    const armWrites = recordArmPoolWrites(sim);
    const { promise, ctx } = run({ cluster: CLUSTER, vmSize: A100 });
    await promise;
    expect(outputsOf(ctx)).toMatchObject({
      poolName: 'nc24adsa100',
      created: false,
    });
    // The backend's ensure finds the pool: nothing is sent to ARM.
    expect(armWrites).toEqual([]);
    expect(sim.arm.listAgentPools()).toHaveLength(before);
  });

  it('replays through stored checkpoints without touching the pool again', async () => {
    const store = checkpointStore();
    const first = run(
      {
        cluster: CLUSTER,
        vmSize: A10,
        poolName: 'replaya10',
        pollIntervalSeconds: 1,
      },
      { checkpoint: store.checkpoint },
    );
    await first.promise;
    expect(outputsOf(first.ctx)).toMatchObject({
      poolName: 'replaya10',
      created: true,
    });
    expect(first.spy.count('ensureGpuPool')).toBe(1);
    expect(store.runs).toEqual(['ensure-gpu-pool']);
    const pools = sim.arm.listAgentPools().length;

    const replay = run(
      { cluster: CLUSTER, vmSize: A10, poolName: 'replaya10' },
      { checkpoint: store.checkpoint },
    );
    await replay.promise;
    // The stored checkpoint answers: created stays true, nothing is sent again.
    expect(outputsOf(replay.ctx)).toMatchObject({
      poolName: 'replaya10',
      created: true,
    });
    expect(replay.spy.count('ensureGpuPool')).toBe(0);
    expect(replay.spy.count('listGpuPools')).toBe(0);
    expect(replay.spy.calls).toEqual(['getGpuPool']);
    expect(store.runs).toEqual(['ensure-gpu-pool']);
    expect(sim.arm.listAgentPools()).toHaveLength(pools);
  });

  it('returns realistic outputs on a dry run: the backend’s dry run, no ARM write', async () => {
    const writes = recordArmPoolWrites(sim);
    const { promise, ctx, spy, log } = run(
      { cluster: CLUSTER, vmSize: H100, spot: true },
      { isDryRun: true },
    );
    await promise;
    expect(spy.calls).toEqual(['ensureGpuPool']);
    expect(writes).toEqual([]);
    expect(outputsOf(ctx)).toEqual({
      cluster: CLUSTER,
      poolName: 'nc40adsh100s',
      vmSize: H100,
      instanceType: H100,
      nodeLabels: { 'kaito.backstage.io/gpu-pool': 'nc40adsh100s' },
      nodeTaints: ['sku=gpu:NoSchedule'],
      spot: true,
      created: false,
      provisioningState: 'Succeeded',
      nodeProvisioning: 'pool',
    });
    expect(log.lines[0]).toContain('Dry run: would create GPU pool');
    expect(log.lines[0]).toContain('nc40adsh100s');
    expect(log.lines[0]).toContain('Nothing was created or changed.');
    expect(sim.arm.getAgentPool('nc40adsh100s')).toBeUndefined();
  });

  it.each([
    [{ vmSize: 'Standard_D4s_v5' }, 'vmSize', 'gpupool.vm-size.unknown'],
    [{ vmSize: A100, poolName: 'GPU_Pool' }, 'poolName', 'gpupool.name.format'],
    [
      { vmSize: A100, minCount: 3, maxCount: 2 },
      'minCount',
      'gpupool.autoscale.min-max',
    ],
    [
      { vmSize: A100, spotMaxPrice: 0.5 },
      'spotMaxPrice',
      'gpupool.spot-max-price.without-spot',
    ],
    [
      { vmSize: A100, nodeLabels: { 'kubernetes.azure.com/x': 'y' } },
      'nodeLabels',
      'label',
    ],
    [
      { vmSize: A100, entityRef: 'not a ref' },
      'entityRef',
      'entity-ref.invalid',
    ],
    [
      { vmSize: A100, pollIntervalSeconds: 60 },
      'pollIntervalSeconds',
      'field.max',
    ],
    [{ vmSize: undefined }, 'vmSize', 'field.required'],
  ])('rejects %j before any call', async (extra, field, rule) => {
    const { promise, spy } = run({ cluster: CLUSTER, ...extra });
    const error = await promise.catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      new RegExp(`- ${field}[.:\\[][^\\n]*\\[${rule.replace('.', '\\.')}`),
    );
    expect(spy.calls).toEqual([]);
  });

  it.each([
    [
      'an ARM 429 storm with Retry-After',
      'busya10',
      { armThrottling: { count: 12, retryAfterSeconds: 1 } },
      /Azure is busy for GPU pool "busya10".*TooManyRequests/,
    ],
    [
      "AKS's 409 OperationNotAllowed on pool writes",
      'busya102',
      { armConflict: { count: 3 } },
      /Azure is busy for GPU pool "busya102".*Azure OperationNotAllowed/,
    ],
  ])(
    'retries while Azure refuses for now (%s) and creates one pool',
    async (_name, poolName, faults, logged) => {
      sim.faults.patch(faults);
      const { promise, ctx, log } = run({
        cluster: CLUSTER,
        vmSize: A10,
        poolName,
        pollIntervalSeconds: 1,
      });
      await promise;
      expect(outputsOf(ctx)).toMatchObject({
        poolName,
        created: true,
        provisioningState: 'Succeeded',
      });
      expect(log.lines.join('\n')).toMatch(logged);
      expect(
        sim.arm.listAgentPools().filter(p => p.name === poolName),
      ).toHaveLength(1);
      expect(sim.faults.get().armThrottling.count).toBe(0);
      expect(sim.faults.get().armConflict.count).toBe(0);
      // Its quota is needed by the tests that follow.
      await sim.arm.deleteAgentPool(poolName);
      await eventually(() => !sim.arm.getAgentPool(poolName), {
        what: `${poolName} deleted`,
      });
    },
  );

  it('does not retry a conflict Azure will not resolve by itself', async () => {
    const { promise, log } = run({
      cluster: CLUSTER,
      vmSize: A10,
      poolName: 'nc24adsa100',
    });
    await expect(promise).rejects.toBeInstanceOf(ConflictError);
    expect(log.lines.join('\n')).not.toMatch(/Azure is busy/);
  });

  it('refuses a named pool of another SKU', async () => {
    const { promise } = run({
      cluster: CLUSTER,
      vmSize: A10,
      poolName: 'nc24adsa100',
    });
    const error = await promise.catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(
      'exists with VM size Standard_NC24ads_A100_v4, not Standard_NV36ads_A10_v5',
    );
    expect(error.message).toContain('[gpupool.vm-size.mismatch]');
  });

  it("re-submits a failed pool and reports Azure's code and message", async () => {
    sim.faults.patch({
      quotaExhaustedFamilies: ['standardNDAMSv4_A100Family'],
    });
    await sim.arm.createOrUpdateAgentPool('failednd', {
      properties: {
        vmSize: 'Standard_ND96amsr_A100_v4',
        count: 1,
        mode: 'User',
        nodeLabels: { team: 'ml' },
      },
    });
    await eventually(
      () =>
        sim.arm.getAgentPool('failednd')?.properties.provisioningState ===
        'Failed',
      { what: 'the pool to fail' },
    );
    const { promise, log } = run({
      cluster: CLUSTER,
      vmSize: 'Standard_ND96amsr_A100_v4',
      poolName: 'failednd',
      pollIntervalSeconds: 1,
    });
    const error = await promise.catch(e => e);
    expect(error.message).toContain(
      'GPU pool "failednd" on cluster "aks-kaito-dev" failed to provision. Azure QuotaExceeded:',
    );
    expect(error.message).toContain(
      'Operation could not be completed as it results in exceeding approved standardNDAMSv4_A100Family Cores quota',
    );
    expect(log.lines.join('\n')).toContain(
      'is in state Failed (Azure QuotaExceeded); re-submitting its configuration',
    );
  });

  it('stops waiting when the task is cancelled; the pool stays and the log says so', async () => {
    const controller = new AbortController();
    const spy = spyOnClient(client);
    const log = capturingLogger(line => {
      if (line.startsWith('Creating GPU pool')) controller.abort();
    });
    const ctx = actionContext(
      { cluster: CLUSTER, vmSize: A10, poolName: 'cancela10' },
      { logger: log.logger, signal: controller.signal },
    );
    const error = await createGpuPoolEnsureAction({ kaito: spy.kaito })
      .handler(ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error.message).toContain(
      'GPU pool "cancela10" on cluster "aks-kaito-dev" stays as it is',
    );
    expect(
      log.lines.some(l =>
        l.startsWith('warn: Cancelled: GPU pool "cancela10"'),
      ),
    ).toBe(true);
    expect(sim.arm.getAgentPool('cancela10')).toBeDefined();
    expect(ctx.output).not.toHaveBeenCalled();
  });

  describe('for a user who may not manage GPU pools', () => {
    let denied: KaitoService;
    let stopDenied: () => Promise<void>;

    beforeAll(async () => {
      const permissions = mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result: (r.permission.name === 'kaito.gpupool.manage'
              ? 'DENY'
              : 'ALLOW') as any,
          })),
      });
      const started = await startKaito(sim, {
        permissions: permissions.factory,
      });
      denied = started.client;
      stopDenied = () => started.backend.stop();
    });

    afterAll(() => stopDenied?.());

    it('uses an existing pool of the SKU that has room', async () => {
      const ctx = actionContext({ cluster: CLUSTER, vmSize: A100 });
      await createGpuPoolEnsureAction({ kaito: denied }).handler(ctx);
      expect(outputsOf(ctx)).toMatchObject({
        poolName: 'nc24adsa100',
        created: false,
        nodeProvisioning: 'pool',
      });
    });

    it("falls back to KAITO's node auto-provisioning, saying so", async () => {
      const log = capturingLogger();
      const ctx = actionContext(
        { cluster: CLUSTER, vmSize: 'Standard_NC48ads_A100_v4' },
        { logger: log.logger },
      );
      await createGpuPoolEnsureAction({ kaito: denied }).handler(ctx);
      expect(outputsOf(ctx)).toEqual({
        cluster: CLUSTER,
        poolName: '',
        vmSize: 'Standard_NC48ads_A100_v4',
        instanceType: 'Standard_NC48ads_A100_v4',
        nodeLabels: {},
        nodeTaints: [],
        spot: false,
        created: false,
        provisioningState: 'NotCreated',
        nodeProvisioning: 'kaito',
      });
      expect(log.lines.join('\n')).toContain('You may not create GPU pools');
      expect(log.lines.join('\n')).toContain(
        "KAITO's node auto-provisioning will create the Standard_NC48ads_A100_v4 node",
      );
      expect(sim.arm.getAgentPool('nc48adsa100')).toBeUndefined();
    });

    it('fails with a clear message when the fallback is off', async () => {
      const ctx = actionContext({
        cluster: CLUSTER,
        vmSize: 'Standard_NC48ads_A100_v4',
        fallbackToNodeAutoProvisioning: false,
      });
      await expect(
        createGpuPoolEnsureAction({ kaito: denied }).handler(ctx),
      ).rejects.toThrow(
        /You may not create GPU pools .*Ask the platform team to provision a Standard_NC48ads_A100_v4 pool on cluster "aks-kaito-dev" \(template provision-gpu-pool\)/,
      );
    });
  });

  it('does nothing when the task was cancelled before it started', async () => {
    const controller = new AbortController();
    controller.abort();
    const { promise, spy } = run(
      { cluster: CLUSTER, vmSize: A10, poolName: 'nevera10' },
      { signal: controller.signal },
    );
    await expect(promise).rejects.toThrow(/nothing was created/);
    expect(spy.calls).toEqual([]);
  });
});
