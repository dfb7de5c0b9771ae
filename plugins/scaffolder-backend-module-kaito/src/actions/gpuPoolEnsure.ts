import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CreateGpuPoolRequest,
  GpuSku,
  findGpuSkuByVmSize,
  isReservedLabelKey,
  validateCreateGpuPoolRequest,
} from '@kaito-backstage/plugin-kaito-common';
import {
  KaitoGpuPool,
  KaitoRequestOptions,
  KaitoService,
} from '@kaito-backstage/plugin-kaito-node';
import { KaitoActionOptions } from './types';
import {
  CancelledError,
  Issues,
  LABEL_GPU_POOL,
  ProgressLog,
  checkEntityRef,
  checkPositive,
  compact,
  defaultPoolName,
  formatDuration,
  isTransient,
  normalizeEntityRef,
  pollIntervals,
  sleep,
  throwIfCancelled,
  toJson,
} from './util';

/** @public */
export const GPU_POOL_ENSURE_ACTION_ID = 'kaito:gpu-pool:ensure';

const GPU_TAINT = 'sku=gpu:NoSchedule';
/** Node labels AKS manages itself; not part of a workspace's labelSelector. */
const AKS_LABEL_PREFIXES = ['kubernetes.azure.com/', 'agentpool'];
const IN_PROGRESS = new Set([
  'Creating',
  'Updating',
  'Scaling',
  'Upgrading',
  'Starting',
  'Stopping',
  'Canceling',
]);

const examples = [
  {
    description:
      'Find or create the A100 pool for a fine-tuning run (defaults: the pool is named after the SKU, ' +
      'autoscales between 0 and 1 node and starts with 1)',
    example: `steps:
  - id: ensure-pool
    name: GPU pool
    action: kaito:gpu-pool:ensure
    input:
      cluster: aks-kaito-dev
      vmSize: Standard_NC24ads_A100_v4
      entityRef: component:default/support-chatbot
  - id: create-tuning
    name: Tuning workspace
    action: kaito:workspace:create
    input:
      entityRef: component:default/support-chatbot
      cluster: \${{ steps['ensure-pool'].output.cluster }}
      namespace: ml-team
      instanceType: \${{ steps['ensure-pool'].output.instanceType }}
      labelSelector: \${{ steps['ensure-pool'].output.nodeLabels }}
      tuning:
        preset: phi-3-mini-4k-instruct
        method: qlora
        input:
          urls: [https://example.com/dataset.jsonl]
        output:
          image: kaitodemo.azurecr.io/adapters/support-chatbot:v1
          imagePushSecret: acr-push-secret`,
  },
  {
    description:
      'A named Spot pool of two to four H100 nodes with an extra node label',
    example: `steps:
  - id: ensure-pool
    name: GPU pool
    action: kaito:gpu-pool:ensure
    input:
      cluster: aks-kaito-dev
      vmSize: Standard_NC40ads_H100_v5
      poolName: h100spot
      minCount: 2
      maxCount: 4
      spot: true
      spotMaxPrice: -1
      nodeLabels:
        team: ml-team`,
  },
];

interface EnsureInput {
  fallbackToNodeAutoProvisioning?: boolean;
  cluster: string;
  vmSize: string;
  poolName?: string;
  count?: number;
  minCount?: number;
  maxCount?: number;
  autoscaling?: boolean;
  spot?: boolean;
  spotMaxPrice?: number;
  nodeLabels?: Record<string, string>;
  entityRef?: string;
  workspace?: { namespace: string; name: string };
  timeoutMinutes?: number;
  pollIntervalSeconds?: number;
}

/** The request the action sends, before validation. */
function buildRequest(input: EnsureInput, sku: GpuSku | undefined) {
  const spot = Boolean(input.spot);
  const autoscaling = input.autoscaling ?? true;
  const poolName =
    input.poolName || (sku ? defaultPoolName(sku.name, spot) : undefined) || '';
  let count = input.count;
  let minCount: number | undefined;
  let maxCount: number | undefined;
  if (autoscaling) {
    minCount = input.minCount ?? 0;
    maxCount = input.maxCount ?? Math.max(1, minCount, count ?? 0);
    count ??= Math.min(maxCount, Math.max(minCount, 1));
  } else {
    count ??= 1;
  }
  const request: CreateGpuPoolRequest = compact({
    cluster: input.cluster,
    name: poolName,
    vmSize: sku?.armVmSize ?? input.vmSize,
    count,
    minCount,
    maxCount,
    spot: spot || undefined,
    spotMaxPrice: input.spotMaxPrice,
    nodeLabels: { ...(input.nodeLabels ?? {}), [LABEL_GPU_POOL]: poolName },
    entityRef: input.entityRef
      ? normalizeEntityRef(input.entityRef)
      : undefined,
    workspace: input.workspace,
  }) as CreateGpuPoolRequest;
  return { request, autoscaling, spot };
}

