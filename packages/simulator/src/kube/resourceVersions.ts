/**
 * Resource versions as the storage layer parses and compares them
 * (`APIObjectVersioner.ParseResourceVersion`, the watch cache's freshness
 * wait), with the errors clients see.
 */
import { StatusError } from './errors';
import { goQuote } from './fieldErrors';
import { goParseUint64 } from './goValues';

/**
 * `""` and `"0"` mean "any"; anything else must be an unsigned integer. A bad
 * one is not mapped to a Status upstream, so clients get a 500 without a reason.
 */
export function parseResourceVersion(value: string): number {
  if (value === '' || value === '0') {
    return 0;
  }
  const parsed = goParseUint64(value);
  if (typeof parsed === 'string') {
    throw new StatusError(
      500,
      '',
      `resourceVersion: Invalid value: ${goQuote(value)}: ${parsed}`,
    );
  }
  return parsed;
}

/** `storage.NewTooLargeResourceVersionError`: a 504 the client may retry after a second. */
export const tooLargeResourceVersion = (requested: number, current: number) =>
  new StatusError(
    504,
    'Timeout',
    `Timeout: Too large resource version: ${requested}, current: ${current}`,
    {
      causes: [
        {
          reason: 'ResourceVersionTooLarge',
          message: 'Too large resource version',
        },
      ],
      retryAfterSeconds: 1,
    },
  );

/** How long the watch cache waits for a requested resourceVersion before giving up (blockTimeout). */
export const FRESHNESS_WAIT_MS = 3000;

/**
 * Waits, as the watch cache does, until the store has reached `wanted`;
 * a 504 after {@link FRESHNESS_WAIT_MS} when it has not.
 */
export async function waitUntilFresh(
  current: () => number,
  wanted: number,
  timeoutMs = FRESHNESS_WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (current() < wanted) {
    if (Date.now() >= deadline) {
      throw tooLargeResourceVersion(wanted, current());
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

/** `etcd3` list errors once the requested revision is compacted. */
export const listExpired = () =>
  new StatusError(
    410,
    'Expired',
    'The resourceVersion for the provided list is too old.',
  );

export const continueExpired = () =>
  new StatusError(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );
