import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { KaitoGpuPool, KaitoService } from '@kaito-backstage/plugin-kaito-node';
import { azureFailure, describePool } from './poolText';
import {
  CancelledError,
  ProgressLog,
  formatDuration,
  pollUntil,
} from './waiting';

/** ARM provisioning states of an operation still running. */
const IN_PROGRESS = new Set([
  'Creating',
  'Updating',
  'Scaling',
  'Upgrading',
  'Starting',
  'Stopping',
  'Canceling',
]);

/**
 * Waits until ARM has provisioned a GPU pool (`Succeeded`), logging its
 * state; fails with Azure's code and message when it fails.
 */
export async function waitForGpuPool(
  ctx: { logger: LoggerService; signal?: AbortSignal },
  kaito: KaitoService,
  credentials: BackstageCredentials,
  options: {
    cluster: string;
    poolName: string;
    timeoutMs: number;
    maxPollMs: number;
    created: boolean;
  },
): Promise<KaitoGpuPool> {
  const { cluster, poolName } = options;
  const progress = new ProgressLog(ctx.logger);
  let last: KaitoGpuPool | undefined;
  const leftBehind = () =>
    `GPU pool "${poolName}" on cluster "${cluster}" stays as it is${
      last?.provisioningState ? ` (${last.provisioningState})` : ''
    } and ARM keeps provisioning it; delete it from the GPU pools page if it is not needed`;
  return pollUntil<KaitoGpuPool | undefined, KaitoGpuPool>({
    what: `GPU pool "${poolName}"`,
    logger: ctx.logger,
    signal: ctx.signal,
    maxPollMs: options.maxPollMs,
    timeoutMs: options.timeoutMs,
    read: () =>
      kaito.getGpuPool(cluster, poolName, { credentials, signal: ctx.signal }),
    check: (pool, waitedMs) => {
      if (!pool) {
        if (last) {
          throw new Error(
            `GPU pool "${poolName}" disappeared from cluster "${cluster}" while it was ${last.provisioningState}`,
          );
        }
        return { done: false };
      }
      last = pool;
      const state = pool.provisioningState ?? 'Unknown';
      if (state === 'Succeeded') {
        ctx.logger.info(
          `GPU pool ${describePool(pool)} on cluster "${cluster}" is ready${
            options.created ? ` after ${formatDuration(waitedMs)}` : ''
          }`,
        );
        return { done: true, result: pool };
      }
      if (state === 'Failed' || state === 'Canceled' || state === 'Deleting') {
        throw azureFailure(pool, cluster);
      }
      if (!IN_PROGRESS.has(state)) {
        ctx.logger.warn(
          `GPU pool "${poolName}" is in an unexpected state: ${state}`,
        );
      }
      progress.update(
        state,
        () =>
          `GPU pool ${describePool(
            pool,
          )} on cluster "${cluster}": ${state} (waiting ${formatDuration(
            waitedMs,
          )})`,
      );
      return { done: false };
    },
    timedOut: () =>
      new Error(
        `Timed out after ${formatDuration(
          options.timeoutMs,
        )} waiting for GPU pool "${poolName}" on cluster "${cluster}"` +
          ` to be provisioned; it is ${
            last?.provisioningState ?? 'not visible yet'
          }. The pool stays; retry the step to keep waiting`,
      ),
    cancelled: () => {
      ctx.logger.warn(`Cancelled: ${leftBehind()}`);
      return new CancelledError(
        `Cancelled while waiting for GPU pool "${poolName}" on cluster "${cluster}"; ${leftBehind()}`,
      );
    },
  });
}
