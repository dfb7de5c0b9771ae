import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  EnsureGpuPoolRequest,
  EnsureGpuPoolResponse,
  GPU_POOL_TAINT,
  GpuSku,
  LABEL_GPU_POOL,
  Zod,
  gpuPoolSelectorLabels,
} from '@kaito-backstage/plugin-kaito-common';
import {
  KaitoGpuPool,
  KaitoRequestOptions,
} from '@kaito-backstage/plugin-kaito-node';
import {
  EnsureInput,
  asPoolNameMessage,
  ensureInputs,
  plan,
} from './ensureRequest';
import { examples } from './gpuPoolEnsure.examples';
import { InferFields, strictFields } from './inputs';
import { describePool } from './poolText';
import { KaitoActionOptions, toJson } from './types';
import { checkInputShape } from './validation';
import { waitForGpuPool } from './waitForGpuPool';
import { formatDuration, throwIfCancelled } from './waiting';
import { retryWhileAzureBusy } from './azureBusy';

/** @public */
export const GPU_POOL_ENSURE_ACTION_ID = 'kaito:gpu-pool:ensure';

const outputs = {
  cluster: (z: Zod) => z.string().describe('Cluster name'),
  poolName: (z: Zod) =>
    z
      .string()
      .describe(
        'Name of the AKS agent pool; empty when nodeProvisioning is kaito',
      ),
  vmSize: (z: Zod) => z.string().describe('ARM VM size of the pool'),
  instanceType: (z: Zod) =>
    z
      .string()
      .describe("The SKU in KAITO's spelling, for a workspace's instanceType"),
  nodeLabels: (z: Zod) =>
    z
      .record(z.string())
      .describe("The pool's node labels, for a workspace's labelSelector"),
  nodeTaints: (z: Zod) =>
    z.array(z.string()).describe("The pool's node taints"),
  spot: (z: Zod) => z.boolean().describe('Whether the pool runs on Spot VMs'),
  created: (z: Zod) =>
    z
      .boolean()
      .describe('True when this task created the pool, false when it existed'),
  provisioningState: (z: Zod) =>
    z
      .string()
      .describe(
        'ARM provisioning state: Succeeded, or NotCreated when no pool is used',
      ),
  nodeProvisioning: (z: Zod) =>
    z
      .enum(['pool', 'kaito'])
      .describe(
        "pool: workspaces run on this pool's nodes; kaito: no pool (not allowed to create one), KAITO provisions nodes",
      ),
};

type EnsureContext = ActionContext<EnsureInput, InferFields<typeof outputs>>;

/** Logs what the backend did about the pool. */
function logEnsured(
  ctx: EnsureContext,
  sku: GpuSku,
  result: EnsureGpuPoolResponse,
): void {
  const { cluster } = result.pool;
  const { pool, quota } = result;
  if (result.outcome === 'resubmitted') {
    const code = result.previousError?.code;
    ctx.logger.warn(
      `GPU pool ${describePool(
        pool,
      )} on cluster "${cluster}" is in state Failed` +
        `${code ? ` (Azure ${code})` : ''}; re-submitting its configuration`,
    );
    return;
  }
  if (result.outcome === 'existing') {
    ctx.logger.info(
      `Using the existing GPU pool ${describePool(
        pool,
      )} on cluster "${cluster}" ` +
        `(${pool.provisioningState ?? 'unknown state'})`,
    );
    return;
  }
  if (quota) {
    ctx.logger.info(
      `vCPU quota OK: ${quota.family} in ${quota.location} has ${quota.available} of ${quota.limit} vCPUs available; ` +
        `the pool needs up to ${quota.needed} (${quota.vmCount} x ${sku.vCPUs})`,
    );
  }
  ctx.logger.info(
    `Creating GPU pool ${describePool(pool)} on cluster "${cluster}" ` +
      `with taint ${GPU_POOL_TAINT} and labels ${JSON.stringify(
        pool.nodeLabels,
      )}`,
  );
}

/**
 * The backend's ensure (or its dry run); undefined when the user may not
 * create GPU pools and the step goes on without one (KAITO's node
 * auto-provisioning), unless the input says not to.
 */
