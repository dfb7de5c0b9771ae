/**
 * The real @azure/arm-compute client (25.x) against the simulator's Compute
 * usages and resource SKUs.
 */
import type { Usage } from '@azure/arm-compute';
import {
  CLUSTER,
  gpuPool,
  LOCATION,
  nextEvent,
  RESOURCE_GROUP,
  startArm,
} from './__testUtils__/harness';

type Env = Awaited<ReturnType<typeof startArm>>;

const usages = async (env: Env, location = LOCATION) => {
  const byName = new Map<string, Usage>();
  for await (const usage of env.compute.usage.list(location))
    byName.set(usage.name.value!, usage);
  return byName;
};

describe('ComputeManagementClient against the simulator', () => {
  let env: Env;
  beforeEach(async () => {
    env = await startArm({ random: () => 0.5 });
  });
  afterEach(() => env.stop());

  it('reports family and regional vCPU usage that rises when a pool is created', async () => {
    const before = await usages(env);
    expect(before.get('cores')).toEqual({
      unit: 'Count',
      currentValue: 8,
      limit: 350,
      name: { value: 'cores', localizedValue: 'Total Regional vCPUs' },
    });
    expect(before.get('standardDSv5Family')).toMatchObject({
      currentValue: 8,
      limit: 100,
    });
    expect(before.get('standardNCADSA100v4Family')).toMatchObject({
      currentValue: 0,
      limit: 100,
      name: { localizedValue: 'Standard NCADS_A100_v4 Family vCPUs' },
    });

    await env.containerService.agentPools.beginCreateOrUpdateAndWait(
      RESOURCE_GROUP,
      CLUSTER,
      'gpu',
      { vmSize: 'Standard_NC24ads_A100_v4', count: 2 },
      { updateIntervalInMs: 5 },
    );
    const after = await usages(env);
    expect(after.get('standardNCADSA100v4Family')?.currentValue).toBe(48);
    expect(after.get('cores')?.currentValue).toBe(56);
    expect(after.get('virtualMachines')?.currentValue).toBe(4);
    expect(after.get('virtualMachineScaleSets')?.currentValue).toBe(2);
  });

  it('shows an exhausted family with limit = current usage', async () => {
    env.faults.patch({
      quotaExhaustedFamilies: [
        'standardNCADSA100v4Family',
        'StandardNCadsH100v5Family',
      ],
    });
    const list = await usages(env);
    expect(list.get('standardNCADSA100v4Family')).toMatchObject({
      currentValue: 0,
      limit: 0,
    });
    expect(list.get('StandardNCadsH100v5Family')).toMatchObject({
      currentValue: 0,
      limit: 0,
    });
    expect(list.get('standardNDSH100v5Family')).toMatchObject({ limit: 100 });
  });

  it('counts pools as soon as their VMs are being created (not when Failed)', async () => {
    const done = nextEvent(env.sim, 'agentPoolSucceeded', 'gpu');
    await env.sim.createOrUpdateAgentPool('gpu', gpuPool());
    expect(
      (await usages(env)).get('standardNCADSA100v4Family')?.currentValue,
    ).toBe(24);
    await done;

    env.faults.patch({ quotaExhaustedFamilies: ['StandardNVADSA10v5Family'] });
    const failed = nextEvent(env.sim, 'agentPoolFailed', 'a10');
    await env.sim.createOrUpdateAgentPool(
      'a10',
      gpuPool({ vmSize: 'Standard_NV36ads_A10_v5' }),
    );
    await failed;
    expect(
      (await usages(env)).get('StandardNVADSA10v5Family')?.currentValue,
    ).toBe(0);
  });

  it('reports other regions as empty', async () => {
    expect((await usages(env, 'westeurope')).get('cores')?.currentValue).toBe(
      0,
    );
  });

  it('lists resource SKUs with capabilities and restrictions', async () => {
    await env.stop();
    env = await startArm({ unavailableVmSizes: ['Standard_ND96isr_H200_v5'] });
    const skus = new Map<string, any>();
    for await (const sku of env.compute.resourceSkus.list({
      filter: "location eq 'eastus'",
    }))
      skus.set(sku.name!, sku);
    const a100 = skus.get('Standard_NC24ads_A100_v4');
    expect(a100).toMatchObject({
      resourceType: 'virtualMachines',
      tier: 'Standard',
      size: 'NC24ads_A100_v4',
      family: 'standardNCADSA100v4Family',
      locations: ['eastus'],
      restrictions: [],
    });
    const capabilities = Object.fromEntries(
      a100.capabilities.map((c: any) => [c.name, c.value]),
    );
    expect(capabilities).toMatchObject({
      vCPUs: '24',
      MemoryGB: '220',
      GPUs: '1',
    });
    expect(skus.get('Standard_ND96isr_H200_v5').restrictions).toEqual([
      {
        type: 'Location',
        values: ['eastus'],
        restrictionInfo: { locations: ['eastus'] },
        reasonCode: 'NotAvailableForSubscription',
      },
    ]);
    await expect(
      env.containerService.agentPools.beginCreateOrUpdateAndWait(
        RESOURCE_GROUP,
        CLUSTER,
        'h200',
        {
          vmSize: 'Standard_ND96isr_H200_v5',
        },
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: 'SkuNotAvailable' });
  });
});
