import { findPreset, KaitoPreset } from './presets';
import { estimateNodeCount, estimateNodes } from './nodeEstimator';
import { rankSkusForPreset, skuFits, tuningGpuMemoryNeed } from './sizing';
import { findGpuSku, GpuSku } from './skus';

function preset(name: string): KaitoPreset {
  const p = findPreset(name);
  if (!p) throw new Error(`no preset ${name}`);
  return p;
}

function sku(name: string): GpuSku {
  const s = findGpuSku(name);
  if (!s) throw new Error(`no sku ${name}`);
  return s;
}

describe('estimateNodes', () => {
  it('follows the KAITO estimator figures', () => {
    // 24 GiB x 0.84 = 20.16; reserve 2.3 + 2048 x 393216 B = 3.05;
    // (20.16 - 3.05) / 1.05 = 16.30 GiB per GPU for 7.12 x 1.02 GiB
    expect(
      estimateNodes(
        preset('phi-3-mini-128k-instruct'),
        sku('Standard_NV36ads_A10_v5'),
        'inference',
      ),
    ).toEqual({
      nodeCount: 1,
      minGpus: 1,
      perGpuBudgetGiB: 20.16,
      fixedReserveGiB: 3.05,
      availablePerGpuGiB: 16.3,
    });
  });

  it('spreads a large model over several nodes', () => {
    const llama70b = preset('llama-3.3-70b-instruct');
    expect(
      estimateNodeCount(llama70b, sku('Standard_NC24ads_A100_v4'), 'inference'),
    ).toBe(3);
    expect(
      estimateNodeCount(llama70b, sku('Standard_NC96ads_A100_v4'), 'inference'),
    ).toBe(1);
  });

  it('grows the KV cache with max-model-len', () => {
    const small = estimateNodes(
      preset('phi-3-mini-128k-instruct'),
      sku('Standard_NV36ads_A10_v5'),
      'inference',
      { maxModelLen: 32768 },
    );
    expect(small.fixedReserveGiB).toBe(14.3);
    expect(small.nodeCount).toBe(2);
  });

  it('reports when the reserve exceeds the budget', () => {
    const estimate = estimateNodes(
      preset('phi-3-mini-128k-instruct'),
      sku('Standard_NV36ads_A10_v5'),
      'inference',
      { maxModelLen: 131072 },
    );
    expect(estimate.nodeCount).toBe(0);
    expect(estimate.error).toMatch(/too small/);
    expect(() =>
      estimateNodeCount(
        preset('phi-3-mini-128k-instruct'),
        sku('Standard_NV36ads_A10_v5'),
        'inference',
        { maxModelLen: 131072 },
      ),
    ).toThrow(/too small/);
  });

  it('always uses one node for tuning', () => {
    expect(
      estimateNodeCount(
        preset('qwen2.5-coder-32b-instruct'),
        sku('Standard_NV36ads_A10_v5'),
        'tuning',
      ),
    ).toBe(1);
  });

  it('uses the requested count for the transformers runtime', () => {
    expect(
      estimateNodeCount(
        preset('phi-4'),
        sku('Standard_NV36ads_A10_v5'),
        'inference',
        { runtime: 'transformers', requestedCount: 2 },
      ),
    ).toBe(2);
  });
});

