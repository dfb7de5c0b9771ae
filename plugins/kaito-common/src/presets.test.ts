import { findPreset, kaitoPresets, tunablePresets } from './presets';

describe('kaitoPresets', () => {
  it('has unique names, aliases and Hugging Face IDs', () => {
    const keys = kaitoPresets.flatMap(p =>
      [p.name, p.huggingFaceId, ...p.aliases].map(k => k.toLowerCase()),
    );
    const distinctPerPreset = kaitoPresets.flatMap(p => [
      ...new Set(
        [p.name, p.huggingFaceId, ...p.aliases].map(k => k.toLowerCase()),
      ),
    ]);
    expect(new Set(keys).size).toBe(distinctPerPreset.length);
  });

  it('computes disk as weights + 80Gi like the KAITO generator', () => {
    expect(findPreset('phi-4')?.diskGiB).toBe(108);
    expect(findPreset('microsoft/Phi-3-mini-128k-instruct')?.diskGiB).toBe(88);
  });

  it('uses the weights as the minimum GPU memory', () => {
    for (const preset of kaitoPresets) {
      expect(preset.minGpuMemoryGiB).toBe(preset.modelWeightGiB);
      expect(preset.minGpuMemoryGiB).toBeGreaterThan(0);
    }
  });

  it('lists exactly the tuning-capable presets of KAITO v0.12', () => {
    expect(tunablePresets().map(p => p.name)).toEqual([
      'phi-4',
      'phi-4-mini-instruct',
      'phi-3-mini-4k-instruct',
      'phi-3-mini-128k-instruct',
      'phi-3-medium-4k-instruct',
      'phi-3-medium-128k-instruct',
      'phi-3.5-mini-instruct',
      'qwen2.5-coder-7b-instruct',
      'qwen2.5-coder-32b-instruct',
      'mistral-7b',
    ]);
    for (const preset of tunablePresets()) {
      expect(preset.tuningMethods).toEqual(['lora', 'qlora']);
      expect(preset.tuning?.gpuMemoryGiB).toBeGreaterThan(0);
    }
  });

  it('marks non-tunable presets consistently', () => {
    for (const preset of kaitoPresets.filter(p => !p.tunable)) {
      expect(preset.tuningMethods).toEqual([]);
      expect(preset.tuning).toBeUndefined();
    }
  });

  it('marks the Llama presets as gated', () => {
    expect(
      kaitoPresets.filter(p => p.downloadAuthRequired).map(p => p.name),
    ).toEqual(['llama-3.1-8b-instruct', 'llama-3.3-70b-instruct']);
  });

  it('keeps deprecated presets resolvable but flagged', () => {
    expect(findPreset('phi-2')).toMatchObject({
      deprecated: true,
      tunable: false,
    });
    expect(findPreset('falcon-7b')).toMatchObject({
      deprecated: true,
      tunable: false,
    });
  });

  it('derives KV bytes per token from the architecture', () => {
    // Llama-3.1-8B: 2 x 32 layers x 8 KV heads x 128 x 2 bytes
    expect(findPreset('llama-3.1-8b-instruct')?.kvCacheBytesPerToken).toBe(
      131072,
    );
    // DeepSeek MLA: 61 layers x (512 + 64) x 2 bytes
    expect(findPreset('deepseek-r1-0528')?.kvCacheBytesPerToken).toBe(70272);
  });
});

describe('findPreset', () => {
  it.each([
    ['phi-3-mini-128k-instruct'],
    ['PHI-3-MINI-128K-INSTRUCT'],
    ['microsoft/Phi-3-mini-128k-instruct'],
    ['microsoft/phi-3-mini-128k-instruct'],
    ['  phi-3-mini-128k-instruct '],
  ])('resolves %p', name => {
    expect(findPreset(name)?.name).toBe('phi-3-mini-128k-instruct');
  });

  it('resolves aliases', () => {
    expect(findPreset('mistral-7b-v0.3')?.name).toBe('mistral-7b');
    expect(findPreset('mistralai/Mistral-7B-v0.3')?.name).toBe('mistral-7b');
  });

  it('uses the HF ID as name when there is no legacy name', () => {
    expect(findPreset('qwen/qwen3.5-9b')?.name).toBe('Qwen/Qwen3.5-9B');
  });

  it('returns undefined for unknown names', () => {
    expect(findPreset('gpt-5')).toBeUndefined();
    expect(findPreset('')).toBeUndefined();
  });
});
