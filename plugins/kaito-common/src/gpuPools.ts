import { isReservedLabelKey } from './annotations';
import { GpuSku, findGpuSkuByVmSize } from './skus';

/*
 * Rules about AKS GPU agent pools that more than one side needs: the taint
 * and label the suite puts on the pools it creates, the default pool name
 * of a SKU (the key that makes "ensure a pool" idempotent), which SKU a pool
 * runs and which of its node labels a workspace can select it by.
 */

/**
 * Taint of the GPU pools the suite creates, so only GPU workloads (which
 * tolerate it, as KAITO's do) land on their nodes.
 *
 * @public
 */
export const GPU_POOL_TAINT = 'sku=gpu:NoSchedule';

/**
 * Node label the suite puts on the GPU pools it ensures:
 * `kaito.backstage.io/gpu-pool=<pool>`, for workspace label selectors.
 *
 * @public
 */
export const LABEL_GPU_POOL = 'kaito.backstage.io/gpu-pool';

/** Node labels AKS manages itself; not something a workspace selects by. */
const AKS_LABEL_PREFIXES = ['kubernetes.azure.com/', 'agentpool'];

/**
 * The GPU pool name used for a SKU when none is given: the VM series and
 * GPU model (`Standard_NC24ads_A100_v4` becomes `nc24adsa100`), plus `s` for
 * Spot. Deterministic, so a retried request finds the pool the first made.
 *
 * @public
 */
export function defaultGpuPoolName(vmSize: string, spot = false): string {
  const sku = findGpuSkuByVmSize(vmSize);
  const name = sku?.name ?? vmSize;
  const series = name.replace(/^Standard_/i, '').split('_')[0] ?? name;
  const model = sku?.gpuModel ?? '';
  let base = `${series}${model}`
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9]/g, '');
  if (!/^[a-z]/.test(base)) base = `g${base}`;
  base = base.slice(0, spot ? 11 : 12);
  return spot ? `${base}s` : base;
}

/**
 * Whether a pool runs the SKU, whichever spelling (KAITO's or ARM's) its
 * `vmSize` or `sku` uses.
 *
 * @public
 */
export function gpuPoolHasSku(
  pool: { vmSize?: string; sku?: string },
  sku: GpuSku,
): boolean {
  return [pool.vmSize, pool.sku].some(
    size => size !== undefined && findGpuSkuByVmSize(size)?.name === sku.name,
  );
}

/**
 * The node labels of a pool a workspace's `labelSelector` can select its
 * nodes by: neither KAITO's reserved keys nor the labels AKS manages.
 *
 * @public
 */
export function gpuPoolSelectorLabels(pool: {
  nodeLabels?: Record<string, string>;
}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(pool.nodeLabels ?? {}).filter(
      ([key]) =>
        !isReservedLabelKey(key) &&
        !AKS_LABEL_PREFIXES.some(prefix => key.startsWith(prefix)),
    ),
  );
}

/**
 * How many VMs a pool can hold at most (what its quota must cover): the
 * autoscaler maximum, or the fixed count.
 *
 * @public
 */
export function gpuPoolVmCeiling(pool: {
  count?: number;
  autoscaling: boolean;
  maxCount?: number;
}): number {
  return pool.autoscaling && pool.maxCount !== undefined
    ? Math.max(pool.maxCount, pool.count ?? 0)
    : pool.count ?? 1;
}
