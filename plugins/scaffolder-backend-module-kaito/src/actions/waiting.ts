import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';

/*
 * How the kaito:* actions wait: cancellable sleeps, poll intervals that
 * start quick and back off, progress lines at least every 15 s, and which
 * failures are worth another poll.
 */

/** Longest gap between two progress lines of a waiting action. */
export const PROGRESS_LOG_INTERVAL_MS = 15_000;

/** First poll interval; it grows towards the action's poll interval. */
const FIRST_POLL_MS = 250;

/** Human duration: `3m 05s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** The error thrown when the task is cancelled while an action waits. */
export class CancelledError extends Error {
  readonly name = 'CancelledError';
}

/** Throws a CancelledError explaining what stays behind when `signal` fired. */
export function throwIfCancelled(
  signal: AbortSignal | undefined,
  what: string,
): void {
  if (signal?.aborted) {
    throw new CancelledError(`Cancelled while ${what}`);
  }
}

/** Sleeps `ms`, or less when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Poll intervals growing from 250 ms to `maxMs` (x1.5 each time). */
export function* pollIntervals(maxMs: number): Generator<number, never> {
  let next = Math.min(FIRST_POLL_MS, maxMs);
  for (;;) {
    yield next;
    next = Math.min(maxMs, Math.round(next * 1.5));
  }
}

/** Whether a failed call is worth retrying while waiting (backend or cluster briefly away). */
export function isTransient(error: unknown): boolean {
  if (error instanceof ServiceUnavailableError) return true;
  const e = error as {
    name?: string;
    code?: string;
    cause?: { code?: string };
  };
  if (e?.name === 'AbortError') return false;
  const code = e?.code ?? e?.cause?.code;
  return (
    e?.name === 'TypeError' ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'UND_ERR_SOCKET'
  );
}

/**
 * Logs a line when the status changes, and at least every
 * {@link PROGRESS_LOG_INTERVAL_MS} otherwise.
 */
export class ProgressLog {
  private lastKey?: string;
  private lastAt = 0;

  constructor(
    private readonly logger: LoggerService,
    private readonly intervalMs = PROGRESS_LOG_INTERVAL_MS,
  ) {}

  update(key: string, line: () => string): void {
    const now = Date.now();
    if (key !== this.lastKey || now - this.lastAt >= this.intervalMs) {
      this.logger.info(line());
      this.lastKey = key;
      this.lastAt = now;
    }
  }
}

/** What one look at the awaited thing concluded. */
export type PollStep<R> = { done: true; result: R } | { done: false };

/**
 * Polls until `check` says the awaited thing is done (its result) or
 * throws: reads every interval from 250 ms up to `maxPollMs`, retries reads
 * that fail transiently (logging them), and ends with `timedOut` after
 * `timeoutMs` or `cancelled` when `signal` fires.
 */
export async function pollUntil<T, R>(options: {
  /** What is read, for the log line of a failed read. */
  what: string;
  logger: LoggerService;
  signal?: AbortSignal;
  maxPollMs: number;
  timeoutMs: number;
  read: () => Promise<T>;
  check: (value: T, waitedMs: number) => PollStep<R>;
  timedOut: (waitedMs: number) => Error;
  cancelled: () => Error;
}): Promise<R> {
  const started = Date.now();
  const intervals = pollIntervals(options.maxPollMs);
  for (;;) {
    if (options.signal?.aborted) {
      throw options.cancelled();
    }
    let value: T | undefined;
    let read = false;
    try {
      value = await options.read();
      read = true;
    } catch (error) {
      if (options.signal?.aborted) continue;
      if (!isTransient(error)) throw error;
      options.logger.warn(
        `Could not read ${options.what} (will retry): ${error}`,
      );
    }
    if (read) {
      const step = options.check(value as T, Date.now() - started);
      if (step.done) return step.result;
    }
    if (Date.now() - started > options.timeoutMs) {
      throw options.timedOut(Date.now() - started);
    }
    await sleep(intervals.next().value, options.signal);
  }
}