function validate(input: EnsureInput): {
  request: CreateGpuPoolRequest;
  sku: GpuSku;
  autoscaling: boolean;
  spot: boolean;
} {
  const issues = new Issues();
  const sku = input.vmSize ? findGpuSkuByVmSize(input.vmSize) : undefined;
  const built = buildRequest(input, sku);
  for (const issue of validateCreateGpuPoolRequest(built.request)) {
    // The request calls the pool `name`; the action calls it `poolName`.
    if (issue.field === 'name') {
      issues.list.push({
        ...issue,
        field: 'poolName',
        message: issue.message.replace(/^name:/, 'poolName:'),
      });
    } else {
      issues.list.push(issue);
    }
  }
  if (
    input.autoscaling === false &&
    (input.minCount !== undefined || input.maxCount !== undefined)
  ) {
    issues.add(
      'autoscaling',
      'gpupool.autoscale.disabled',
      'is false, so minCount and maxCount cannot be used',
    );
  }
  checkEntityRef(issues, 'entityRef', input.entityRef, false);
  checkPositive(issues, 'timeoutMinutes', input.timeoutMinutes, 24 * 60);
  checkPositive(issues, 'pollIntervalSeconds', input.pollIntervalSeconds, 15);
  issues.throwIfAny(GPU_POOL_ENSURE_ACTION_ID);
  return { ...built, sku: sku! };
}

function sameSku(pool: KaitoGpuPool, sku: GpuSku): boolean {
  const wanted = [sku.name, sku.armVmSize].map(s => s.toLowerCase());
  return [pool.vmSize, pool.sku].some(
    v => v !== undefined && wanted.includes(v.toLowerCase()),
  );
}

/** The node labels a workspace can select the pool's nodes by. */
function selectableLabels(pool: KaitoGpuPool): Record<string, string> {
  return Object.fromEntries(
    Object.entries(pool.nodeLabels ?? {}).filter(
      ([key]) =>
        !isReservedLabelKey(key) &&
        !AKS_LABEL_PREFIXES.some(prefix => key.startsWith(prefix)),
    ),
  );
}

/**
 * A pool of the SKU already on the cluster that a workspace can use: the
 * default-named one first, then pools the suite manages, then by name.
 * Only pools with room for another workspace qualify (idle, or the
 * autoscaler may still add a node). Pools KAITO's node provisioner made for
 * one workspace (labelled with `kaito.sh/*`) are not shared.
 */
function pickExisting(
  pools: KaitoGpuPool[],
  sku: GpuSku,
  spot: boolean,
  defaultName: string,
): KaitoGpuPool | undefined {
  const byDefaultName = pools.find(p => p.name === defaultName);
  if (byDefaultName) return byDefaultName;
  const candidates = pools
    .filter(
      p =>
        sameSku(p, sku) &&
        p.spot === spot &&
        p.provisioningState !== 'Failed' &&
        p.provisioningState !== 'Deleting' &&
        p.mode !== 'System' &&
        !Object.keys(p.nodeLabels ?? {}).some(isReservedLabelKey) &&
        Object.keys(selectableLabels(p)).length > 0 &&
        // Room for another workspace: idle, or the autoscaler may add a node.
        (p.idle ||
          p.usedBy.length === 0 ||
          (p.autoscaling && p.maxCount !== undefined && p.count < p.maxCount)),
    )
    .sort(
      (a, b) =>
        Number(b.managed) - Number(a.managed) || a.name.localeCompare(b.name),
    );
  return candidates[0];
}

