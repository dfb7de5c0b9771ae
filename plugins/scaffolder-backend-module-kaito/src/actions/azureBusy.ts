import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import { pollIntervals, sleep } from './waiting';

/*
 * Azure answers pool writes it cannot take right now in two ways: 429
 * throttling (the backend's 503 once the SDK's own Retry-After retries are
 * used up) and AKS's 409 OperationNotAllowed while another operation on the
 * managed cluster runs ("wait for it to finish before starting a new
 * operation"). Both mean: nothing was done, try again later.
 */

/** Whether Azure refused a call for now (throttled, or busy with another operation). */
export function isAzureBusy(error: unknown): boolean {
  if (error instanceof ServiceUnavailableError) return true;
  // The backend names Azure's code: `Azure OperationNotAllowed: …`.
  return (
    error instanceof ConflictError &&
    /\bAzure OperationNotAllowed\b/.test(error.message)
  );
}

/**
 * Runs `call` (idempotent) until it succeeds, retrying while Azure is busy
 * with waits from 1 s growing to `maxWaitMs`, for at most `timeoutMs`;
 * other errors, the last busy one after the timeout, or a fired `signal`
 * end it.
 */
export async function retryWhileAzureBusy<T>(options: {
  call: () => Promise<T>;
  onRetry: (error: Error, waitMs: number, attempt: number) => void;
  maxWaitMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<T> {
  const started = Date.now();
  const waits = pollIntervals(options.maxWaitMs);
  // pollIntervals starts at 250 ms; Azure's Retry-After is seconds.
  let wait = Math.max(1000, waits.next().value);
  for (let attempt = 1; ; attempt++) {
    try {
      return await options.call();
    } catch (error) {
      if (
        !isAzureBusy(error) ||
        options.signal?.aborted ||
        Date.now() - started + wait > options.timeoutMs
      ) {
        throw error;
      }
      options.onRetry(error as Error, wait, attempt);
      await sleep(wait, options.signal);
      if (options.signal?.aborted) throw error;
      wait = Math.max(wait, waits.next().value);
    }
  }
}
