import { createHash } from 'node:crypto';
import type { ContainerScript, LogLine } from '../../wiring/containerScript';
import type { KaitoPreset } from '../catalog';

/**
 * What KAITO's tuning pod does over time: `fine_tuning.py` under
 * `accelerate launch` (a Hugging Face Trainer with PEFT), logging tqdm
 * progress and `{'loss': ...}` dicts, then the `pusher` sidecar uploading the
 * adapter. Everything is derived from a seed, so a run always logs the same.
 * Durations are nominal: on a real A100 a small QLoRA run takes ~20 minutes.
 */
export interface TuningRunPlan {
  seed: string;
  preset: KaitoPreset;
  method: string;
  gpuName: string;
  gpuMemoryGiB: number;
  oom: boolean;
  /** `TrainingArguments.num_train_epochs` of the tuning config (default 3). */
  epochs?: number;
  outputImage?: string;
  outputDigest?: string;
}

/** The Trainer's default `num_train_epochs`. */
export const EPOCHS = 3;
const LOGGING_STEPS = 10;
const BASE_LR = 5e-5;

/** mulberry32 seeded from a string. */
export function seededRandom(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Python's `repr(float)`: shortest round-trip, exponent form below 1e-4. */
export function pyFloat(x: number): string {
  if (x !== 0 && Math.abs(x) < 1e-4) {
    return x.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  const s = String(x);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

function bar(fraction: number): string {
  const filled = Math.floor(fraction * 10);
  return '█'.repeat(filled) + ' '.repeat(10 - filled);
}

export function tqdmLine(
  step: number,
  total: number,
  stepSeconds: number,
): string {
  const pct = String(Math.floor((100 * step) / total)).padStart(3, ' ');
  return `${pct}%|${bar(step / total)}| ${step}/${total} [${clock(
    step * stepSeconds,
  )}<${clock((total - step) * stepSeconds)}, ${stepSeconds
    .toFixed(2)
    .padStart(6, ' ')}s/it]`;
}

export interface TrainerTimeline {
  examples: number;
  totalSteps: number;
  stepMs: number;
  trainStartMs: number;
  trainEndMs: number;
  exitMs: number;
}

export function trainerTimeline(plan: TuningRunPlan): TrainerTimeline {
  const random = seededRandom(`${plan.seed}/dataset`);
  const examples = 30 + Math.floor(random() * 31);
  const totalSteps = examples * (plan.epochs ?? EPOCHS);
  const stepMs = Math.round((4 + plan.preset.parameterCountB * 1.5) * 1000);
  const trainStartMs = 30_000 + Math.round(plan.preset.modelWeightGiB * 4_000);
  const trainEndMs = trainStartMs + totalSteps * stepMs;
  return {
    examples,
    totalSteps,
    stepMs,
    trainStartMs,
    trainEndMs,
    exitMs: trainEndMs + 8_000,
  };
}

function oomLines(plan: TuningRunPlan, atMs: number): LogLine[] {
  const total = plan.gpuMemoryGiB;
  const inUse = Math.max(total - 1.13, total * 0.95);
  return [
    'Traceback (most recent call last):',
    '  File "/workspace/tfs/fine_tuning.py", line 148, in <module>',
    '    trainer.train()',
    '  File "/usr/local/lib/python3.12/site-packages/transformers/trainer.py", line 2245, in train',
    '    return inner_training_loop(',
    '  File "/usr/local/lib/python3.12/site-packages/torch/nn/modules/module.py", line 1751, in _call_impl',
    '    return forward_call(*args, **kwargs)',
    `torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of ${total.toFixed(
      2,
    )} GiB of which ${((total - inUse) * 1024).toFixed(
      2,
    )} MiB is free. Including non-PyTorch memory, this process has ${inUse.toFixed(
      2,
    )} GiB memory in use. Of the allocated memory ${(inUse - 0.7).toFixed(
      2,
    )} GiB is allocated by PyTorch, and 684.21 MiB is reserved by PyTorch but unallocated. If reserved but unallocated memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See documentation for Memory Management  (https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)`,
  ].map((text, i) => ({ atMs: atMs + i, text }));
}

/** The trainer container (named after the workspace). */
export function trainerScript(plan: TuningRunPlan): ContainerScript {
  const t = trainerTimeline(plan);
  const epochs = plan.epochs ?? EPOCHS;
  const random = seededRandom(`${plan.seed}/loss`);
  const params = Math.round(plan.preset.parameterCountB * 1e9);
  const trainable = Math.round(params * 0.001172);
  const lines: LogLine[] = [
    {
      atMs: 0,
      text: 'The following values were not passed to `accelerate launch` and had defaults used instead:',
    },
    { atMs: 1, text: '\t`--num_machines` was set to a value of `1`' },
    { atMs: 2, text: "\t`--mixed_precision` was set to a value of `'no'`" },
    { atMs: 3, text: "\t`--dynamo_backend` was set to a value of `'no'`" },
    {
      atMs: 4,
      text: 'To avoid this warning pass in values for each of the problematic parameters or run `accelerate config`.',
    },
    {
      atMs: 2_000,
      text: `Loading checkpoint shards:   0%|          | 0/2 [00:00<?, ?it/s]`,
    },
    {
      atMs: t.trainStartMs - 12_000,
      text: `Loading checkpoint shards: 100%|██████████| 2/2 [00:${String(
        Math.round((t.trainStartMs - 14_000) / 1000) % 60,
      ).padStart(2, '0')}<00:00, ${((t.trainStartMs - 14_000) / 2000).toFixed(
        2,
      )}s/it]`,
    },
    {
      atMs: t.trainStartMs - 8_000,
      text: `trainable params: ${trainable.toLocaleString(
        'en-US',
      )} || all params: ${(params + trainable).toLocaleString(
        'en-US',
      )} || trainable%: ${((100 * trainable) / (params + trainable)).toFixed(
        4,
      )}`,
    },
    {
      atMs: t.trainStartMs - 5_000,
      text: `Map: 100%|██████████| ${t.examples}/${t.examples} [00:00<00:00, ${(
        800 +
        random() * 900
      ).toFixed(2)} examples/s]`,
    },
    {
      atMs: t.trainStartMs - 1_000,
      text: `  0%|          | 0/${t.totalSteps} [00:00<?, ?it/s]`,
    },
  ];
  if (plan.oom) {
    const at = t.trainStartMs + 3_000;
    lines.push(...oomLines(plan, at));
    return {
      pullMs: 90_000,
      imageBytes: 9_876_543_210,
      lines,
      exit: { atMs: at + 500, exitCode: 137, reason: 'OOMKilled' },
    };
  }
  const stepSeconds = t.stepMs / 1000;
  const losses: number[] = [];
  for (let step = 1; step <= t.totalSteps; step++) {
    const at = t.trainStartMs + step * t.stepMs;
    const progress = step / t.totalSteps;
    const noise = random() * 2 - 1;
    const loss = 0.85 + 1.3 * Math.exp(-3 * progress) + noise * 0.06;
    losses.push(loss);
    lines.push({ atMs: at, text: tqdmLine(step, t.totalSteps, stepSeconds) });
    if (step % LOGGING_STEPS === 0 || step === t.totalSteps) {
      const window = losses.slice(-LOGGING_STEPS);
      const avg = window.reduce((a, b) => a + b, 0) / window.length;
      const gradNorm =
        0.25 + 0.9 * Math.exp(-2 * progress) + (random() * 2 - 1) * 0.1;
      const lr = BASE_LR * (1 - progress);
      const epoch = Math.round(progress * epochs * 100) / 100;
      lines.push({
        atMs: at + 1,
        text: `{'loss': ${pyFloat(
          Math.round(avg * 10000) / 10000,
        )}, 'grad_norm': ${pyFloat(gradNorm)}, 'learning_rate': ${pyFloat(
          lr,
        )}, 'epoch': ${pyFloat(epoch)}}`,
      });
    }
  }
  const runtime = (t.trainEndMs - t.trainStartMs) / 1000;
  const trainLoss = losses.reduce((a, b) => a + b, 0) / losses.length;
  lines.push(
    {
      atMs: t.trainEndMs + 500,
      text: `{'train_runtime': ${pyFloat(
        Math.round(runtime * 10000) / 10000,
      )}, 'train_samples_per_second': ${pyFloat(
        Math.round(((t.examples * epochs) / runtime) * 1000) / 1000,
      )}, 'train_steps_per_second': ${pyFloat(
        Math.round((t.totalSteps / runtime) * 1000) / 1000,
      )}, 'train_loss': ${pyFloat(trainLoss)}, 'epoch': ${pyFloat(epochs)}}`,
    },
    {
      atMs: t.trainEndMs + 600,
      text: `100%|██████████| ${t.totalSteps}/${t.totalSteps} [${clock(
        runtime,
      )}<00:00, ${stepSeconds.toFixed(2).padStart(6, ' ')}s/it]`,
    },
    { atMs: t.trainEndMs + 3_000, text: 'Fine-Tuning completed' },
    {
      atMs: t.trainEndMs + 6_000,
      text: plan.outputImage
        ? `Adapter saved to /mnt/results; it will be pushed to ${plan.outputImage}`
        : 'Adapter saved to /mnt/results',
    },
  );
  return {
    pullMs: 90_000,
    imageBytes: 9_876_543_210,
    lines,
    exit: { atMs: t.exitMs, exitCode: 0, reason: 'Completed' },
  };
}

/** The `pusher` sidecar: waits for the trainer, then uploads the adapter with ORAS. */
export function pusherScript(
  plan: TuningRunPlan,
  trainer: ContainerScript,
): ContainerScript {
  const end = trainer.exit!.atMs;
  const lines: LogLine[] = [
    { atMs: 0, text: 'Waiting for the training process to finish...' },
  ];
  if (trainer.exit!.exitCode !== 0) {
    lines.push({
      atMs: end + 1_000,
      text: 'Training process exited with an error; no adapter found in /mnt/results, nothing to push',
    });
    return {
      pullMs: 5_000,
      imageBytes: 41_000_000,
      lines,
      exit: { atMs: end + 1_500, exitCode: 1, reason: 'Error' },
    };
  }
  const hex = (salt: string) =>
    createHash('sha256')
      .update(`${plan.seed}/${salt}`)
      .digest('hex')
      .slice(0, 12);
  lines.push(
    {
      atMs: end + 2_000,
      text: `Uploading ${hex('config')} adapter_config.json`,
    },
    {
      atMs: end + 2_100,
      text: `Uploading ${hex('model')} adapter_model.safetensors`,
    },
    {
      atMs: end + 8_000,
      text: `Uploaded  ${hex('config')} adapter_config.json`,
    },
    {
      atMs: end + 14_000,
      text: `Uploaded  ${hex('model')} adapter_model.safetensors`,
    },
    { atMs: end + 15_000, text: `Pushed [registry] ${plan.outputImage}` },
    {
      atMs: end + 15_001,
      text: 'ArtifactType: application/vnd.unknown.artifact.v1',
    },
    { atMs: end + 15_002, text: `Digest: ${plan.outputDigest}` },
  );
  return {
    pullMs: 5_000,
    imageBytes: 41_000_000,
    lines,
    exit: { atMs: end + 16_000, exitCode: 0, reason: 'Completed' },
  };
}

export function pauseScript(pusher: ContainerScript): ContainerScript {
  return {
    pullMs: 1_000,
    imageBytes: 320_000,
    lines: [],
    exit: { atMs: pusher.exit!.atMs + 500, exitCode: 0, reason: 'Completed' },
  };
}

export function dataDownloaderScript(urls: string[]): ContainerScript {
  const lines: LogLine[] = urls.flatMap((url, i) => [
    {
      atMs: 500 + i * 8_000,
      text: `Downloading ${url} to /mnt/data/${(
        url.split('/').pop() ?? 'data'
      ).replace(/[?#].*$/, '')}`,
    },
  ]);
  const end = 1_000 + urls.length * 8_000;
  lines.push({ atMs: end - 200, text: 'All downloads completed' });
  return {
    pullMs: 3_000,
    imageBytes: 9_500_000,
    lines,
    exit: { atMs: end, exitCode: 0, reason: 'Completed' },
  };
}

export function orasPullScript(
  image: string,
  target: string,
  sizeGiB: number,
  seed: string,
): ContainerScript {
  const ms = 5_000 + Math.round(sizeGiB * 8_000);
  const digest = createHash('sha256').update(`${seed}/${image}`).digest('hex');
  return {
    pullMs: 5_000,
    imageBytes: 41_000_000,
    lines: [
      {
        atMs: 500,
        text: `Downloading ${digest.slice(0, 12)} ${
          sizeGiB >= 1 ? `${sizeGiB.toFixed(2)} GB` : ''
        }`.trimEnd(),
      },
      { atMs: ms - 500, text: `Downloaded  ${digest.slice(0, 12)}` },
      { atMs: ms - 200, text: `Pulled [registry] ${image}` },
      { atMs: ms - 100, text: `Digest: sha256:${digest}` },
      { atMs: ms - 50, text: `Saved to ${target}` },
    ],
    exit: { atMs: ms, exitCode: 0, reason: 'Completed' },
  };
}
