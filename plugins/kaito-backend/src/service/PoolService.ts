import type { AgentPool } from '@azure/arm-containerservice';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotFoundError,
  NotImplementedError,
} from '@backstage/errors';
import {
  CreateGpuPoolRequest,
  DeleteGpuPoolResponse,
  GPU_POOL_TAGS,
  GpuPoolList,
  GpuPoolView,
  GpuSku,
  KaitoValidationError,
  UpdateGpuPoolRequest,
  Workspace,
  findGpuSkuByVmSize,
  normalizeQuotaFamily,
  validateCreateGpuPoolRequest,
  validateUpdateGpuPoolRequest,
} from '@kaito-backstage/plugin-kaito-common';
import { toAzureError } from './azureErrors';
import { AzureClusterClients, ClusterHandle } from './ClusterRegistry';
import { ClusterSet } from './ClusterSet';
import { RawObject } from './rawObjects';

/** Compute usages entry (`GET .../Microsoft.Compute/locations/{loc}/usages`). */
export interface QuotaUsage {
  name: string;
  localizedName?: string;
  limit: number;
  currentValue: number;
}

const GPU_TAINT = 'sku=gpu:NoSchedule';
const AGENTPOOL_LABELS = ['kubernetes.azure.com/agentpool', 'agentpool'];
const REGIONAL_CORES = 'cores';
const LOW_PRIORITY_CORES = 'lowPriorityCores';
const USAGE_TTL_MS = 30_000;

function issuesToInputError(
  subject: string,
  issues: ReturnType<typeof validateCreateGpuPoolRequest>,
): InputError {
  return new InputError(new KaitoValidationError(subject, issues).message);
}

function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** How many VMs a pool can hold at most (what quota must cover). */
export function poolVmCeiling(pool: {
  count?: number;
  enableAutoScaling?: boolean;
  maxCount?: number;
}): number {
  return pool.enableAutoScaling && pool.maxCount !== undefined
    ? Math.max(pool.maxCount, pool.count ?? 0)
    : pool.count ?? 1;
}

/**
 * AKS GPU agent pools through `@azure/arm-containerservice`, with a vCPU
 * quota pre-check through `@azure/arm-compute` usages.
 */
export class PoolService {
  private readonly locations = new Map<string, Promise<string>>();
  private readonly usageCache = new Map<
    string,
    { at: number; usages: Promise<QuotaUsage[]> }
  >();

  constructor(
    private readonly clusters: ClusterSet,
    private readonly logger: LoggerService,
  ) {}

  /** The Azure clients of a cluster; 404/501 when unknown or not configured. */
  azure(cluster: string): AzureClusterClients & { handle: ClusterHandle } {
    const handle = this.clusters.cluster(cluster);
    if (!handle.azure) {
      throw new NotImplementedError(
        `GPU pools of cluster "${cluster}" cannot be managed: kaito.clusters.${cluster}.azure is not configured`,
      );
    }
    return { ...handle.azure, handle };
  }

