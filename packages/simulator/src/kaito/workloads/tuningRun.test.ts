import { findPreset } from '@kaito-backstage/plugin-kaito-common';
import {
  pyFloat,
  tqdmLine,
  trainerScript,
  trainerTimeline,
  type TuningRunPlan,
} from './tuningRun';

const plan = (overrides: Partial<TuningRunPlan> = {}): TuningRunPlan => ({
  seed: 'uid-1/1',
  preset: findPreset('phi-3-mini-128k-instruct')!,
  method: 'qlora',
  gpuName: 'NVIDIA-A100-80GB-PCIe',
  gpuMemoryGiB: 80,
  oom: false,
  outputImage: 'myregistry.azurecr.io/adapter:1',
  outputDigest: 'sha256:abc',
  ...overrides,
});

describe('tuning run script', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(trainerScript(plan())).toEqual(trainerScript(plan()));
    expect(trainerScript(plan({ seed: 'uid-2/1' })).lines).not.toEqual(
      trainerScript(plan()).lines,
    );
  });

  it('logs Trainer dicts with a decreasing loss, a decaying learning rate and the final summary', () => {
    const script = trainerScript(plan());
    const dicts = script.lines
      .map(l => l.text)
      .filter(t => t.startsWith("{'loss'"));
    const values = dicts.map(d => ({
      loss: Number(/'loss': ([\d.]+)/.exec(d)![1]),
      lr: Number(/'learning_rate': ([\d.e-]+)/.exec(d)![1]),
      epoch: Number(/'epoch': ([\d.]+)/.exec(d)![1]),
    }));
    expect(values[values.length - 1].loss).toBeLessThan(values[0].loss - 0.5);
    expect(values.map(v => v.lr)).toEqual(
      [...values.map(v => v.lr)].sort((a, b) => b - a),
    );
    expect(values[values.length - 1].epoch).toBe(3);
    const last = script.lines[script.lines.length - 1];
    expect(script.exit).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(script.exit!.atMs).toBeGreaterThan(last.atMs);
    expect(
      script.lines.some(l => l.text.startsWith("{'train_runtime': ")),
    ).toBe(true);
    const times = script.lines.map(l => l.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('takes about twenty nominal minutes for phi-3', () => {
    const t = trainerTimeline(plan());
    expect(t.totalSteps % 3).toBe(0);
    expect(t.exitMs).toBeGreaterThan(15 * 60_000);
    expect(t.exitMs).toBeLessThan(35 * 60_000);
  });

  it('dies of CUDA OOM when the model does not fit', () => {
    const script = trainerScript(plan({ oom: true, gpuMemoryGiB: 24 }));
    expect(script.exit).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(
      script.lines.some(l =>
        l.text.startsWith('torch.OutOfMemoryError: CUDA out of memory.'),
      ),
    ).toBe(true);
    expect(script.lines.some(l => l.text.startsWith("{'loss'"))).toBe(false);
  });

  it('formats numbers and progress like Python and tqdm', () => {
    expect(pyFloat(4.583333333333334e-5)).toBe('4.583333333333334e-05');
    expect(pyFloat(3)).toBe('3.0');
    expect(pyFloat(0.25)).toBe('0.25');
    expect(tqdmLine(12, 120, 9.7)).toBe(
      ' 10%|█         | 12/120 [01:56<17:28,   9.70s/it]',
    );
  });
});
