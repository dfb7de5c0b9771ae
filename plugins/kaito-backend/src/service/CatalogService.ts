import { InputError } from '@backstage/errors';
import {
  KaitoPreset,
  SkuCatalog,
  SkuCatalogQuery,
  SkuQuota,
  SkuView,
  TuningMethod,
  WorkspaceMode,
  azureGpuSkus,
  findPreset,
  kaitoPresets,
  rankSkusForPreset,
  tuningMethods,
} from '@kaito-backstage/plugin-kaito-common';
import { azureClientsOf } from './azureClusters';
import { ClusterSet } from './ClusterSet';
import { QuotaService, QuotaUsage, assessQuota } from './quota';

/** The preset catalog and the GPU SKU catalog with fit, price and quota. */
export class CatalogService {
  constructor(
    private readonly clusters: ClusterSet,
    private readonly quota: QuotaService,
  ) {}

  presets(): KaitoPreset[] {
    return [...kaitoPresets];
  }

  private quotaCluster(cluster?: string): string | undefined {
    if (cluster) {
      azureClientsOf(this.clusters, cluster);
      return cluster;
    }
    const withAzure = this.clusters.registry.list().filter(c => c.azure);
    return withAzure.length === 1 ? withAzure[0].name : undefined;
  }

  /** `GET /catalog/skus`, from the query parameters as given (checked here). */
  async skus(
    query: { [K in keyof SkuCatalogQuery]?: string },
  ): Promise<SkuCatalog> {
    let preset: KaitoPreset | undefined;
    if (query.preset) {
      preset = findPreset(query.preset);
      if (!preset) {
        throw new InputError(
          `preset: "${query.preset}" is not a KAITO preset [preset.unknown]`,
        );
      }
    }
    if (query.mode !== undefined && query.mode !== 'tuning' && query.mode !== 'inference') {
      throw new InputError(
        `mode: "${query.mode}" must be tuning or inference [mode.invalid]`,
      );
    }
    if (
      query.method !== undefined &&
      !tuningMethods.includes(query.method as TuningMethod)
    ) {
      throw new InputError(
        `method: "${query.method}" must be one of ${tuningMethods.join(', ')} [tuning.method.invalid]`,
      );
    }
    const mode = (query.mode as WorkspaceMode | undefined) ??
      (preset ? 'inference' : undefined);
    const method = query.method as TuningMethod | undefined;

    const cluster = this.quotaCluster(query.cluster);
    let usages: QuotaUsage[] | undefined;
    let location: string | undefined;
    let quotaError: string | undefined;
    if (cluster) {
      try {
        location = await this.quota.location(cluster);
        usages = await this.quota.usages(cluster);
      } catch (error) {
        quotaError = (error as Error).message;
      }
    } else {
      quotaError =
        'no cluster with Azure coordinates was named (query parameter cluster)';
    }

    const ranked =
      preset && mode
        ? rankSkusForPreset(preset, mode, method)
        : azureGpuSkus.map(sku => ({ sku, fit: undefined, usdPerHour: undefined }));

    const items: SkuView[] = ranked.map(r => {
      const sku = r.sku;
      const nodeCount = r.fit?.fits ? r.fit.nodeCount ?? 1 : undefined;
      let quota: SkuQuota | undefined;
      if (usages) {
        const { reported, vmCount, ...view } = assessQuota(
          usages,
          sku,
          nodeCount ?? 1,
        );
        quota = view;
      }
      return {
        name: sku.name,
        armVmSize: sku.armVmSize,
        gpu: {
          vendor: sku.gpuVendor,
          model: sku.gpuModel,
          count: sku.gpuCount,
          memoryGiB: sku.gpuMemoryGiB,
        },
        vCPUs: sku.vCPUs,
        memoryGiB: sku.memoryGiB,
        quotaFamily: sku.quotaFamily,
        ...(sku.price ? { price: sku.price } : {}),
        ...(r.fit ? { fit: r.fit } : {}),
        ...(nodeCount !== undefined ? { nodeCount } : {}),
        ...(r.usdPerHour !== undefined ? { usdPerHour: r.usdPerHour } : {}),
        ...(quota ? { quota } : {}),
      };
    });

    // rankSkusForPreset orders fitting SKUs cheapest first.
    const recommendation = preset
      ? items.find(
          i => i.fit?.fits && (!i.quota || i.quota.sufficient),
        )
      : undefined;

    return {
      ...(preset ? { preset: preset.name } : {}),
      ...(mode ? { mode } : {}),
      ...(method ? { method } : {}),
      ...(cluster ? { cluster } : {}),
      ...(location ? { location } : {}),
      items,
      ...(recommendation ? { recommendation } : {}),
      ...(quotaError ? { quotaError } : {}),
    };
  }
}