  /** The cluster's Azure region: from config, else from ARM (cached). */
  async location(cluster: string): Promise<string> {
    const { coordinates, containerService } = this.azure(cluster);
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
  async usages(cluster: string, options: { fresh?: boolean } = {}): Promise<QuotaUsage[]> {
    const { compute, coordinates } = this.azure(cluster);
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

  /** vCPUs still available in a quota bucket, if the subscription reports it. */
  static headroom(usages: QuotaUsage[], bucket: string): QuotaUsage | undefined {
    const wanted = normalizeQuotaFamily(bucket);
    return usages.find(u => normalizeQuotaFamily(u.name) === wanted);
  }

  /**
   * Fails fast (409, naming the family, the vCPUs needed and available)
   * when `vmCount` more VMs of `sku` do not fit the quota.
   */
  async checkQuota(
    cluster: string,
    sku: GpuSku,
    vmCount: number,
    spot: boolean,
  ): Promise<void> {
    if (vmCount <= 0) return;
    const usages = await this.usages(cluster, { fresh: true });
    const location = await this.location(cluster);
    const needed = sku.vCPUs * vmCount;
    const buckets = spot ? [LOW_PRIORITY_CORES] : [sku.quotaFamily, REGIONAL_CORES];
    for (const bucket of buckets) {
      const usage = PoolService.headroom(usages, bucket);
      if (!usage) {
        this.logger.warn(
          `No vCPU usage reported for ${bucket} in ${location}; skipping its quota check`,
        );
        continue;
      }
      const available = usage.limit - usage.currentValue;
      if (available < needed) {
        throw new ConflictError(
          `Insufficient vCPU quota: family ${usage.name} in ${location} has ${Math.max(
            0,
            available,
          )} vCPUs available (limit ${usage.limit}, in use ${usage.currentValue}), ` +
            `but ${vmCount} x ${sku.armVmSize} needs ${needed} vCPUs`,
        );
      }
    }
  }

  private async rawPools(cluster: string): Promise<AgentPool[]> {
    const { containerService, coordinates } = this.azure(cluster);
    try {
      const pools: AgentPool[] = [];
      for await (const pool of containerService.agentPools.list(
        coordinates.resourceGroup,
        coordinates.clusterName,
      )) {
        pools.push(pool);
      }
      return pools;
    } catch (error) {
      throw toAzureError(cluster, error);
    }
  }

  /** Workspaces of the cluster as far as the cache knows (empty when down). */
  private cacheView(cluster: string): {
    workspaces: Workspace[];
    nodes: RawObject[];
  } {
    const cache = this.clusters
      .allCaches()
      .find(c => c.name === cluster && c.health().state === 'healthy');
    if (!cache) return { workspaces: [], nodes: [] };
    return {
      workspaces: cache.list<any>('workspaces') as Workspace[],
      nodes: cache.list<RawObject>('nodes'),
    };
  }

  private view(
    cluster: string,
    pool: AgentPool,
    context: { workspaces: Workspace[]; nodes: RawObject[] },
  ): GpuPoolView {
    const name = pool.name ?? '';
    const sku = pool.vmSize ? findGpuSkuByVmSize(pool.vmSize) : undefined;
    const tags = pool.tags ?? {};
    const nodeLabels = pool.nodeLabels ?? {};
    const workspaceTag = tags[GPU_POOL_TAGS.workspace];
    const [tagNs, tagName] = workspaceTag?.includes('/')
      ? workspaceTag.split('/', 2)
      : [];

    const poolNodes = new Set(
      context.nodes
        .filter(n =>
          AGENTPOOL_LABELS.some(l => n.metadata.labels?.[l] === name),
        )
        .map(n => n.metadata.name),
    );
    const usedBy = context.workspaces
      .filter(ws => {
        if (ws.status?.workerNodes?.some(n => poolNodes.has(n))) return true;
        if (
          tagNs &&
          ws.metadata.namespace === tagNs &&
          ws.metadata.name === tagName
        ) {
          return true;
        }
        const match = ws.resource?.labelSelector?.matchLabels ?? {};
        const keys = Object.keys(match);
        return (
          keys.length > 0 && keys.every(k => nodeLabels[k] === match[k])
        );
      })
      .map(ws => ({
        namespace: ws.metadata.namespace ?? '',
        name: ws.metadata.name ?? '',
      }));
    const count = pool.count ?? 0;
    const usdPerHour = sku?.price ? round(count * sku.price.usdPerHour) : undefined;
    const spot = pool.scaleSetPriority === 'Spot';
    return {
      cluster,
      name,
      ...(pool.vmSize ? { vmSize: pool.vmSize } : {}),
      ...(sku
        ? {
            sku: sku.name,
            gpu: {
              model: sku.gpuModel,
              count: sku.gpuCount,
              memoryGiB: sku.gpuMemoryGiB,
            },
          }
        : {}),
      count,
      autoscaling: Boolean(pool.enableAutoScaling),
      ...(pool.minCount !== undefined ? { minCount: pool.minCount } : {}),
      ...(pool.maxCount !== undefined ? { maxCount: pool.maxCount } : {}),
      ...(pool.mode ? { mode: pool.mode } : {}),
      spot,
      ...(pool.provisioningState
        ? { provisioningState: pool.provisioningState }
        : {}),
      ...(pool.powerState?.code ? { powerState: pool.powerState.code } : {}),
      ...((pool as any).status?.provisioningError
        ? {
            provisioningError: {
              code: (pool as any).status.provisioningError.code,
              message: (pool as any).status.provisioningError.message,
            },
          }
        : {}),
      nodeLabels,
      nodeTaints: pool.nodeTaints ?? [],
      tags,
      managed: tags[GPU_POOL_TAGS.managed] === 'true',
      ...(tags[GPU_POOL_TAGS.entity] ? { entityRef: tags[GPU_POOL_TAGS.entity] } : {}),
      ...(tagNs ? { workspace: { namespace: tagNs, name: tagName } } : {}),
      ...(tags[GPU_POOL_TAGS.createdBy]
        ? { createdBy: tags[GPU_POOL_TAGS.createdBy] }
        : {}),
      usedBy,
      idle: Boolean(sku) && usedBy.length === 0,
      ...(usdPerHour !== undefined ? { usdPerHour } : {}),
    };
  }

  /** The cluster's GPU pools (pools of a GPU size KAITO supports, or created by the suite). */
  async list(cluster: string): Promise<GpuPoolList> {
    const pools = await this.rawPools(cluster);
    const context = this.cacheView(cluster);
    const items = pools
      .map(p => this.view(cluster, p, context))
      .filter(p => p.sku || p.managed)
      .sort((a, b) => a.name.localeCompare(b.name));
    const idle = items.filter(p => p.idle);
    return {
      items,
      idle: {
        count: idle.length,
        usdPerHour: round(idle.reduce((sum, p) => sum + (p.usdPerHour ?? 0), 0)),
      },
    };
  }

  async get(cluster: string, name: string): Promise<GpuPoolView> {
    const { containerService, coordinates } = this.azure(cluster);
    try {
      const pool = await containerService.agentPools.get(
        coordinates.resourceGroup,
        coordinates.clusterName,
        name,
      );
      return this.view(cluster, pool, this.cacheView(cluster));
    } catch (error) {
      const mapped = toAzureError(cluster, error);
      if (mapped instanceof NotFoundError) {
        throw new NotFoundError(
          `GPU pool "${name}" not found on cluster "${cluster}" (${mapped.message})`,
        );
      }
      throw mapped;
    }
  }

  private async exists(cluster: string, name: string): Promise<AgentPool | undefined> {
    const { containerService, coordinates } = this.azure(cluster);
    try {
      return await containerService.agentPools.get(
        coordinates.resourceGroup,
        coordinates.clusterName,
        name,
      );
    } catch (error) {
      const mapped = toAzureError(cluster, error);
      if (mapped instanceof NotFoundError) return undefined;
      throw mapped;
    }
  }

  /** Follows a long-running operation in the background and logs how it ended. */
  private follow(what: string, poller: PromiseLike<unknown>): void {
    Promise.resolve(poller).then(
      () => this.logger.info(`${what} succeeded`),
      error => this.logger.warn(`${what} failed: ${error}`),
    );
  }

  /**
   * Validates with kaito-common, checks quota, then starts creating the
   * pool, tagged with the entity, workspace and creator. Resolves once ARM
   * accepted the operation.
   */
  async create(
    request: CreateGpuPoolRequest,
    createdBy?: string,
  ): Promise<GpuPoolView> {
    const issues = validateCreateGpuPoolRequest(request);
    if (issues.length > 0) {
      throw issuesToInputError('GPU pool request', issues);
    }
    const cluster = request.cluster;
    const { containerService, coordinates } = this.azure(cluster);
    const sku = findGpuSkuByVmSize(request.vmSize)!;
    if (await this.exists(cluster, request.name)) {
      throw new ConflictError(
        `GPU pool "${request.name}" already exists on cluster "${cluster}"`,
      );
    }
    const autoscaling = request.minCount !== undefined;
    const count = request.count ?? (autoscaling ? request.minCount! : 1);
    await this.checkQuota(
      cluster,
      sku,
      poolVmCeiling({
        count,
        enableAutoScaling: autoscaling,
        maxCount: request.maxCount,
      }),
      Boolean(request.spot),
    );
    const tags: Record<string, string> = { [GPU_POOL_TAGS.managed]: 'true' };
    if (request.entityRef) tags[GPU_POOL_TAGS.entity] = request.entityRef;
    if (request.workspace) {
      tags[GPU_POOL_TAGS.workspace] = `${request.workspace.namespace}/${request.workspace.name}`;
    }
    if (createdBy) tags[GPU_POOL_TAGS.createdBy] = createdBy;
    const body: AgentPool = {
      vmSize: sku.armVmSize,
      count,
      mode: 'User',
      osType: 'Linux',
      osSKU: 'Ubuntu',
      typePropertiesType: 'VirtualMachineScaleSets',
      enableAutoScaling: autoscaling,
      ...(autoscaling
        ? { minCount: request.minCount, maxCount: request.maxCount }
        : {}),
      nodeTaints: [GPU_TAINT],
      nodeLabels: request.nodeLabels ?? {},
      ...(request.spot
        ? {
            scaleSetPriority: 'Spot',
            scaleSetEvictionPolicy: 'Delete',
            spotMaxPrice: request.spotMaxPrice ?? -1,
          }
        : {}),
      tags,
    };
    try {
      const poller = containerService.agentPools.createOrUpdate(
        coordinates.resourceGroup,
        coordinates.clusterName,
        request.name,
        body,
      );
      await poller.submitted();
      this.follow(`Creating GPU pool ${request.name} on ${cluster}`, poller);
    } catch (error) {
      throw toAzureError(cluster, error);
    }
    return this.get(cluster, request.name);
  }

  /** Changes a pool's size or autoscaler range (quota checked for growth). */
  async update(
    cluster: string,
    name: string,
    request: UpdateGpuPoolRequest,
  ): Promise<GpuPoolView> {
    const issues = validateUpdateGpuPoolRequest(request);
    if (issues.length > 0) {
      throw issuesToInputError('GPU pool update', issues);
    }
    const { containerService, coordinates } = this.azure(cluster);
    const pool = await this.exists(cluster, name);
    if (!pool) {
      throw new NotFoundError(`GPU pool "${name}" not found on cluster "${cluster}"`);
    }
    const next: AgentPool = { ...pool };
    if (request.minCount !== undefined && request.maxCount !== undefined) {
      next.enableAutoScaling = true;
      next.minCount = request.minCount;
      next.maxCount = request.maxCount;
    }
    if (request.count !== undefined) next.count = request.count;
    if (
      next.enableAutoScaling &&
      next.minCount !== undefined &&
      next.maxCount !== undefined &&
      next.count !== undefined &&
      (next.count < next.minCount || next.count > next.maxCount)
    ) {
      throw new InputError(
        `count: ${next.count} must lie within [minCount ${next.minCount}, maxCount ${next.maxCount}] [gpupool.count.outside-autoscale-range]`,
      );
    }
    const sku = pool.vmSize ? findGpuSkuByVmSize(pool.vmSize) : undefined;
    const growth = poolVmCeiling(next) - poolVmCeiling(pool);
    if (sku && growth > 0) {
      await this.checkQuota(cluster, sku, growth, pool.scaleSetPriority === 'Spot');
    }
    try {
      const poller = containerService.agentPools.createOrUpdate(
        coordinates.resourceGroup,
        coordinates.clusterName,
        name,
        next,
      );
      await poller.submitted();
      this.follow(`Updating GPU pool ${name} on ${cluster}`, poller);
    } catch (error) {
      throw toAzureError(cluster, error);
    }
    return this.get(cluster, name);
  }

  /** Deletes a pool; refuses while a workspace uses it unless `force`. */
  async delete(
    cluster: string,
    name: string,
    options: { force?: boolean } = {},
  ): Promise<DeleteGpuPoolResponse> {
    const current = await this.get(cluster, name);
    if (current.usedBy.length > 0 && !options.force) {
      throw new ConflictError(
        `GPU pool "${name}" is used by workspace ${current.usedBy
          .map(w => `${w.namespace}/${w.name}`)
          .join(', ')}; delete the workspace first or pass force=true`,
      );
    }
    const { containerService, coordinates } = this.azure(cluster);
    try {
      const poller = containerService.agentPools.delete(
        coordinates.resourceGroup,
        coordinates.clusterName,
        name,
      );
      await poller.submitted();
      this.follow(`Deleting GPU pool ${name} on ${cluster}`, poller);
    } catch (error) {
      throw toAzureError(cluster, error);
    }
    return { cluster, name, provisioningState: 'Deleting' };
  }
}
