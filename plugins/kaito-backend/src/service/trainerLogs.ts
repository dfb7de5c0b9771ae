import { TuningProgress } from '@kaito-backstage/plugin-kaito-common';

/*
 * Progress and loss of a KAITO fine-tuning run, read from the trainer's log
 * (KAITO's tuning image runs Hugging Face `Trainer` under `accelerate
 * launch`): tqdm progress bars (`12/200 [00:24<06:16, 2.00s/it]`) and the
 * trainer's log dicts (`{'loss': 1.23, 'learning_rate': 0.0002, 'epoch':
 * 0.5}`), in Python-literal or JSON form. KAITO has no progress field; the
 * log is the only source (kaito.md §2.4). The result is the REST API's
 * `TuningProgress` (kaito-common).
 */

/**
 * A tqdm bar without a description, as the Trainer draws it:
 * `  8%|▊         | 10/120 [00:20<03:40,  2.00s/it]`. Bars with a label
 * (`Loading checkpoint shards:`, `Map:`) are not the training loop.
 */
const PROGRESS = /(?:^|\r)\s*\d+%\|[^|\r]*\|\s*(\d+)\/(\d+)\s*\[/g;
const DICT = /\{[^{}]*'?"?(?:loss|eval_loss|train_loss)'?"?\s*:[^{}]*\}/;
const EPOCHS_OF = /\b[Ee]poch\s+(\d+)\s*\/\s*(\d+)\b/;
const NUM_EPOCHS = /num_train_epochs['"]?\s*[:=]\s*([\d.]+)/;
const MAX_STEPS = /max_steps['"]?\s*[:=]\s*(\d+)/;

function parseDict(text: string): Record<string, unknown> | undefined {
  const json = text
    .replace(/'/g, '"')
    .replace(/\bnan\b/gi, 'null')
    .replace(/\b-?inf\b/gi, 'null')
    .replace(/\bTrue\b/g, 'true')
    .replace(/\bFalse\b/g, 'false')
    .replace(/\bNone\b/g, 'null')
    // tensor(1.23) or np.float64(1.23) -> 1.23
    .replace(/[A-Za-z_.]+\(([-\d.eE+]+)[^)]*\)/g, '$1');
  try {
    const value = JSON.parse(json);
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

function num(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** Reads progress and the loss series from trainer log text. */
export function parseTrainerLog(log: string): TuningProgress {
  const progress: TuningProgress = { loss: [], evalLoss: [] };
  for (const rawLine of log.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line) continue;

    const dictMatch = DICT.exec(line);
    if (dictMatch) {
      const dict = parseDict(dictMatch[0]);
      if (dict) {
        const epoch = num(dict.epoch);
        const step = num(dict.step) ?? num(dict.global_step) ?? progress.step;
        if (epoch !== undefined) progress.epoch = epoch;
        const loss = num(dict.loss);
        if (loss !== undefined) {
          progress.loss.push({
            ...(step !== undefined ? { step } : {}),
            ...(epoch !== undefined ? { epoch } : {}),
            loss,
            ...(num(dict.learning_rate) !== undefined
              ? { learningRate: num(dict.learning_rate) }
              : {}),
          });
        }
        const evalLoss = num(dict.eval_loss);
        if (evalLoss !== undefined) {
          progress.evalLoss.push({
            ...(step !== undefined ? { step } : {}),
            ...(epoch !== undefined ? { epoch } : {}),
            loss: evalLoss,
          });
        }
        const trainLoss = num(dict.train_loss);
        if (trainLoss !== undefined) progress.trainLoss = trainLoss;
        continue;
      }
    }

    // tqdm redraws a bar many times on one physical line; take the last.
    const bars = [...rawLine.matchAll(PROGRESS)];
    const bar = bars[bars.length - 1];
    if (bar) {
      const done = Number(bar[1]);
      const total = Number(bar[2]);
      if (total > 0 && done <= total) {
        // The trainer's bar is the longest one (eval bars are shorter).
        if (progress.totalSteps === undefined || total >= progress.totalSteps) {
          progress.totalSteps = total;
          progress.step = done;
        }
      }
    }
    const epochs = EPOCHS_OF.exec(line);
    if (epochs) {
      progress.totalEpochs = Number(epochs[2]);
    }
    const numEpochs = NUM_EPOCHS.exec(line);
    if (numEpochs) {
      progress.totalEpochs = Number(numEpochs[1]);
    }
    const maxSteps = MAX_STEPS.exec(line);
    if (
      maxSteps &&
      Number(maxSteps[1]) > 0 &&
      progress.totalSteps === undefined
    ) {
      progress.totalSteps = Number(maxSteps[1]);
    }
  }
  if (progress.step !== undefined && progress.totalSteps) {
    progress.fraction =
      Math.round((progress.step / progress.totalSteps) * 1000) / 1000;
  }
  return progress;
}

/** `torch.OutOfMemoryError: CUDA out of memory. ...`: a Python exception line. */
const EXCEPTION = /^([A-Za-z_][\w.]*(?:Error|Exception|Interrupt)): (.+)$/;

/**
 * The exception a Python trainer died of: the last `SomeError: message`
 * line of its log (the end of the traceback), cut to `maxLength`.
 */
export function trainerException(
  log: string,
  maxLength = 300,
): string | undefined {
  const lines = log.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (EXCEPTION.test(line)) {
      return line.length > maxLength
        ? `${line.slice(0, maxLength - 1)}…`
        : line;
    }
  }
  return undefined;
}