function checkCompatible(
  pool: KaitoGpuPool,
  cluster: string,
  sku: GpuSku,
  spot: boolean,
): void {
  if (!sameSku(pool, sku)) {
    throw new ConflictError(
      `poolName: GPU pool "${
        pool.name
      }" on cluster "${cluster}" exists with VM size ${
        pool.vmSize ?? 'unknown'
      }, not ${
        sku.armVmSize
      }; name another pool or omit poolName [gpupool.vm-size.mismatch]`,
    );
  }
  if (pool.spot !== spot) {
    throw new ConflictError(
      `poolName: GPU pool "${pool.name}" on cluster "${cluster}" is ${
        pool.spot ? 'a Spot' : 'a regular (non-Spot)'
      } pool, but spot is ${spot}; name another pool or omit poolName [gpupool.spot.mismatch]`,
    );
  }
}

/**
 * Checks the vCPU quota of the SKU's family (and the regional total)
 * through the backend's SKU catalog before anything is created.
 */
async function checkQuota(
  kaito: KaitoService,
  opts: KaitoRequestOptions,
  request: CreateGpuPoolRequest,
  sku: GpuSku,
  autoscaling: boolean,
  log: { info(m: string): void; warn(m: string): void },
): Promise<void> {
  if (request.spot) {
    log.info(
      'Spot pools draw on the regional low-priority vCPU quota, which the KAITO backend checks when it creates the pool',
    );
    return;
  }
  const catalog = await kaito.listSkus({ cluster: request.cluster }, opts);
  const view = catalog.items.find(
    i => i.armVmSize.toLowerCase() === sku.armVmSize.toLowerCase(),
  );
  if (!view?.quota) {
    log.warn(
      `The vCPU quota of ${sku.armVmSize} could not be checked in advance (${
        catalog.quotaError ?? 'no usage reported'
      }); the KAITO backend checks it again when it creates the pool`,
    );
    return;
  }
  const vms = autoscaling
    ? Math.max(request.maxCount ?? 0, request.count ?? 0)
    : request.count ?? 1;
  const needed = vms * sku.vCPUs;
  const { quota } = view;
  const where = catalog.location ? ` in ${catalog.location}` : '';
  const regionalShort =
    quota.regionalAvailable !== undefined && quota.regionalAvailable < needed;
  if (quota.available >= needed && !regionalShort) {
    log.info(
      `vCPU quota OK: ${quota.family}${where} has ${quota.available} of ${quota.limit} vCPUs available; ` +
        `the pool needs up to ${needed} (${vms} x ${sku.vCPUs})`,
    );
    return;
  }
  const alternatives = catalog.items
    .filter(
      i =>
        i.armVmSize.toLowerCase() !== sku.armVmSize.toLowerCase() &&
        i.gpu.vendor === 'nvidia' &&
        i.gpu.memoryGiB >= sku.gpuMemoryGiB &&
        i.quota &&
        i.quota.available >= i.vCPUs * vms &&
        (i.quota.regionalAvailable === undefined ||
          i.quota.regionalAvailable >= i.vCPUs * vms),
    )
    .slice(0, 3)
    .map(i => i.name);
  const detail = regionalShort
    ? `the total regional vCPU quota${where} has ${quota.regionalAvailable} vCPUs available`
    : `Azure reports quota family ${quota.family}${where} at limit ${
        quota.limit
      } with ${quota.used} in use, so ${Math.max(
        0,
        quota.available,
      )} vCPUs are available`;
  throw new ConflictError(
    `Insufficient vCPU quota for GPU pool "${request.name}" on cluster "${request.cluster}": ` +
      `up to ${vms} x ${sku.armVmSize} needs ${needed} vCPUs, but ${detail}. ` +
      `Request a quota increase for ${
        regionalShort ? 'Total Regional vCPUs' : quota.family
      }${where} ` +
      `(Azure portal > Quotas > Compute), lower maxCount, or choose another SKU${
        alternatives.length ? ` with quota (${alternatives.join(', ')})` : ''
      }. Nothing was created.`,
  );
}

function describePool(pool: KaitoGpuPool): string {
  const scale = pool.autoscaling
    ? `${pool.count} node(s), autoscaling ${pool.minCount ?? '?'}..${
        pool.maxCount ?? '?'
      }`
    : `${pool.count} node(s)`;
  return `${pool.name} (${pool.vmSize ?? pool.sku}, ${scale}${
    pool.spot ? ', Spot' : ''
  })`;
}

function azureFailure(pool: KaitoGpuPool, cluster: string): Error {
  const error = pool.provisioningError;
  const azure = error?.code
    ? `Azure ${error.code}: ${error.message ?? ''}`
    : `Azure reported provisioning state ${pool.provisioningState}${
        error?.message ? `: ${error.message}` : ''
      }`;
  return new Error(
    `GPU pool "${pool.name}" on cluster "${cluster}" failed to provision. ${azure}`.trim(),
  );
}

