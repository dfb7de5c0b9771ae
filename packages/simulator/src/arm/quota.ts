/**
 * Regional vCPU quota as Compute enforces it: every VM is charged its full
 * vCPU count to its family bucket and to the regional `cores` bucket; Spot VMs
 * go to the single `lowPriorityCores` bucket instead.
 */
import { normalizeQuotaFamily, quotaFamilies, VmSize } from './vmSizes';

export const REGIONAL_CORES = 'cores';
export const LOW_PRIORITY_CORES = 'lowPriorityCores';

export const DEFAULT_FAMILY_LIMIT = 100;
export const DEFAULT_REGIONAL_LIMIT = 350;
export const DEFAULT_LOW_PRIORITY_LIMIT = 100;

/** VMs a pool holds (or has reserved) right now. */
export interface PoolAllocation {
  size: VmSize;
  vmCount: number;
  spot: boolean;
}

/** Compute usages entry (`GET .../Microsoft.Compute/locations/{loc}/usages`). */
export interface ComputeUsage {
  unit: 'Count';
  currentValue: number;
  limit: number;
  name: { value: string; localizedValue: string };
}

export interface QuotaShortfall {
  /** Usage name as in the message: family name, `Total Regional` or `Low Priority`. */
  bucket: string;
  usageName: string;
  limit: number;
  currentUsage: number;
  additionalRequired: number;
}

export class QuotaBook {
  private readonly limits = new Map<string, number>();

  constructor(overrides: Record<string, number> = {}) {
    for (const [name, limit] of Object.entries(overrides)) {
      if (!Number.isFinite(limit) || limit < 0) {
        throw new Error(
          `vCPU quota for ${name} must be a non-negative number, got ${limit}`,
        );
      }
      this.limits.set(normalizeQuotaFamily(name), limit);
    }
  }

  /** Configured limit of a family, `cores` or `lowPriorityCores`. */
  limit(name: string): number {
    const key = normalizeQuotaFamily(name);
    const configured = this.limits.get(key);
    if (configured !== undefined) return configured;
    if (key === normalizeQuotaFamily(REGIONAL_CORES))
      return DEFAULT_REGIONAL_LIMIT;
    if (key === normalizeQuotaFamily(LOW_PRIORITY_CORES))
      return DEFAULT_LOW_PRIORITY_LIMIT;
    return DEFAULT_FAMILY_LIMIT;
  }

  /** Current vCPU usage per bucket (normalized family keys plus `cores`/`lowprioritycores`). */
  usage(allocations: PoolAllocation[]): Map<string, number> {
    const usage = new Map<string, number>();
    const add = (key: string, n: number) =>
      usage.set(key, (usage.get(key) ?? 0) + n);
    for (const { size, vmCount, spot } of allocations) {
      const vCpus = size.vCpus * vmCount;
      if (spot) {
        add(normalizeQuotaFamily(LOW_PRIORITY_CORES), vCpus);
      } else {
        add(normalizeQuotaFamily(size.quotaFamily), vCpus);
        add(normalizeQuotaFamily(REGIONAL_CORES), vCpus);
      }
    }
    return usage;
  }

  /** The limit in force: an exhausted bucket is capped at its current usage. */
  private effectiveLimit(
    name: string,
    current: number,
    exhausted: ReadonlySet<string>,
  ): number {
    const limit = this.limit(name);
    return exhausted.has(normalizeQuotaFamily(name))
      ? Math.min(limit, current)
      : limit;
  }

  /**
   * Checks that `additionalVms` more VMs of `size` fit next to `allocations`.
   * Returns the first bucket that would be exceeded (family, then regional).
   */
  check(
    allocations: PoolAllocation[],
    size: VmSize,
    additionalVms: number,
    spot: boolean,
    exhaustedFamilies: string[],
  ): QuotaShortfall | undefined {
    if (additionalVms <= 0) return undefined;
    const exhausted = new Set(exhaustedFamilies.map(normalizeQuotaFamily));
    const usage = this.usage(allocations);
    const required = size.vCpus * additionalVms;
    const buckets: { name: string; bucket: string }[] = spot
      ? [{ name: LOW_PRIORITY_CORES, bucket: 'Low Priority' }]
      : [
          { name: size.quotaFamily, bucket: size.quotaFamily },
          { name: REGIONAL_CORES, bucket: 'Total Regional' },
        ];
    for (const { name, bucket } of buckets) {
      const current = usage.get(normalizeQuotaFamily(name)) ?? 0;
      const limit = this.effectiveLimit(name, current, exhausted);
      if (current + required > limit) {
        return {
          bucket,
          usageName: name,
          limit,
          currentUsage: current,
          additionalRequired: required,
        };
      }
    }
    return undefined;
  }