async function callEnsure(
  ctx: EnsureContext,
  kaito: KaitoActionOptions['kaito'],
  request: EnsureGpuPoolRequest,
  opts: KaitoRequestOptions,
  sku: GpuSku,
): Promise<EnsureGpuPoolResponse | undefined> {
  const { cluster } = request;
  const poolName = request.name ?? 'for the SKU';
  try {
    return await retryWhileAzureBusy({
      call: () => kaito.ensureGpuPool(request, opts),
      onRetry: (error, waitMs, attempt) =>
        ctx.logger.warn(
          `Azure is busy for GPU pool "${poolName}" on cluster "${cluster}" (${
            error.message
          }); nothing was changed, retrying in ${formatDuration(
            waitMs,
          )} (attempt ${attempt + 1})`,
        ),
      maxWaitMs: (ctx.input.pollIntervalSeconds ?? 10) * 1000,
      timeoutMs: (ctx.input.timeoutMinutes ?? 30) * 60_000,
      signal: ctx.signal,
    });
  } catch (error) {
    if (error instanceof ConflictError) {
      throw new ConflictError(asPoolNameMessage(error.message));
    }
    if (!(error instanceof NotAllowedError)) throw error;
    if (ctx.input.fallbackToNodeAutoProvisioning === false) {
      throw new NotAllowedError(
        `You may not create GPU pools (${error.message}). Ask the platform team to provision a ` +
          `${sku.armVmSize} pool on cluster "${cluster}" (template provision-gpu-pool), then run this again`,
      );
    }
    ctx.logger.warn(
      `You may not create GPU pools (${error.message}); continuing without one: KAITO's node ` +
        `auto-provisioning will create the ${sku.name} node for each workspace. ` +
        'Ask the platform team (template provision-gpu-pool) for a shared pool.',
    );
    return undefined;
  }
}

/** The outputs of a step that goes on without a pool (KAITO provisions nodes). */
function emitWithoutPool(
  ctx: EnsureContext,
  cluster: string,
  sku: GpuSku,
  spot: boolean,
): void {
  ctx.output('cluster', cluster);
  ctx.output('poolName', '');
  ctx.output('vmSize', sku.armVmSize);
  ctx.output('instanceType', sku.name);
  ctx.output('nodeLabels', {});
  ctx.output('nodeTaints', []);
  ctx.output('spot', spot);
  ctx.output('created', false);
  ctx.output('provisioningState', 'NotCreated');
  ctx.output('nodeProvisioning', 'kaito');
}

/**
 * `kaito:gpu-pool:ensure`: finds or creates an AKS GPU agent pool for a SKU
 * through the KAITO backend (which picks a usable pool, checks the quota
 * and creates), then waits until ARM has provisioned it.
 *
 * @public
 */
