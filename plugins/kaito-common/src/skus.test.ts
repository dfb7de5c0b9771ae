import {
  azureGpuSkus,
  findGpuSku,
  findGpuSkuByVmSize,
  normalizeQuotaFamily,
} from './skus';

describe('azureGpuSkus', () => {
  it('contains no SKU below compute capability 8.0 (removed in KAITO v0.12)', () => {
    for (const sku of azureGpuSkus.filter(s => s.gpuVendor === 'nvidia')) {
      expect(Number(sku.computeCapability)).toBeGreaterThanOrEqual(8);
    }
    for (const removed of [
      'Standard_NC4as_T4_v3',
      'Standard_NC64as_T4_v3',
      'Standard_NC6s_v3',
      'Standard_NC12s_v3',
      'Standard_NV12s_v3',
      'Standard_NV32as_v4',
    ]) {
      expect(findGpuSku(removed)).toBeUndefined();
    }
  });

  it('derives the per-GPU memory from the VM total', () => {
    for (const sku of azureGpuSkus) {
      expect(sku.perGpuMemoryGiB * sku.gpuCount).toBe(sku.gpuMemoryGiB);
    }
    expect(findGpuSku('Standard_ND96asr_A100_v4')?.perGpuMemoryGiB).toBe(40);
    expect(findGpuSku('Standard_ND96isr_H200_v5')?.perGpuMemoryGiB).toBe(141);
  });

  it('carries the GFD product label of every NVIDIA SKU', () => {
    expect(findGpuSku('Standard_NC24ads_A100_v4')?.nvidiaProductLabel).toBe(
      'NVIDIA-A100-80GB-PCIe',
    );
    for (const sku of azureGpuSkus.filter(s => s.gpuVendor === 'nvidia')) {
      expect(sku.nvidiaProductLabel).toMatch(/^NVIDIA-/);
    }
  });

  it('has prices with a source and region where known', () => {
    expect(findGpuSku('Standard_NC24ads_A100_v4')?.price).toEqual({
      usdPerHour: 3.673,
      region: 'eastus',
      source: expect.stringContaining('Azure Retail Prices'),
      asOf: '2024',
    });
    expect(findGpuSku('Standard_ND96isr_H200_v5')?.price).toBeUndefined();
  });
});

describe('findGpuSku', () => {
  it('ignores case as KAITO does', () => {
    expect(findGpuSku('standard_nc24ads_a100_v4')?.name).toBe(
      'Standard_NC24ads_A100_v4',
    );
  });

  it('does not accept the ARM spelling KAITO does not know', () => {
    expect(findGpuSku('Standard_ND96asr_v4')).toBeUndefined();
    expect(findGpuSkuByVmSize('Standard_ND96asr_v4')?.name).toBe(
      'Standard_ND96asr_A100_v4',
    );
  });
});

describe('normalizeQuotaFamily', () => {
  it('compares families without spaces and case', () => {
    expect(normalizeQuotaFamily('Standard NDASv4_A100 Family')).toBe(
      normalizeQuotaFamily('standardNDASv4_A100Family'),
    );
  });
});