  /** The Compute usages list for a region holding `allocations`. */
  usages(
    allocations: PoolAllocation[],
    exhaustedFamilies: string[],
  ): ComputeUsage[] {
    const exhausted = new Set(exhaustedFamilies.map(normalizeQuotaFamily));
    const usage = this.usage(allocations);
    const entry = (
      value: string,
      localizedValue: string,
      currentValue: number,
      limit: number,
    ): ComputeUsage => ({
      unit: 'Count',
      currentValue,
      limit,
      name: { value, localizedValue },
    });
    const vcpuEntry = (value: string, localizedValue: string) => {
      const current = usage.get(normalizeQuotaFamily(value)) ?? 0;
      return entry(
        value,
        localizedValue,
        current,
        this.effectiveLimit(value, current, exhausted),
      );
    };
    const vms = allocations.reduce((n, a) => n + a.vmCount, 0);
    return [
      entry('availabilitySets', 'Availability Sets', 0, 2500),
      vcpuEntry(REGIONAL_CORES, 'Total Regional vCPUs'),
      entry('virtualMachines', 'Virtual Machines', vms, 25000),
      entry(
        'virtualMachineScaleSets',
        'Virtual Machine Scale Sets',
        allocations.length,
        2500,
      ),
      ...quotaFamilies().map(f => vcpuEntry(f.name, f.displayName)),
      vcpuEntry(LOW_PRIORITY_CORES, 'Total Regional Low-priority vCPUs'),
    ];
  }
}

const READ_MORE: Record<string, string> = {
  'Total Regional': 'regional-quota-requests',
  'Low Priority': 'low-priority-quota',
};

const encodeQuotaParameters = (json: string) =>
  json.replace(/\{/g, '%7B').replace(/\}/g, '%7D').replace(/"/g, '%22');

/** The Compute wording AKS passes through when a VMSS create or scale hits quota. */
export function quotaExceededMessage(
  shortfall: QuotaShortfall,
  context: {
    subscriptionId: string;
    location: string;
    clusterName: string;
    nodeResourceGroup: string;
  },
): string {
  const newLimit = shortfall.currentUsage + shortfall.additionalRequired;
  const parameters = encodeQuotaParameters(
    JSON.stringify({
      subscriptionId: context.subscriptionId,
      command: 'openQuotaApprovalBlade',
      quotas: [
        {
          location: context.location,
          providerId: 'Microsoft.Compute',
          resourceName: shortfall.usageName,
          quotaRequest: {
            properties: {
              limit: newLimit,
              unit: 'Count',
              name: { value: shortfall.usageName },
            },
          },
        },
      ],
    }),
  );
  const readMore = `https://docs.microsoft.com/en-us/azure/azure-supportability/${
    READ_MORE[shortfall.bucket] ?? 'per-vm-quota-requests'
  }`;
  return (
    `Preflight validation check for resource(s) for container service ${context.clusterName} in resource group ${context.nodeResourceGroup} failed. ` +
    `Message: Operation could not be completed as it results in exceeding approved ${shortfall.bucket} Cores quota. ` +
    `Additional details - Deployment Model: Resource Manager, Location: ${context.location}, Current Limit: ${shortfall.limit}, ` +
    `Current Usage: ${shortfall.currentUsage}, Additional Required: ${shortfall.additionalRequired}, (Minimum) New Limit Required: ${newLimit}. ` +
    `Setup Alerts when Quota reaches threshold. Learn more at https://aka.ms/quotamonitoringalerting . ` +
    `Submit a request for Quota increase at https://aka.ms/ProdportalCRP/#blade/Microsoft_Azure_Capacity/UsageAndQuota.ReactView/Parameters/${parameters} ` +
    `by specifying parameters listed in the \u2018Details\u2019 section for deployment to succeed. Please read more about quota limits at ${readMore}`
  );
}