export function createGpuPoolEnsureAction(options: KaitoActionOptions) {
  const { kaito } = options;
  return createTemplateAction({
    id: GPU_POOL_ENSURE_ACTION_ID,
    description:
      'Finds or creates an AKS GPU node pool for a GPU SKU on a cluster, through the KAITO backend as the ' +
      `initiating user. New pools are User pools with the ${GPU_POOL_TAINT} taint, a node label ` +
      `${LABEL_GPU_POOL}=<pool> for workspace label selectors, and autoscaling bounds (or Spot VMs). ` +
      'The vCPU quota is checked before anything is created. Waits for the ARM long-running operation.',
    examples,
    supportsDryRun: true,
    schema: { input: ensureInputs, output: outputs },
    async handler(ctx) {
      checkInputShape(
        GPU_POOL_ENSURE_ACTION_ID,
        strictFields(ensureInputs),
        ctx.input,
      );
      const { request, sku, poolName, autoscaling, spot } = plan(
        GPU_POOL_ENSURE_ACTION_ID,
        ctx.input,
      );
      const { cluster } = request;
      const emit = (pool?: KaitoGpuPool, created = false) => {
        const labels = pool
          ? gpuPoolSelectorLabels(pool)
          : { ...request.nodeLabels, [LABEL_GPU_POOL]: poolName };
        ctx.output('cluster', cluster);
        ctx.output('poolName', pool?.name ?? poolName);
        ctx.output('vmSize', pool?.vmSize ?? sku.armVmSize);
        ctx.output('instanceType', sku.name);
        // Plain JSON copies: values read over HTTP may come from another
        // realm, which the scaffolder's templating refuses.
        ctx.output('nodeLabels', toJson(labels));
        ctx.output('nodeTaints', toJson(pool?.nodeTaints ?? [GPU_POOL_TAINT]));
        ctx.output('spot', pool?.spot ?? spot);
        ctx.output('created', created);
        ctx.output('provisioningState', pool?.provisioningState ?? 'Succeeded');
        ctx.output('nodeProvisioning', 'pool');
      };

      if (ctx.isDryRun || ctx.input.dryRun === true) {
        // The backend's own dry run: the permission, tag, SKU and quota
        // checks of a real call, and what it would do; nothing is written.
        const result = await callEnsure(
          ctx,
          kaito,
          { ...request, dryRun: true },
          { credentials: await ctx.getInitiatorCredentials() },
          sku,
        );
        if (!result) {
          emitWithoutPool(ctx, cluster, sku, spot);
          return;
        }
        const { pool } = result;
        ctx.logger.info(
          `Dry run: would ${
            {
              created: 'create',
              existing: 'use the existing',
              resubmitted: 're-submit the Failed',
            }[result.outcome]
          } GPU pool ${describePool(pool)} on cluster "${cluster}" (${
            pool.count
          } node(s)${
            autoscaling
              ? `, autoscaling ${pool.minCount}..${pool.maxCount}`
              : ''
          }${
            spot ? ', Spot' : ''
          }, taint ${GPU_POOL_TAINT}, labels ${JSON.stringify(
            pool.nodeLabels,
          )})${
            result.quota
              ? `; vCPU quota OK: ${result.quota.available} of ${result.quota.limit} available, up to ${result.quota.needed} needed`
              : ''
          }. Nothing was created or changed.`,
        );
        // Nothing was created, in a task's dry run as in a checking step.
        emit(pool);
        return;
      }

      throwIfCancelled(
        ctx.signal,
        `preparing to ensure GPU pool "${poolName}" on cluster "${cluster}"; nothing was created`,
      );
      const credentials = await ctx.getInitiatorCredentials();
      // Calls that change something run to completion once sent; only
      // waiting is cut short by a cancelled task.
      const opts: KaitoRequestOptions = { credentials };

      // The only side effect: the backend finds, creates or re-submits the pool.
      const ensured = await ctx.checkpoint({
        key: 'ensure-gpu-pool',
        fn: async () => {
          const result = await callEnsure(ctx, kaito, request, opts, sku);
          if (!result) return { poolName: '', created: false };
          logEnsured(ctx, sku, result);
          return { poolName: result.pool.name, created: result.created };
        },
      });

      if (!ensured.poolName) {
        emitWithoutPool(ctx, cluster, sku, spot);
        return;
      }

      const pool = await waitForGpuPool(ctx, kaito, credentials, {
        cluster,
        poolName: ensured.poolName,
        timeoutMs: (ctx.input.timeoutMinutes ?? 30) * 60_000,
        maxPollMs: (ctx.input.pollIntervalSeconds ?? 10) * 1000,
        created: ensured.created,
      });
      if (Object.keys(gpuPoolSelectorLabels(pool)).length === 0) {
        ctx.logger.warn(
          `GPU pool "${pool.name}" has no node labels a workspace could select it by; ` +
            'KAITO will provision its own nodes for workspaces that use it',
        );
      }
      if (!pool.nodeTaints.includes(GPU_POOL_TAINT)) {
        ctx.logger.warn(
          `GPU pool "${pool.name}" lacks the ${GPU_POOL_TAINT} taint, so other pods may be scheduled on its GPU nodes`,
        );
      }
      emit(pool, ensured.created);
    },
  });
}
