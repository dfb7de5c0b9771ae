import {
  findVmSize,
  normalizeQuotaFamily,
  quotaFamilies,
  sameQuotaFamily,
  VM_SIZES,
} from './vmSizes';

describe('VM size catalog', () => {
  it('knows every GPU size of KAITO’s Azure SKU table under its Azure name', () => {
    const kaitoSkus = [
      'Standard_NV36ads_A10_v5',
      'Standard_NV72ads_A10_v5',
      'Standard_NC24ads_A100_v4',
      'Standard_NC48ads_A100_v4',
      'Standard_NC96ads_A100_v4',
      'Standard_ND96asr_v4',
      'Standard_ND96amsr_A100_v4',
      'Standard_NC40ads_H100_v5',
      'Standard_NC80adis_H100_v5',
      'Standard_NCC40ads_H100_v5',
      'Standard_ND96isr_H100_v5',
      'Standard_ND96isr_H200_v5',
      'Standard_NG32ads_V620_v1',
      'Standard_NG32adms_V620_v1',
    ];
    for (const name of kaitoSkus) {
      expect(findVmSize(name)?.gpu).toBeDefined();
    }
    // KAITO's spelling of ND96asr_v4 is not an Azure size.
    expect(findVmSize('Standard_ND96asr_A100_v4')).toBeUndefined();
  });

  it('describes sizes as Azure does', () => {
    expect(findVmSize('standard_nc24ads_a100_v4')).toMatchObject({
      name: 'Standard_NC24ads_A100_v4',
      vCpus: 24,
      memoryGiB: 220,
      quotaFamily: 'standardNCADSA100v4Family',
      gpu: {
        count: 1,
        model: 'NVIDIA A100 PCIe',
        memoryGiB: 80,
        migCapable: true,
      },
      nvme: true,
    });
    expect(findVmSize('Standard_ND96isr_H100_v5')).toMatchObject({
      vCpus: 96,
      gpu: { count: 8, memoryGiB: 80 },
    });
    expect(findVmSize('Standard_NV6ads_A10_v5')?.gpu).toMatchObject({
      count: 1,
      fraction: 1 / 6,
      memoryGiB: 4,
    });
    expect(findVmSize('Standard_D4s_v5')).toMatchObject({
      vCpus: 4,
      memoryGiB: 16,
      quotaFamily: 'standardDSv5Family',
    });
    expect(findVmSize('Standard_D4s_v5')?.gpu).toBeUndefined();
    expect(findVmSize('Standard_DS2_v2')).toMatchObject({
      vCpus: 2,
      quotaFamily: 'standardDSv2Family',
    });
    expect(findVmSize('Standard_NC4as_T4_v3')?.quotaFamily).toBe(
      'Standard NCASv3_T4 Family',
    );
  });

  it('has unique names and consistent families', () => {
    const names = VM_SIZES.map(s => s.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    const families = quotaFamilies();
    expect(families.map(f => normalizeQuotaFamily(f.name))).toEqual([
      ...new Set(VM_SIZES.map(s => normalizeQuotaFamily(s.quotaFamily))),
    ]);
    for (const family of families) {
      expect(family.displayName).toMatch(/vCPUs$/);
    }
  });

  it('compares quota families ignoring spaces and case', () => {
    expect(
      sameQuotaFamily('Standard NCASv3_T4 Family', 'standardNCASv3_T4Family'),
    ).toBe(true);
    expect(
      sameQuotaFamily('StandardNCADSA100v4Family', 'standardNCADSA100v4Family'),
    ).toBe(true);
    expect(sameQuotaFamily('standardDSv5Family', 'standardDSv2Family')).toBe(
      false,
    );
  });
});