/**
 * `kaito:gpu-pool:ensure`: finds or creates an AKS GPU agent pool for a SKU
 * and waits until ARM has provisioned it.
 *
 * @public
 */
export function createGpuPoolEnsureAction(options: KaitoActionOptions) {
  const { kaito } = options;
  return createTemplateAction({
    id: GPU_POOL_ENSURE_ACTION_ID,
    description:
      'Finds or creates an AKS GPU node pool for a GPU SKU on a cluster, through the KAITO backend as the ' +
      'initiating user. New pools are User pools with the sku=gpu:NoSchedule taint, a node label ' +
      `${LABEL_GPU_POOL}=<pool> for workspace label selectors, and autoscaling bounds (or Spot VMs). ` +
      'The vCPU quota is checked before anything is created. Waits for the ARM long-running operation.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z =>
          z
            .string()
            .describe(
              'Cluster name from kubernetes.clusterLocatorMethods, e.g. aks-kaito-dev',
            ),
        vmSize: z =>
          z
            .string()
            .describe(
              'GPU SKU, in KAITO or ARM spelling, e.g. Standard_NC24ads_A100_v4 (the recommended SKU for phi-3-mini QLoRA)',
            ),
        poolName: z =>
          z
            .string()
            .optional()
            .describe(
              'AKS pool name (a lowercase letter, then up to 11 lowercase letters or digits). Default: an existing usable ' +
                'pool of the SKU, else a name derived from the SKU (e.g. nc24adsa100), so a retried task finds its pool',
            ),
        count: z =>
          z
            .number()
            .int()
            .optional()
            .describe(
              'Initial node count; default 1 (within minCount..maxCount)',
            ),
        autoscaling: z =>
          z
            .boolean()
            .optional()
            .describe('Enable the cluster autoscaler; default true'),
        minCount: z =>
          z
            .number()
            .int()
            .optional()
            .describe(
              'Autoscaler minimum; default 0 (scale to zero when idle)',
            ),
        maxCount: z =>
          z.number().int().optional().describe('Autoscaler maximum; default 1'),
        spot: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Use Spot VMs (cheaper, evictable, low-priority quota); default false',
            ),
        spotMaxPrice: z =>
          z
            .number()
            .optional()
            .describe(
              'Spot price cap in USD/hour, or -1 (default) for up to the on-demand price',
            ),
        nodeLabels: z =>
          z
            .record(z.string())
            .optional()
            .describe(
              `Extra node labels; ${LABEL_GPU_POOL}=<pool> is always added`,
            ),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'Catalog entity the pool is for, e.g. component:default/support-chatbot (Azure tag)',
            ),
        workspace: z =>
          z
            .object({
              namespace: z.string().describe('Namespace of the workspace'),
              name: z.string().describe('Name of the workspace'),
            })
            .optional()
            .describe('The workspace the pool is for (Azure tag)'),
        fallbackToNodeAutoProvisioning: z =>
          z
            .boolean()
            .optional()
            .describe(
              'When the user may not create GPU pools, continue without one (KAITO then provisions each ' +
                "workspace's node itself; clusters with node auto-provisioning only) instead of failing; default true",
            ),
        timeoutMinutes: z =>
          z
            .number()
            .optional()
            .describe(
              'How long to wait for ARM to provision the pool; default 30',
            ),
        pollIntervalSeconds: z =>
          z
            .number()
            .optional()
            .describe(
              'Longest interval between status checks (at most 15); default 10',
            ),
      },
      output: {
        cluster: z => z.string().describe('Cluster name'),
        poolName: z =>
          z
            .string()
            .describe(
              'Name of the AKS agent pool; empty when nodeProvisioning is kaito',
            ),
        vmSize: z => z.string().describe('ARM VM size of the pool'),
        instanceType: z =>
          z
            .string()
            .describe(
              "The SKU in KAITO's spelling, for a workspace's instanceType",
            ),
        nodeLabels: z =>
          z
            .record(z.string())
            .describe(
              "The pool's node labels, for a workspace's labelSelector",
            ),
        nodeTaints: z => z.array(z.string()).describe("The pool's node taints"),
        spot: z => z.boolean().describe('Whether the pool runs on Spot VMs'),
        created: z =>
          z
            .boolean()
            .describe(
              'True when this task created the pool, false when it existed',
            ),
        provisioningState: z =>
          z
            .string()
            .describe(
              'ARM provisioning state: Succeeded, or NotCreated when no pool is used',
            ),
        nodeProvisioning: z =>
          z
            .enum(['pool', 'kaito'])
            .describe(
              "pool: workspaces run on this pool's nodes; kaito: no pool (not allowed to create one), KAITO provisions nodes",
            ),
      },
    },
    async handler(ctx) {
      const { request, sku, autoscaling, spot } = validate(
        ctx.input as EnsureInput,
      );
      const cluster = request.cluster;
      const outputLabels = request.nodeLabels ?? {};

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would find or create GPU pool "${request.name}" on cluster "${cluster}" ` +
            `(${sku.armVmSize}, ${request.count} node(s)${
              autoscaling
                ? `, autoscaling ${request.minCount}..${request.maxCount}`
                : ''
            }${
              spot ? ', Spot' : ''
            }, taint ${GPU_TAINT}, labels ${JSON.stringify(outputLabels)}), ` +
            'after checking the vCPU quota. No call was made.',
        );
        ctx.output('cluster', cluster);
        ctx.output('poolName', request.name);
        ctx.output('vmSize', sku.armVmSize);
        ctx.output('instanceType', sku.name);
        ctx.output('nodeLabels', outputLabels);
        ctx.output('nodeTaints', [GPU_TAINT]);
        ctx.output('spot', spot);
        ctx.output('created', false);
        ctx.output('provisioningState', 'Succeeded');
        ctx.output('nodeProvisioning', 'pool');
        return;
      }

      throwIfCancelled(
        ctx.signal,
        `preparing to ensure GPU pool "${request.name}" on cluster "${cluster}"; nothing was created`,
      );
      const credentials = await ctx.getInitiatorCredentials();
      // Calls that change something run to completion once sent; only
      // waiting is cut short by a cancelled task.
      const opts: KaitoRequestOptions = { credentials };
      const readOpts: KaitoRequestOptions = { credentials, signal: ctx.signal };

      // The only side effect: find or create (or re-submit a failed) pool.
      const ensured = await ctx.checkpoint({
        key: 'ensure-gpu-pool',
        fn: async () => {
          let existing: KaitoGpuPool | undefined;
          if (ctx.input.poolName) {
            existing = await kaito.getGpuPool(cluster, request.name, opts);
          } else {
            const { items } = await kaito.listGpuPools(cluster, opts);
            existing = pickExisting(items, sku, spot, request.name);
          }
          if (existing) {
            checkCompatible(existing, cluster, sku, spot);
            if (existing.provisioningState === 'Failed') {
              ctx.logger.warn(
                `GPU pool ${describePool(
                  existing,
                )} on cluster "${cluster}" is in state Failed` +
                  `${
                    existing.provisioningError?.code
                      ? ` (Azure ${existing.provisioningError.code})`
                      : ''
                  }; re-submitting its configuration`,
              );
              await kaito.updateGpuPool(
                cluster,
                existing.name,
                existing.autoscaling &&
                  existing.minCount !== undefined &&
                  existing.maxCount !== undefined
                  ? {
                      minCount: existing.minCount,
                      maxCount: existing.maxCount,
                      count: existing.count,
                    }
                  : { count: Math.max(existing.count, 1) },
                opts,
              );
              return {
                poolName: existing.name,
                created: false,
                resubmitted: true,
              };
            }
            ctx.logger.info(
              `Using the existing GPU pool ${describePool(
                existing,
              )} on cluster "${cluster}" ` +
                `(${existing.provisioningState ?? 'unknown state'})`,
            );
            return {
              poolName: existing.name,
              created: false,
              resubmitted: false,
            };
          }
          await checkQuota(kaito, opts, request, sku, autoscaling, ctx.logger);
          let result: { pool: KaitoGpuPool; created: boolean };
          try {
            result = await kaito.ensureGpuPool(request, opts);
          } catch (error) {
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
            return { poolName: '', created: false, resubmitted: false };
          }
          ctx.logger.info(
            result.created
              ? `Creating GPU pool ${describePool(
                  result.pool,
                )} on cluster "${cluster}" ` +
                  `with taint ${GPU_TAINT} and labels ${JSON.stringify(
                    result.pool.nodeLabels,
                  )}`
              : `GPU pool ${describePool(
                  result.pool,
                )} already existed on cluster "${cluster}"`,
          );
          return {
            poolName: result.pool.name,
            created: result.created,
            resubmitted: false,
          };
        },
      });

      if (!ensured.poolName) {
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
        return;
      }

      const pool = await waitForPool(
        ctx,
        kaito,
        readOpts,
        cluster,
        ensured.poolName,
        {
          timeoutMs: (ctx.input.timeoutMinutes ?? 30) * 60_000,
          maxPollMs: (ctx.input.pollIntervalSeconds ?? 10) * 1000,
          created: ensured.created,
        },
      );

      const labels = selectableLabels(pool);
      if (Object.keys(labels).length === 0) {
        ctx.logger.warn(
          `GPU pool "${pool.name}" has no node labels a workspace could select it by; ` +
            'KAITO will provision its own nodes for workspaces that use it',
        );
      }
      if (!pool.nodeTaints.includes(GPU_TAINT)) {
        ctx.logger.warn(
          `GPU pool "${pool.name}" lacks the ${GPU_TAINT} taint, so other pods may be scheduled on its GPU nodes`,
        );
      }
      ctx.output('cluster', cluster);
      ctx.output('poolName', pool.name);
      ctx.output('vmSize', pool.vmSize ?? sku.armVmSize);
      ctx.output('instanceType', sku.name);
      // Plain JSON copies: values read over HTTP may come from another realm,
      // which the scaffolder's templating refuses.
      ctx.output('nodeLabels', toJson(labels));
      ctx.output('nodeTaints', toJson(pool.nodeTaints));
      ctx.output('spot', pool.spot);
      ctx.output('created', ensured.created);
      ctx.output('provisioningState', pool.provisioningState ?? 'Succeeded');
      ctx.output('nodeProvisioning', 'pool');
    },
  });
}

async function waitForPool(
  ctx: { logger: LoggerService; signal?: AbortSignal },
  kaito: KaitoService,
  opts: KaitoRequestOptions,
  cluster: string,
  poolName: string,
  options: { timeoutMs: number; maxPollMs: number; created: boolean },
): Promise<KaitoGpuPool> {
  const started = Date.now();
  const progress = new ProgressLog(ctx.logger);
  const intervals = pollIntervals(options.maxPollMs);
  let last: KaitoGpuPool | undefined;
  const leftBehind = () =>
    `GPU pool "${poolName}" on cluster "${cluster}" stays as it is${
      last?.provisioningState ? ` (${last.provisioningState})` : ''
    } and ARM keeps provisioning it; delete it from the GPU pools page if it is not needed`;
  for (;;) {
    if (ctx.signal?.aborted) {
      ctx.logger.warn(`Cancelled: ${leftBehind()}`);
      throw new CancelledError(
        `Cancelled while waiting for GPU pool "${poolName}" on cluster "${cluster}"; ${leftBehind()}`,
      );
    }
    let pool: KaitoGpuPool | undefined;
    try {
      pool = await kaito.getGpuPool(cluster, poolName, opts);
    } catch (error) {
      if (ctx.signal?.aborted) continue;
      if (!isTransient(error)) throw error;
      ctx.logger.warn(
        `Could not read GPU pool "${poolName}" (will retry): ${error}`,
      );
    }
    if (pool) {
      last = pool;
      const state = pool.provisioningState ?? 'Unknown';
      if (state === 'Succeeded') {
        ctx.logger.info(
          `GPU pool ${describePool(pool)} on cluster "${cluster}" is ready${
            options.created
              ? ` after ${formatDuration(Date.now() - started)}`
              : ''
          }`,
        );
        return pool;
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
            pool!,
          )} on cluster "${cluster}": ${state} (waiting ${formatDuration(
            Date.now() - started,
          )})`,
      );
    } else if (last) {
      throw new Error(
        `GPU pool "${poolName}" disappeared from cluster "${cluster}" while it was ${last.provisioningState}`,
      );
    }
    if (Date.now() - started > options.timeoutMs) {
      throw new Error(
        `Timed out after ${formatDuration(
          options.timeoutMs,
        )} waiting for GPU pool "${poolName}" on cluster "${cluster}"` +
          ` to be provisioned; it is ${
            last?.provisioningState ?? 'not visible yet'
          }. The pool stays; ` +
          'retry the step to keep waiting',
      );
    }
    await sleep(intervals.next().value, ctx.signal);
  }
}
