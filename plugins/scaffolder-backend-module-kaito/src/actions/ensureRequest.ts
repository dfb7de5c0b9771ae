import {
  EnsureGpuPoolRequest,
  GpuSku,
  IssueCollector,
  LABEL_GPU_POOL,
  Zod,
  defaultGpuPoolName,
  findGpuSkuByVmSize,
  requestFields,
  validateEnsureGpuPoolRequest,
} from '@kaito-backstage/plugin-kaito-common';
import { normalizeEntityRef } from './entityRefs';
import { InferFields, pollIntervalInput, timeoutMinutesInput } from './inputs';
import { compact } from './types';
import { checkEntityRef, checkPositive, throwIfInvalid } from './validation';

/*
 * The input of `kaito:gpu-pool:ensure` and the `POST .../gpu-pools/ensure`
 * request it becomes, with the defaults a template relies on (autoscaling
 * 0..1); validated with kaito-common's rules before any call.
 */

/** The input schema of `kaito:gpu-pool:ensure`. */
export const ensureInputs = {
  cluster: requestFields.cluster,
  vmSize: (z: Zod) =>
    requestFields
      .vmSize(z)
      .describe(
        'GPU SKU, in KAITO or ARM spelling, e.g. Standard_NC24ads_A100_v4 (the recommended SKU for phi-3-mini QLoRA)',
      ),
  poolName: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'AKS pool name (a lowercase letter, then up to 11 lowercase letters or digits). Default: an existing usable ' +
          'pool of the SKU, else a name derived from the SKU (e.g. nc24adsa100), so a retried task finds its pool',
      ),
  count: (z: Zod) =>
    requestFields
      .poolCount(z)
      .optional()
      .describe('Initial node count; default 1 (within minCount..maxCount)'),
  autoscaling: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe('Enable the cluster autoscaler; default true'),
  minCount: (z: Zod) =>
    requestFields
      .minCount(z)
      .optional()
      .describe('Autoscaler minimum; default 0 (scale to zero when idle)'),
  maxCount: (z: Zod) =>
    requestFields
      .maxCount(z)
      .optional()
      .describe('Autoscaler maximum; default 1'),
  spot: (z: Zod) =>
    requestFields
      .spot(z)
      .optional()
      .describe(
        'Use Spot VMs (cheaper, evictable, low-priority quota); default false',
      ),
  spotMaxPrice: (z: Zod) =>
    requestFields
      .spotMaxPrice(z)
      .optional()
      .describe(
        'Spot price cap in USD/hour, or -1 (default) for up to the on-demand price',
      ),
  nodeLabels: (z: Zod) =>
    requestFields
      .nodeLabels(z)
      .optional()
      .describe(`Extra node labels; ${LABEL_GPU_POOL}=<pool> is always added`),
  entityRef: (z: Zod) =>
    requestFields
      .entityRef(z)
      .optional()
      .describe(
        'Catalog entity the pool is for, e.g. component:default/support-chatbot (Azure tag)',
      ),
  workspace: (z: Zod) => requestFields.poolWorkspace(z).optional(),
  fallbackToNodeAutoProvisioning: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe(
        'When the user may not create GPU pools, continue without one (KAITO then provisions each ' +
          "workspace's node itself; clusters with node auto-provisioning only) instead of failing; default true",
      ),
  dryRun: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe(
        'Only check: the backend runs every check (permission, SKU, quota) and says what it would do; ' +
          'nothing is created (a dry run of the whole task does the same)',
      ),
  timeoutMinutes: timeoutMinutesInput('ARM to provision the pool', 30),
  pollIntervalSeconds: pollIntervalInput(10),
};

/** The input of `kaito:gpu-pool:ensure`, as its schema defines it. */
export type EnsureInput = InferFields<typeof ensureInputs>;

/** What the step asks the backend for, with the defaults a template relies on. */
export interface Plan {
  request: EnsureGpuPoolRequest;
  sku: GpuSku;
  /** The pool's name unless the backend picks an existing one. */
  poolName: string;
  autoscaling: boolean;
  spot: boolean;
}

/**
 * The ensure request from the step's inputs, validated with kaito-common's
 * rules (the field the request calls `name` is the input `poolName`).
 */
export function plan(actionId: string, input: EnsureInput): Plan {
  const v = new IssueCollector();
  const sku = input.vmSize ? findGpuSkuByVmSize(input.vmSize) : undefined;
  const spot = Boolean(input.spot);
  const autoscaling = input.autoscaling ?? true;
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
  const request = compact({
    cluster: input.cluster,
    name: input.poolName,
    vmSize: sku?.armVmSize ?? input.vmSize,
    count,
    minCount,
    maxCount,
    spot: spot || undefined,
    spotMaxPrice: input.spotMaxPrice,
    nodeLabels: input.nodeLabels,
    entityRef: input.entityRef
      ? normalizeEntityRef(input.entityRef)
      : undefined,
    workspace: input.workspace,
  }) as EnsureGpuPoolRequest;
  for (const issue of validateEnsureGpuPoolRequest(request)) {
    v.addAll([asPoolNameIssue(issue)]);
  }
  if (
    input.autoscaling === false &&
    (input.minCount !== undefined || input.maxCount !== undefined)
  ) {
    v.add(
      'autoscaling',
      'gpupool.autoscale.disabled',
      'is false, so minCount and maxCount cannot be used',
    );
  }
  checkEntityRef(v, 'entityRef', input.entityRef, false);
  checkPositive(v, 'timeoutMinutes', input.timeoutMinutes, 24 * 60);
  checkPositive(v, 'pollIntervalSeconds', input.pollIntervalSeconds, 15);
  throwIfInvalid(actionId, v);
  return {
    request,
    sku: sku!,
    poolName: request.name ?? defaultGpuPoolName(sku!.name, spot),
    autoscaling,
    spot,
  };
}

/** The request's `name` is this action's `poolName`. */
export function asPoolNameMessage(message: string): string {
  return message.replace(/^name:/, 'poolName:');
}

function asPoolNameIssue<T extends { field: string; message: string }>(
  issue: T,
): T {
  return issue.field === 'name'
    ? { ...issue, field: 'poolName', message: asPoolNameMessage(issue.message) }
    : issue;
}
