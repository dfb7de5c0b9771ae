import type {
  AgentPool,
  ContainerServiceClient,
} from '@azure/arm-containerservice';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  CreateGpuPoolRequest,
  DeleteGpuPoolResponse,
  GPU_POOL_TAGS,
  GPU_POOL_TAINT,
  GpuPoolList,
  GpuPoolView,
  KaitoValidationError,
  PoolQuotaCheck,
  UpdateGpuPoolRequest,
  Workspace,
  findGpuSkuByVmSize,
  gpuPoolVmCeiling,
  validateCreateGpuPoolRequest,
  validateUpdateGpuPoolRequest,
} from '@kaito-backstage/plugin-kaito-common';
import { azureClientsOf } from './azureClusters';
import { toAzureError } from './azureErrors';
import { ClusterSet } from './ClusterSet';
import { PoolContext, gpuPoolView, roundUsd } from './poolView';
import { QuotaService } from './quota';
import { RawObject } from './rawObjects';

function issuesToInputError(
  subject: string,
  issues: ReturnType<typeof validateCreateGpuPoolRequest>,
): InputError {
  return new InputError(new KaitoValidationError(subject, issues).message);
}

/** How many VMs an agent pool can hold at most (what quota must cover). */
function vmCeiling(pool: AgentPool): number {
  return gpuPoolVmCeiling({
    count: pool.count,
    autoscaling: Boolean(pool.enableAutoScaling),
    maxCount: pool.maxCount,
  });
}

/**
 * AKS GPU agent pools through `@azure/arm-containerservice`: list, read,
 * create (quota checked first), scale and delete. Writes resolve once ARM
 * accepted the operation, which then continues in the background.
 */
export class PoolService {
  constructor(
    private readonly clusters: ClusterSet,
    private readonly quota: QuotaService,
    private readonly logger: LoggerService,
  ) {}

