import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  GpuSku,
  PoolQuotaCheck,
  azureGpuSkus,
  normalizeQuotaFamily,
} from '@kaito-backstage/plugin-kaito-common';
import { azureClientsOf } from './azureClusters';
import { toAzureError } from './azureErrors';
import { ClusterSet } from './ClusterSet';

/** Compute usages entry (`GET .../Microsoft.Compute/locations/{loc}/usages`). */
export interface QuotaUsage {
  name: string;
  localizedName?: string;
  limit: number;
  currentValue: number;
}

/** Quota bucket of all regular vCPUs of a region. */
const REGIONAL_CORES = 'cores';
/** Quota bucket of Spot (low-priority) vCPUs of a region. */
const LOW_PRIORITY_CORES = 'lowPriorityCores';
const USAGE_TTL_MS = 30_000;

/**
 * How `vmCount` VMs of a SKU fit a region's vCPU quota: the SKU's family
 * (or, for Spot, the low-priority bucket) and the regional total.
 */
export interface QuotaAssessment {
  /** The bucket's name as Azure reports it (else the SKU's family). */
  family: string;
  /** Whether Azure reports the bucket at all. */
  reported: boolean;
  limit: number;
  used: number;
  /** vCPUs left in the bucket (0 when it is not reported). */
  available: number;
  /** Regular vCPUs left in the region, when reported (not for Spot). */
  regionalAvailable?: number;
  vmCount: number;
  needed: number;
  /** Whether the bucket and the regional total both have room. */
  sufficient: boolean;
}

/** The usage entry of a quota bucket, compared as Azure's spellings vary. */
function usageOf(usages: QuotaUsage[], bucket: string): QuotaUsage | undefined {
  const wanted = normalizeQuotaFamily(bucket);
  return usages.find(u => normalizeQuotaFamily(u.name) === wanted);
}

/**
 * The one quota rule of the suite: the SKU catalog shows it per SKU, and
 * pools are created or grown only when it is sufficient.
 */
export function assessQuota(
  usages: QuotaUsage[],
  sku: GpuSku,
  vmCount: number,
  spot = false,
): QuotaAssessment {
  const bucket = spot ? LOW_PRIORITY_CORES : sku.quotaFamily;
  const family = usageOf(usages, bucket);
  const cores = spot ? undefined : usageOf(usages, REGIONAL_CORES);
  const needed = sku.vCPUs * vmCount;
  const available = family ? family.limit - family.currentValue : 0;
  const regionalAvailable = cores
    ? cores.limit - cores.currentValue
    : undefined;
  return {
    family: family?.name ?? bucket,
    reported: Boolean(family),
    limit: family?.limit ?? 0,
    used: family?.currentValue ?? 0,
    available,
    ...(regionalAvailable !== undefined ? { regionalAvailable } : {}),
    vmCount,
    needed,
    sufficient:
      available >= needed &&
      (regionalAvailable === undefined || regionalAvailable >= needed),
  };
}

/** Other NVIDIA SKUs with at least as much GPU memory that have quota for `vmCount` VMs. */
function alternativesWithQuota(
  usages: QuotaUsage[],
  sku: GpuSku,
  vmCount: number,
  spot: boolean,
): string[] {
  return azureGpuSkus
    .filter(
      other =>
        other.name !== sku.name &&
        other.gpuVendor === 'nvidia' &&
        other.gpuMemoryGiB >= sku.gpuMemoryGiB &&
        assessQuota(usages, other, vmCount, spot).sufficient,
    )
    .slice(0, 3)
    .map(other => other.name);
}

/**
 * The vCPU usages and the region of the clusters' Azure subscriptions,
 * read through `@azure/arm-compute` (usages cached for 30 s), and the quota
 * check before a pool is created or grown.
 */
export class QuotaService {
  private readonly locations = new Map<string, Promise<string>>();
  private readonly usageCache = new Map<
    string,
    { at: number; usages: Promise<QuotaUsage[]> }
  >();

  constructor(
    private readonly clusters: ClusterSet,
    private readonly logger: LoggerService,
  ) {}

