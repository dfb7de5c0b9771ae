import { ArmError } from './errors';
import {
  gpuPool,
  newSimulator,
  nextEvent,
  TIME_SCALE,
} from './__testUtils__/harness';

const rejection = async (promise: Promise<unknown>): Promise<ArmError> => {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(ArmError);
    return e as ArmError;
  }
  throw new Error('expected an ArmError');
};

describe('ArmSimulator (in-process API)', () => {
  let env: ReturnType<typeof newSimulator>;
  const start = (overrides: Parameters<typeof newSimulator>[0] = {}) => {
    env = newSimulator({ random: () => 0.5, ...overrides });
    return env;
  };
  afterEach(async () => {
    await env?.sim.stop();
    env?.clock.stop();
  });

  it('starts with the system pool nodepool1', () => {
    const { sim } = start();
    expect(sim.listAgentPools()).toHaveLength(1);
    expect(sim.getAgentPool('nodepool1')).toMatchObject({
      name: 'nodepool1',
      type: 'Microsoft.ContainerService/managedClusters/agentPools',
      id: '/subscriptions/3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b/resourcegroups/rg-kaito/providers/Microsoft.ContainerService/managedClusters/aks-kaito/agentPools/nodepool1',
      properties: {
        vmSize: 'Standard_D4s_v5',
        count: 2,
        mode: 'System',
        provisioningState: 'Succeeded',
        powerState: { code: 'Running' },
        orchestratorVersion: '1.34.2',
        currentOrchestratorVersion: '1.34.2',
        nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202608.12.0',
      },
    });
    expect(
      sim.getManagedCluster().properties.aiToolchainOperatorProfile,
    ).toEqual({ enabled: true });
  });

  it('creates, scales, updates and deletes a pool as long-running operations', async () => {
    const { sim } = start();
    const started = jest.fn();
    sim.on('agentPoolOperationStarted', started);

    const succeeded = nextEvent(sim, 'agentPoolSucceeded', 'gpu');
    const created = await sim.createOrUpdateAgentPool('gpu', gpuPool());
    expect(created.properties).toMatchObject({
      provisioningState: 'Creating',
      count: 1,
      tags: { 'created-by': 'backstage' },
    });
    const [pool, detail] = await succeeded;
    expect(pool.properties.provisioningState).toBe('Succeeded');
    expect(detail).toMatchObject({
      operation: 'Create',
      count: 1,
      previousCount: 0,
    });
    expect(sim.getAgentPool('gpu')?.properties.provisioningState).toBe(
      'Succeeded',
    );

    const scaled = nextEvent(sim, 'agentPoolSucceeded', 'gpu');
    expect(
      (await sim.createOrUpdateAgentPool('gpu', { properties: { count: 2 } }))
        .properties.provisioningState,
    ).toBe('Scaling');
    expect((await scaled)[1]).toMatchObject({
      operation: 'Scale',
      count: 2,
      previousCount: 1,
    });

    const updated = nextEvent(sim, 'agentPoolSucceeded', 'gpu');
    const update = await sim.createOrUpdateAgentPool('gpu', {
      properties: { nodeLabels: { apps: 'gpu2' } },
    });
    expect(update.properties).toMatchObject({
      provisioningState: 'Updating',
      count: 2,
      nodeLabels: { apps: 'gpu2' },
    });
    expect((await updated)[1]).toMatchObject({ operation: 'Update', count: 2 });

    const deleted = nextEvent(sim, 'agentPoolDeleted', 'gpu');
    expect(
      (await sim.deleteAgentPool('gpu'))?.properties.provisioningState,
    ).toBe('Deleting');
    await deleted;
    expect(sim.getAgentPool('gpu')).toBeUndefined();
    expect(await sim.deleteAgentPool('gpu')).toBeUndefined();
    expect(started.mock.calls.map(([, d]) => d.operation)).toEqual([
      'Create',
      'Scale',
      'Update',
      'Delete',
    ]);
  });

  it('takes the nominal AKS duration through the clock', async () => {
    const { sim } = start(); // random 0.5: a GPU create takes 300 s nominal
    const expectedMs = 300_000 / TIME_SCALE;
    const began = Date.now();
    const succeeded = nextEvent(sim, 'agentPoolSucceeded', 'gpu');
    await sim.createOrUpdateAgentPool('gpu', gpuPool());
    await new Promise(r => setTimeout(r, expectedMs / 3));
    expect(sim.getAgentPool('gpu')?.properties.provisioningState).toBe(
      'Creating',
    );
    await succeeded;
    expect(Date.now() - began).toBeGreaterThanOrEqual(expectedMs - 5);
  });

  it('refuses a write while the pool has an operation in progress', async () => {
    const { sim } = start();
    await sim.createOrUpdateAgentPool('gpu', gpuPool());
    const error = await rejection(
      sim.createOrUpdateAgentPool('gpu', gpuPool({ count: 2 })),
    );
    expect(error).toMatchObject({
      statusCode: 409,
      code: 'OperationNotAllowed',
    });
    expect(error.message).toMatch(
      /^Operation is not allowed because there's an in progress create node pool operation/,
    );
    // Other pools are independent (current AKS).
    await expect(
      sim.createOrUpdateAgentPool('gpu2', gpuPool()),
    ).resolves.toBeDefined();
  });

  it('serializes pool operations across the cluster when configured', async () => {
    const { sim } = start({ serializePoolOperations: true });
    await sim.createOrUpdateAgentPool('gpu1', gpuPool());
    const error = await rejection(
      sim.createOrUpdateAgentPool('gpu2', gpuPool()),
    );
    expect(error).toMatchObject({
      statusCode: 409,
      code: 'OperationNotAllowed',
    });
    expect(error.message).toContain(
      'Another agentpool operation (gpu1 - Creating) is in progress',
    );
  });

  it('answers the armConflict fault with 409 and then proceeds', async () => {
    const { sim, faults } = start();
    faults.patch({ armConflict: { count: 1 } });
    const error = await rejection(
      sim.createOrUpdateAgentPool('gpu', gpuPool()),
    );
    expect(error.statusCode).toBe(409);
    expect(error.message).toContain(
      "there's an in progress create node pool operation",
    );
    expect(faults.get().armConflict.count).toBe(0);
    await expect(
      sim.createOrUpdateAgentPool('gpu', gpuPool()),
    ).resolves.toBeDefined();
  });

  it('fails the operation with QuotaExceeded when the family quota is used up', async () => {
    const { sim } = start({ vCpuQuota: { standardNCADSA100v4Family: 24 } });
    const first = nextEvent(sim, 'agentPoolSucceeded', 'gpu1');
    await sim.createOrUpdateAgentPool('gpu1', gpuPool());
    await first;

    const failed = nextEvent(sim, 'agentPoolFailed', 'gpu2');
    const accepted = await sim.createOrUpdateAgentPool('gpu2', gpuPool());
    expect(accepted.properties.provisioningState).toBe('Creating');
    const [pool, detail] = await failed;
    expect(detail).toMatchObject({
      operation: 'Create',
      code: 'QuotaExceeded',
    });
    expect(detail.message).toContain(
      'exceeding approved standardNCADSA100v4Family Cores quota. Additional details - Deployment Model: Resource Manager, Location: eastus, Current Limit: 24, Current Usage: 24, Additional Required: 24, (Minimum) New Limit Required: 48.',
    );
    expect(pool.properties.provisioningState).toBe('Failed');
    expect(
      sim.getAgentPool('gpu2')?.properties.status?.provisioningError,
    ).toMatchObject({ code: 'QuotaExceeded' });
    const usage = sim
      .computeUsages()
      .find(u => u.name.value === 'standardNCADSA100v4Family');
    expect(usage).toMatchObject({ currentValue: 24, limit: 24 });
  });

  it('fails pools of an exhausted family and recovers on a reconcile PUT once the fault is cleared', async () => {
    const { sim, faults } = start();
    faults.patch({ quotaExhaustedFamilies: ['StandardNCADSA100v4Family'] });
    const failed = nextEvent(sim, 'agentPoolFailed', 'gpu');
    await sim.createOrUpdateAgentPool('gpu', gpuPool());
    expect((await failed)[1].message).toContain(
      'Current Limit: 0, Current Usage: 0, Additional Required: 24',
    );
    expect(
      sim
        .computeUsages()
        .find(u => u.name.value === 'standardNCADSA100v4Family'),
    ).toMatchObject({
      currentValue: 0,
      limit: 0,
    });

    faults.patch({ quotaExhaustedFamilies: [] });
    const succeeded = nextEvent(sim, 'agentPoolSucceeded', 'gpu');
    const retried = await sim.createOrUpdateAgentPool('gpu', gpuPool());
    expect(retried.properties.provisioningState).toBe('Updating');
    expect(retried.properties.status).toBeUndefined();
    expect((await succeeded)[0].properties.provisioningState).toBe('Succeeded');
    expect(
      sim
        .computeUsages()
        .find(u => u.name.value === 'standardNCADSA100v4Family')?.currentValue,
    ).toBe(24);
  });

  it('lets a delete override a running create', async () => {
    const { sim } = start();
    const operations: string[] = [];
    sim.on('agentPoolOperationStarted', (_pool, detail) =>
      operations.push(detail.operationId),
    );
    const succeeded = jest.fn();
    sim.on('agentPoolSucceeded', succeeded);
    await sim.createOrUpdateAgentPool('gpu', gpuPool());
    const deleted = nextEvent(sim, 'agentPoolDeleted', 'gpu');
    await sim.deleteAgentPool('gpu');
    const [create, remove] = operations;
    expect(sim.getOperation(create)).toMatchObject({
      status: 'Canceled',
      error: {
        code: 'Canceled',
        message: `The operation was overriden and canceled by a later operation ${remove}.`,
      },
    });
    await deleted;
    expect(sim.getOperation(remove)?.status).toBe('Succeeded');
    expect(succeeded).not.toHaveBeenCalled();
    expect(sim.getAgentPool('gpu')).toBeUndefined();
  });

  it('aborts a running operation and leaves the pool Canceled', async () => {
    const { sim } = start();
    await sim.createOrUpdateAgentPool('gpu', gpuPool());
    const failed = nextEvent(sim, 'agentPoolFailed', 'gpu');
    expect(
      (await sim.abortAgentPoolOperation('gpu')).properties.provisioningState,
    ).toBe('Canceling');
    const [pool, detail] = await failed;
    expect(pool.properties.provisioningState).toBe('Canceled');
    expect(detail).toMatchObject({ operation: 'Create', code: 'Canceled' });
    expect(await rejection(sim.abortAgentPoolOperation('gpu'))).toMatchObject({
      statusCode: 409,
    });
    expect(await rejection(sim.abortAgentPoolOperation('nope'))).toMatchObject({
      statusCode: 404,
    });
  });

  it('refuses SDK-style flattened models in-process', async () => {
    const { sim } = start();
    await expect(
      sim.createOrUpdateAgentPool('gpu', {
        vmSize: 'Standard_NC24ads_A100_v4',
      } as any),
    ).rejects.toThrow(TypeError);
  });

  it('keeps at least one System pool', async () => {
    const { sim } = start();
    expect(await rejection(sim.deleteAgentPool('nodepool1'))).toMatchObject({
      statusCode: 400,
      code: 'OperationNotAllowed',
    });
    expect(
      await rejection(
        sim.createOrUpdateAgentPool('nodepool1', {
          properties: { mode: 'User' },
        }),
      ),
    ).toMatchObject({
      statusCode: 400,
    });
  });

  it('charges Spot pools to lowPriorityCores', async () => {
    const { sim } = start();
    const done = nextEvent(sim, 'agentPoolSucceeded', 'spot');
    const pool = await sim.createOrUpdateAgentPool(
      'spot',
      gpuPool({ scaleSetPriority: 'Spot' }),
    );
    expect(pool.properties.nodeTaints).toContain(
      'kubernetes.azure.com/scalesetpriority=spot:NoSchedule',
    );
    expect(pool.properties.nodeLabels).toMatchObject({
      'kubernetes.azure.com/scalesetpriority': 'spot',
    });
    await done;
    const usages = new Map(
      sim.computeUsages().map(u => [u.name.value, u.currentValue]),
    );
    expect(usages.get('lowPriorityCores')).toBe(24);
    expect(usages.get('standardNCADSA100v4Family')).toBe(0);
    expect(usages.get('cores')).toBe(8);
  });

  it('honours If-Match and If-None-Match', async () => {
    const { sim } = start();
    const etag = sim.getAgentPool('nodepool1')?.properties.eTag as string;
    expect(
      await rejection(
        sim.createOrUpdateAgentPool(
          'nodepool1',
          { properties: { count: 3 } },
          { ifMatch: '"stale"' },
        ),
      ),
    ).toMatchObject({
      statusCode: 412,
      code: 'PreconditionFailed',
    });
    expect(
      await rejection(
        sim.createOrUpdateAgentPool(
          'nodepool1',
          { properties: {} },
          { ifNoneMatch: '*' },
        ),
      ),
    ).toMatchObject({
      statusCode: 412,
    });
    await expect(
      sim.createOrUpdateAgentPool(
        'nodepool1',
        { properties: { count: 3 } },
        { ifMatch: `"${etag}"` },
      ),
    ).resolves.toMatchObject({
      properties: { provisioningState: 'Scaling' },
    });
  });

  it('adds the armLatency fault to in-process calls', async () => {
    const { sim, faults } = start();
    faults.patch({ latencyMs: { arm: 60 } });
    const began = Date.now();
    await sim.createOrUpdateAgentPool('gpu', gpuPool());
    expect(Date.now() - began).toBeGreaterThanOrEqual(55);
  });
});
