import { ConflictError } from '@backstage/errors';
import {
  EnsureGpuPoolRequest,
  EnsureGpuPoolResponse,
  GpuPoolView,
  GpuSku,
  LABEL_GPU_POOL,
  UpdateGpuPoolRequest,
  defaultGpuPoolName,
  findGpuSkuByVmSize,
  gpuPoolHasSku,
  gpuPoolSelectorLabels,
  isReservedLabelKey,
  validateEnsureGpuPoolRequest,
} from '@kaito-backstage/plugin-kaito-common';
import { invalidRequest } from './httpErrors';
import { PoolService } from './PoolService';

/*
 * "Ensure a GPU pool" (`POST /clusters/:cluster/gpu-pools/ensure`): the
 * golden path's way to get GPU nodes for a SKU, idempotent by the SKU's
 * default pool name, so a retried scaffolder step finds the pool the first
 * attempt made instead of creating a second one.
 */

/** Runs a write as the caller: permission-checked and audited by the router. */
export type PoolWrite = <T>(
  eventId: 'gpu-pool-create' | 'gpu-pool-update',
  meta: Record<string, unknown>,
  write: () => Promise<T>,
) => Promise<T>;

/**
 * A pool of the SKU already on the cluster that a workspace can use: the
 * default-named one first, then pools the suite manages, then by name.
 * Only pools with room for another workspace qualify (idle, or the
 * autoscaler may still add a node). Pools KAITO's node provisioner made for
 * one workspace (labelled with `kaito.sh/*`) are not shared.
 */
function pickReusable(
  pools: GpuPoolView[],
  sku: GpuSku,
  spot: boolean,
  defaultName: string,
): GpuPoolView | undefined {
  const byDefaultName = pools.find(p => p.name === defaultName);
  if (byDefaultName) return byDefaultName;
  return pools
    .filter(
      p =>
        gpuPoolHasSku(p, sku) &&
        p.spot === spot &&
        p.provisioningState !== 'Failed' &&
        p.provisioningState !== 'Deleting' &&
        p.mode !== 'System' &&
        !Object.keys(p.nodeLabels ?? {}).some(isReservedLabelKey) &&
        Object.keys(gpuPoolSelectorLabels(p)).length > 0 &&
        // Room for another workspace: idle, or the autoscaler may add a node.
        (p.idle ||
          p.usedBy.length === 0 ||
          (p.autoscaling && p.maxCount !== undefined && p.count < p.maxCount)),
    )
    .sort(
      (a, b) =>
        Number(b.managed) - Number(a.managed) || a.name.localeCompare(b.name),
    )[0];
}

/** A pool of that name must run the SKU, on Spot VMs or not as asked. */
function checkCompatible(
  pool: GpuPoolView,
  cluster: string,
  sku: GpuSku,
  spot: boolean,
): void {
  if (!gpuPoolHasSku(pool, sku)) {
    throw new ConflictError(
      `name: GPU pool "${
        pool.name
      }" on cluster "${cluster}" exists with VM size ${
        pool.vmSize ?? 'unknown'
      }, not ${
        sku.armVmSize
      }; name another pool or leave the name out [gpupool.vm-size.mismatch]`,
    );
  }
  if (pool.spot !== spot) {
    throw new ConflictError(
      `name: GPU pool "${pool.name}" on cluster "${cluster}" is ${
        pool.spot ? 'a Spot' : 'a regular (non-Spot)'
      } pool, but spot is ${spot}; name another pool or leave the name out [gpupool.spot.mismatch]`,
    );
  }
}

/** The configuration a Failed pool is re-submitted with: its own. */
function resubmission(pool: GpuPoolView): UpdateGpuPoolRequest {
  return pool.autoscaling &&
    pool.minCount !== undefined &&
    pool.maxCount !== undefined
    ? { minCount: pool.minCount, maxCount: pool.maxCount, count: pool.count }
    : { count: Math.max(pool.count, 1) };
}

/**
 * Finds or creates a GPU pool for a SKU: the named pool, or without a name
 * a usable pool of the SKU (`pickReusable`), else a new one named after
 * the SKU (quota checked before anything is created). A pool of that name
 * in state Failed is re-submitted once. With `dryRun`, every check runs
 * (the permission and the quota included) but nothing is written: the
 * answer says what would happen (`outcome`), with `created: false`.
 */
export async function ensureGpuPool(
  pools: PoolService,
  request: EnsureGpuPoolRequest,
  options: { createdBy?: string; write: PoolWrite },
): Promise<EnsureGpuPoolResponse> {
  const issues = validateEnsureGpuPoolRequest(request);
  if (issues.length > 0) {
    throw invalidRequest('GPU pool request', issues);
  }
  const { dryRun: dryRunField, ...poolRequest } = request;
  const dryRun = dryRunField === true;
  const { cluster } = request;
  const sku = findGpuSkuByVmSize(request.vmSize)!;
  const spot = Boolean(request.spot);
  const name = request.name ?? defaultGpuPoolName(sku.name, spot);
  const existing = request.name
    ? await pools.find(cluster, name)
    : pickReusable((await pools.list(cluster)).items, sku, spot, name);

  if (existing) {
    checkCompatible(existing, cluster, sku, spot);
    if (existing.provisioningState !== 'Failed') {
      return {
        pool: existing,
        outcome: 'existing',
        created: false,
        ...(dryRun ? { dryRun } : {}),
      };
    }
    const update = resubmission(existing);
    const pool = await options.write(
      'gpu-pool-update',
      { cluster, name: existing.name, ...update, dryRun },
      () => pools.update(cluster, existing.name, update, { dryRun }),
    );
    return {
      pool,
      outcome: 'resubmitted',
      created: false,
      ...(dryRun ? { dryRun } : {}),
      ...(existing.provisioningError
        ? { previousError: existing.provisioningError }
        : {}),
    };
  }

  const create = {
    ...poolRequest,
    name,
    nodeLabels: { ...request.nodeLabels, [LABEL_GPU_POOL]: name },
  };
  try {
    const { pool, quota } = await options.write(
      'gpu-pool-create',
      {
        cluster,
        name,
        vmSize: create.vmSize,
        entityRef: create.entityRef,
        workspace: create.workspace,
        dryRun,
      },
      () => pools.create(create, options.createdBy, { dryRun }),
    );
    return {
      pool,
      outcome: 'created',
      created: !dryRun,
      ...(dryRun ? { dryRun } : {}),
      ...(quota ? { quota } : {}),
    };
  } catch (error) {
    // Created concurrently (e.g. the first attempt of a retried step): use it.
    if (error instanceof ConflictError) {
      const raced = await pools.find(cluster, name);
      if (raced && gpuPoolHasSku(raced, sku) && raced.spot === spot) {
        return { pool: raced, outcome: 'existing', created: false };
      }
    }
    throw error;
  }
}