describe('skuFits', () => {
  it.each([
    // preset, sku, mode, method, fits
    [
      'phi-3-mini-128k-instruct',
      'Standard_NV36ads_A10_v5',
      'inference',
      undefined,
      true,
    ],
    ['phi-4', 'Standard_NV36ads_A10_v5', 'inference', undefined, false],
    ['phi-4', 'Standard_NV72ads_A10_v5', 'inference', undefined, true],
    [
      'llama-3.3-70b-instruct',
      'Standard_NC24ads_A100_v4',
      'inference',
      undefined,
      true,
    ],
    [
      'phi-3-mini-128k-instruct',
      'Standard_NC24ads_A100_v4',
      'tuning',
      'lora',
      true,
    ],
    [
      'phi-3-mini-128k-instruct',
      'Standard_NV72ads_A10_v5',
      'tuning',
      'lora',
      false,
    ],
    [
      'phi-3-mini-128k-instruct',
      'Standard_NV72ads_A10_v5',
      'tuning',
      'qlora',
      false,
    ],
    ['mistral-7b', 'Standard_NV36ads_A10_v5', 'tuning', 'qlora', true],
    [
      'qwen2.5-coder-7b-instruct',
      'Standard_NV36ads_A10_v5',
      'tuning',
      'lora',
      true,
    ],
    [
      'qwen2.5-coder-32b-instruct',
      'Standard_NC48ads_A100_v4',
      'tuning',
      'lora',
      true,
    ],
    [
      'qwen2.5-coder-32b-instruct',
      'Standard_ND96asr_A100_v4',
      'tuning',
      'lora',
      false,
    ],
    [
      'qwen2.5-coder-32b-instruct',
      'Standard_ND96asr_A100_v4',
      'tuning',
      'qlora',
      true,
    ],
    [
      'llama-3.1-8b-instruct',
      'Standard_NC24ads_A100_v4',
      'tuning',
      'lora',
      false,
    ],
    ['phi-2', 'Standard_NC24ads_A100_v4', 'inference', undefined, false],
  ] as const)('%s on %s for %s (%s) fits=%s', (p, s, mode, method, fits) => {
    expect(skuFits(preset(p), sku(s), mode, method).fits).toBe(fits);
  });

  it('explains a multi-node need of a non-distributed preset', () => {
    expect(
      skuFits(preset('phi-4'), sku('Standard_NV36ads_A10_v5'), 'inference'),
    ).toEqual({
      fits: false,
      nodeCount: 2,
      requiredGpuMemoryGiB: 27.31,
      reason:
        'phi-4 would need 2 nodes of Standard_NV36ads_A10_v5, but it cannot be distributed across more than 1 GPU node',
    });
  });

  it('explains a tuning memory shortfall', () => {
    const fit = skuFits(
      preset('phi-3-mini-128k-instruct'),
      sku('Standard_NV72ads_A10_v5'),
      'tuning',
      'lora',
    );
    expect(fit.reason).toBe(
      'lora tuning of phi-3-mini-128k-instruct needs 72 GiB of GPU memory on one node; Standard_NV72ads_A10_v5 has 48 GiB',
    );
  });

  it('rejects tuning of a preset KAITO cannot tune', () => {
    expect(
      skuFits(
        preset('llama-3.1-8b-instruct'),
        sku('Standard_NC24ads_A100_v4'),
        'tuning',
      ).reason,
    ).toBe('preset llama-3.1-8b-instruct does not support fine-tuning');
  });

  it('applies the webhook rule for the transformers runtime', () => {
    const phi4 = preset('phi-4');
    expect(
      skuFits(phi4, sku('Standard_NV36ads_A10_v5'), 'inference', undefined, {
        runtime: 'transformers',
      }).reason,
    ).toMatch(/^Insufficient total GPU memory/);
    expect(
      skuFits(
        preset('phi-4-mini-instruct'),
        sku('Standard_NC24ads_A100_v4'),
        'inference',
        undefined,
        { runtime: 'transformers' },
      ).reason,
    ).toBe(
      'preset phi-4-mini-instruct does not support the transformers runtime',
    );
  });
});

describe('tuningGpuMemoryNeed', () => {
  it('uses the KAITO hint for lora and subtracts the 4-bit saving for qlora', () => {
    const mistral = preset('mistral-7b');
    expect(tuningGpuMemoryNeed(mistral, 'lora')).toEqual({
      totalGiB: 16,
      perGpuGiB: 13.77,
    });
    expect(tuningGpuMemoryNeed(mistral, 'qlora')).toEqual({
      totalGiB: 5.88,
      perGpuGiB: 3.44,
    });
    expect(tuningGpuMemoryNeed(preset('gpt-oss-20b'), 'lora')).toBeUndefined();
  });
});

describe('rankSkusForPreset', () => {
  it('puts the cheapest fitting SKU first and non-fitting ones last', () => {
    const ranked = rankSkusForPreset(
      preset('phi-3-mini-128k-instruct'),
      'tuning',
      'lora',
    );
    expect(ranked[0].sku.name).toBe('Standard_NC24ads_A100_v4');
    expect(ranked[0].usdPerHour).toBe(3.67);
    const firstMiss = ranked.findIndex(r => !r.fit.fits);
    expect(ranked.slice(firstMiss).every(r => !r.fit.fits)).toBe(true);
    expect(ranked.slice(0, firstMiss).every(r => r.fit.fits)).toBe(true);
  });

  it('costs multi-node inference at node count x price', () => {
    const ranked = rankSkusForPreset(
      preset('llama-3.3-70b-instruct'),
      'inference',
    );
    const nc24 = ranked.find(r => r.sku.name === 'Standard_NC24ads_A100_v4');
    expect(nc24?.fit.nodeCount).toBe(3);
    expect(nc24?.usdPerHour).toBe(11.02);
  });
});