  private async rawPools(cluster: string): Promise<AgentPool[]> {
    const { containerService, coordinates } = azureClientsOf(
      this.clusters,
      cluster,
    );
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
  private cacheView(cluster: string): PoolContext {
    const cache = this.clusters
      .allCaches()
      .find(c => c.name === cluster && c.hasSynced());
    if (!cache) return { workspaces: [], nodes: [] };
    return {
      workspaces: cache.list<any>('workspaces') as Workspace[],
      nodes: cache.list<RawObject>('nodes'),
    };
  }

  /** The cluster's GPU pools (pools of a GPU size KAITO supports, or created by the suite). */
  async list(cluster: string): Promise<GpuPoolList> {
    const pools = await this.rawPools(cluster);
    const context = this.cacheView(cluster);
    const items = pools
      .map(p => gpuPoolView(cluster, p, context))
      .filter(p => p.sku || p.managed)
      .sort((a, b) => a.name.localeCompare(b.name));
    const idle = items.filter(p => p.idle);
    return {
      items,
      idle: {
        count: idle.length,
        usdPerHour: roundUsd(
          idle.reduce((sum, p) => sum + (p.usdPerHour ?? 0), 0),
        ),
      },
    };
  }

  /** The pool; NotFoundError naming it when it does not exist. */
  async get(cluster: string, name: string): Promise<GpuPoolView> {
    const pool = await this.find(cluster, name);
    if (!pool) {
      throw new NotFoundError(
        `GPU pool "${name}" not found on cluster "${cluster}"`,
      );
    }
    return pool;
  }

  /** The pool, or undefined when it does not exist. */
  async find(cluster: string, name: string): Promise<GpuPoolView | undefined> {
    const pool = await this.exists(cluster, name);
    return pool && gpuPoolView(cluster, pool, this.cacheView(cluster));
  }

  private async exists(
    cluster: string,
    name: string,
  ): Promise<AgentPool | undefined> {
    const { containerService, coordinates } = azureClientsOf(
      this.clusters,
      cluster,
    );
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

  /**
   * Starts an ARM long-running operation on a pool; resolves once ARM
   * accepted it, and logs how it ends.
   */
  private async operate(
    cluster: string,
    name: string,
    what: 'Creating' | 'Updating' | 'Deleting',
    start: (
      agentPools: ContainerServiceClient['agentPools'],
      resourceGroup: string,
      clusterName: string,
    ) => PromiseLike<unknown> & { submitted(): Promise<void> },
  ): Promise<void> {
    const { containerService, coordinates } = azureClientsOf(
      this.clusters,
      cluster,
    );
    try {
      const poller = start(
        containerService.agentPools,
        coordinates.resourceGroup,
        coordinates.clusterName,
      );
      await poller.submitted();
      this.follow(`${what} GPU pool ${name} on ${cluster}`, poller);
    } catch (error) {
      throw toAzureError(cluster, error);
    }
  }

  /** Sends a pool's configuration to ARM; resolves once ARM accepted it. */
  private submit(
    cluster: string,
    name: string,
    body: AgentPool,
    what: 'Creating' | 'Updating',
  ): Promise<void> {
    return this.operate(cluster, name, what, (agentPools, rg, mc) =>
      agentPools.createOrUpdate(rg, mc, name, body),
    );
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
   * accepted the operation, with the quota that was checked. With `dryRun`
   * it goes the same way up to the ARM write and answers the pool as it
   * would be asked for (ARM has no dry run for agent pools).
   */
  async create(
    request: CreateGpuPoolRequest,
    createdBy?: string,
    options: { dryRun?: boolean } = {},
  ): Promise<{ pool: GpuPoolView; quota?: PoolQuotaCheck }> {
    const issues = validateCreateGpuPoolRequest(request);
    if (issues.length > 0) {
      throw issuesToInputError('GPU pool request', issues);
    }
    const cluster = request.cluster;
    const sku = findGpuSkuByVmSize(request.vmSize)!;
    if (await this.exists(cluster, request.name)) {
      throw new ConflictError(
        `GPU pool "${request.name}" already exists on cluster "${cluster}"`,
      );
    }
    const autoscaling = request.minCount !== undefined;
    const count = request.count ?? (autoscaling ? request.minCount! : 1);
    const quota = await this.quota.check(
      cluster,
      sku,
      gpuPoolVmCeiling({ count, autoscaling, maxCount: request.maxCount }),
      {
        spot: Boolean(request.spot),
        subject: `GPU pool "${request.name}" on cluster "${cluster}"`,
        remedy: 'lower maxCount',
        unchanged: 'Nothing was created.',
      },
    );
    const tags: Record<string, string> = { [GPU_POOL_TAGS.managed]: 'true' };
    if (request.entityRef) tags[GPU_POOL_TAGS.entity] = request.entityRef;
    if (request.workspace) {
      tags[
        GPU_POOL_TAGS.workspace
      ] = `${request.workspace.namespace}/${request.workspace.name}`;
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
        nodeTaints: [GPU_POOL_TAINT],
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
    if (options.dryRun) {
      const pool = gpuPoolView(
        cluster,
        { ...body, name: request.name },
        this.cacheView(cluster),
      );
      return { pool, ...(quota ? { quota } : {}) };
    }
    await this.submit(cluster, request.name, body, 'Creating');
    const pool = await this.get(cluster, request.name);
    return { pool, ...(quota ? { quota } : {}) };
  }

  /** Changes a pool's size or autoscaler range (quota checked for growth). */
  async update(
    cluster: string,
    name: string,
    request: UpdateGpuPoolRequest,
    options: { dryRun?: boolean } = {},
  ): Promise<GpuPoolView> {
    const issues = validateUpdateGpuPoolRequest(request);
    if (issues.length > 0) {
      throw issuesToInputError('GPU pool update', issues);
    }
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
    const growth = vmCeiling(next) - vmCeiling(pool);
    if (sku && growth > 0) {
      await this.quota.check(cluster, sku, growth, {
        spot: pool.scaleSetPriority === 'Spot',
        subject: `growing GPU pool "${name}" on cluster "${cluster}"`,
        remedy: 'grow it less',
        unchanged: 'The pool was not changed.',
      });
    }
    if (options.dryRun) {
      return gpuPoolView(cluster, next, this.cacheView(cluster));
    }
    await this.submit(cluster, name, next, 'Updating');
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
    await this.operate(cluster, name, 'Deleting', (agentPools, rg, mc) =>
      agentPools.delete(rg, mc, name),
    );
    return { cluster, name, provisioningState: 'Deleting' };
  }
}
