import { QuotaBook, quotaExceededMessage } from './quota';
import { findVmSize, VmSize } from './vmSizes';

const size = (name: string) => findVmSize(name) as VmSize;
const A100 = size('Standard_NC24ads_A100_v4');
const D4 = size('Standard_D4s_v5');

describe('QuotaBook', () => {
  it('charges full vCPUs to the family and the regional bucket, Spot to lowPriorityCores', () => {
    const book = new QuotaBook();
    const usage = book.usage([
      { size: D4, vmCount: 2, spot: false },
      { size: A100, vmCount: 2, spot: false },
      { size: A100, vmCount: 1, spot: true },
    ]);
    expect(usage.get('standarddsv5family')).toBe(8);
    expect(usage.get('standardncadsa100v4family')).toBe(48);
    expect(usage.get('cores')).toBe(56);
    expect(usage.get('lowprioritycores')).toBe(24);
  });

  it('finds the first exceeded bucket', () => {
    const book = new QuotaBook({ StandardNCADSA100v4Family: 48, cores: 60 });
    const base = [{ size: D4, vmCount: 2, spot: false }];
    expect(book.check(base, A100, 2, false, [])).toBeUndefined();
    expect(book.check(base, A100, 3, false, [])).toEqual({
      bucket: 'standardNCADSA100v4Family',
      usageName: 'standardNCADSA100v4Family',
      limit: 48,
      currentUsage: 0,
      additionalRequired: 72,
    });
    const withPool = [...base, { size: A100, vmCount: 2, spot: false }];
    expect(book.check(withPool, D4, 2, false, [])).toMatchObject({
      bucket: 'Total Regional',
      limit: 60,
      currentUsage: 56,
    });
    expect(book.check(withPool, A100, 0, false, [])).toBeUndefined();
    expect(book.check(withPool, A100, 1, true, [])).toBeUndefined();
  });

  it('treats an exhausted family as limit = current usage', () => {
    const book = new QuotaBook();
    const allocations = [{ size: A100, vmCount: 1, spot: false }];
    expect(
      book.check(allocations, A100, 1, false, ['standard NCADSA100v4 family']),
    ).toEqual({
      bucket: 'standardNCADSA100v4Family',
      usageName: 'standardNCADSA100v4Family',
      limit: 24,
      currentUsage: 24,
      additionalRequired: 24,
    });
    const usages = book.usages(allocations, ['standardNCADSA100v4Family']);
    expect(
      usages.find(u => u.name.value === 'standardNCADSA100v4Family'),
    ).toEqual({
      unit: 'Count',
      currentValue: 24,
      limit: 24,
      name: {
        value: 'standardNCADSA100v4Family',
        localizedValue: 'Standard NCADS_A100_v4 Family vCPUs',
      },
    });
    // Spot pools use lowPriorityCores, untouched by the family fault.
    expect(
      book.check(allocations, A100, 1, true, ['standardNCADSA100v4Family']),
    ).toBeUndefined();
  });

  it('lists usages with regional totals', () => {
    const usages = new QuotaBook().usages(
      [{ size: D4, vmCount: 2, spot: false }],
      [],
    );
    const byName = new Map(usages.map(u => [u.name.value, u]));
    expect(byName.get('cores')).toMatchObject({
      currentValue: 8,
      limit: 350,
      name: { localizedValue: 'Total Regional vCPUs' },
    });
    expect(byName.get('virtualMachines')?.currentValue).toBe(2);
    expect(byName.get('virtualMachineScaleSets')?.currentValue).toBe(1);
    expect(byName.get('standardDSv5Family')?.currentValue).toBe(8);
    expect(byName.get('lowPriorityCores')?.currentValue).toBe(0);
    expect(byName.get('standardNDSH100v5Family')).toMatchObject({
      currentValue: 0,
      limit: 100,
    });
  });

  it('rejects negative limits', () => {
    expect(() => new QuotaBook({ cores: -1 })).toThrow(/non-negative/);
  });
});

describe('quotaExceededMessage', () => {
  it('uses Compute’s wording', () => {
    const message = quotaExceededMessage(
      {
        bucket: 'standardNCADSA100v4Family',
        usageName: 'standardNCADSA100v4Family',
        limit: 0,
        currentUsage: 0,
        additionalRequired: 24,
      },
      {
        subscriptionId: 'sub',
        location: 'eastus',
        clusterName: 'aks',
        nodeResourceGroup: 'MC_rg_aks_eastus',
      },
    );
    expect(message).toContain(
      'Operation could not be completed as it results in exceeding approved standardNCADSA100v4Family Cores quota. Additional details - Deployment Model: Resource Manager, Location: eastus, Current Limit: 0, Current Usage: 0, Additional Required: 24, (Minimum) New Limit Required: 24.',
    );
    expect(message).toMatch(
      /^Preflight validation check for resource\(s\) for container service aks in resource group MC_rg_aks_eastus failed\./,
    );
    expect(message).toContain(
      '%22resourceName%22:%22standardNCADSA100v4Family%22',
    );
  });
});
