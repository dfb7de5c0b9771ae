import { defaultGpuPoolName } from './gpuPools';
import { azureGpuSkus } from './skus';
import { AKS_POOL_NAME_PATTERN } from './validation';

describe('GPU pool names', () => {
  it('derives a valid AKS pool name from every GPU SKU, with a Spot variant', () => {
    for (const sku of azureGpuSkus) {
      for (const spot of [false, true]) {
        const name = defaultGpuPoolName(sku.name, spot);
        expect(name).toMatch(AKS_POOL_NAME_PATTERN);
        expect(defaultGpuPoolName(sku.armVmSize, spot)).toBe(name);
      }
    }
    expect(defaultGpuPoolName('Standard_NC24ads_A100_v4')).toBe('nc24adsa100');
    expect(defaultGpuPoolName('standard_nc24ads_a100_v4', true)).toBe(
      'nc24adsa100s',
    );
    const names = azureGpuSkus.map(s => defaultGpuPoolName(s.name));
    expect(new Set(names).size).toBe(names.length);
  });
});