  /** The cluster's Azure region: from config, else from ARM (cached). */
  async location(cluster: string): Promise<string> {
    const { coordinates, containerService } = azureClientsOf(
      this.clusters,
      cluster,
    );
    if (coordinates.location) return coordinates.location;
    let pending = this.locations.get(cluster);
    if (!pending) {
      pending = containerService.managedClusters
        .get(coordinates.resourceGroup, coordinates.clusterName)
        .then(mc => {
          if (!mc.location) throw new Error('managed cluster has no location');
          return mc.location;
        });
      pending.catch(() => this.locations.delete(cluster));
      this.locations.set(cluster, pending);
    }
    try {
      return await pending;
    } catch (error) {
      throw toAzureError(cluster, error);
    }
  }

  /** Compute vCPU usages of the cluster's subscription and region. */
  async usages(
    cluster: string,
    options: { fresh?: boolean } = {},
  ): Promise<QuotaUsage[]> {
    const { compute, coordinates } = azureClientsOf(this.clusters, cluster);
    const location = await this.location(cluster);
    const key = `${coordinates.subscriptionId}/${location}`;
    const cached = this.usageCache.get(key);
    if (!options.fresh && cached && Date.now() - cached.at < USAGE_TTL_MS) {
      return cached.usages;
    }
    const usages = (async () => {
      const result: QuotaUsage[] = [];
      for await (const usage of compute.usage.list(location)) {
        result.push({
          name: usage.name?.value ?? '',
          ...(usage.name?.localizedValue
            ? { localizedName: usage.name.localizedValue }
            : {}),
          limit: Number(usage.limit),
          currentValue: Number(usage.currentValue),
        });
      }
      return result;
    })();
    this.usageCache.set(key, { at: Date.now(), usages });
    try {
      return await usages;
    } catch (error) {
      this.usageCache.delete(key);
      throw toAzureError(cluster, error);
    }
  }

  /**
   * Fails fast (409) when `vmCount` more VMs of `sku` do not fit the quota,
   * naming the bucket, the vCPUs needed and available, what to do and the
   * SKUs that still have quota. `subject` names what is being done, e.g.
   * `GPU pool "x" on cluster "c"`, `remedy` what else would help and
   * `unchanged` says that nothing happened. Returns what was checked; undefined
   * when Azure reports no usage for the bucket (then nothing is checked).
   */
  async check(
    cluster: string,
    sku: GpuSku,
    vmCount: number,
    options: {
      spot: boolean;
      subject: string;
      remedy: string;
      unchanged: string;
    },
  ): Promise<PoolQuotaCheck | undefined> {
    if (vmCount <= 0) return undefined;
    const usages = await this.usages(cluster, { fresh: true });
    const location = await this.location(cluster);
    const quota = assessQuota(usages, sku, vmCount, options.spot);
    if (!quota.reported) {
      this.logger.warn(
        `No vCPU usage reported for ${quota.family} in ${location}; skipping its quota check`,
      );
      return undefined;
    }
    if (!quota.sufficient) {
      const regionalShort = quota.available >= quota.needed;
      const detail = regionalShort
        ? `the total regional vCPU quota in ${location} has ${quota.regionalAvailable} vCPUs available`
        : `Azure reports quota family ${quota.family} in ${location} at limit ${
            quota.limit
          } with ${quota.used} in use, so it has ${Math.max(
            0,
            quota.available,
          )} vCPUs available`;
      const alternatives = alternativesWithQuota(
        usages,
        sku,
        vmCount,
        options.spot,
      );
      throw new ConflictError(
        `Insufficient vCPU quota for ${options.subject}: up to ${vmCount} x ${sku.armVmSize} needs ${quota.needed} vCPUs, but ${detail}. ` +
          `Request a quota increase for ${
            regionalShort ? 'Total Regional vCPUs' : quota.family
          } in ${location} (Azure portal > Quotas > Compute), ${
            options.remedy
          }, or choose another SKU${
            alternatives.length
              ? ` with quota (${alternatives.join(', ')})`
              : ''
          }. ${options.unchanged}`,
      );
    }
    return {
      family: quota.family,
      location,
      limit: quota.limit,
      available: quota.available,
      vmCount,
      needed: quota.needed,
    };
  }
}
