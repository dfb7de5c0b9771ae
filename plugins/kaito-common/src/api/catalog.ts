import { KaitoPreset, TuningMethod } from '../presets';
import { WorkspaceMode } from '../nodeEstimator';
import { SkuFit } from '../sizing';
import { GpuSkuPrice } from '../skus';

/*
 * REST types of the catalog routes of kaito-backend (mounted at
 * `/api/kaito`):
 * - `GET /catalog/presets` -> {@link ListPresetsResponse}
 * - `GET /catalog/skus?preset=&mode=tuning|inference&method=&cluster=` -> {@link SkuCatalog}
 */

/**
 * Response of `GET /catalog/presets`.
 *
 * @public
 */
export interface ListPresetsResponse {
  items: KaitoPreset[];
}

/**
 * vCPU quota of a SKU's family in the cluster's subscription and region.
 *
 * @public
 */
export interface SkuQuota {
  /** Quota family (Compute usages `name.value`). */
  family: string;
  limit: number;
  used: number;
  /** vCPUs left in the family (limit - used). */
  available: number;
  /** Regional vCPUs (`cores`) still available. */
  regionalAvailable?: number;
  /** vCPUs the preset needs on this SKU (nodes x vCPUs). */
  needed: number;
  sufficient: boolean;
}

/**
 * A GPU SKU with its fit, price and quota for the requested preset and mode.
 *
 * @public
 */
export interface SkuView {
  /** KAITO's spelling, e.g. `Standard_NC24ads_A100_v4`. */
  name: string;
  armVmSize: string;
  /** GPUs of one VM; `memoryGiB` is the total of all of them. */
  gpu: { vendor: string; model: string; count: number; memoryGiB: number };
  vCPUs: number;
  memoryGiB: number;
  quotaFamily: string;
  price?: GpuSkuPrice;
  /** Fit for the requested preset and mode. */
  fit?: SkuFit;
  /** Nodes needed when it fits. */
  nodeCount?: number;
  /** nodeCount x hourly price. */
  usdPerHour?: number;
  quota?: SkuQuota;
}

/**
 * Response of `GET /catalog/skus`: every SKU, the fitting ones first,
 * cheapest first.
 *
 * @public
 */
export interface SkuCatalog {
  /** Preset name (canonical) the fit was computed for. */
  preset?: string;
  mode?: WorkspaceMode;
  method?: TuningMethod;
  /** Cluster whose subscription and region the quota is for. */
  cluster?: string;
  location?: string;
  items: SkuView[];
  /** The cheapest SKU that fits and has quota (quota unknown: cheapest fit). */
  recommendation?: SkuView;
  /** Why quota is missing from the items. */
  quotaError?: string;
}

/**
 * Query of `GET /catalog/skus`.
 *
 * @public
 */
export interface SkuCatalogQuery {
  /** Preset name, alias or Hugging Face ID. */
  preset?: string;
  mode?: WorkspaceMode;
  /** Tuning method (tuning mode). */
  method?: TuningMethod;
  /** Cluster whose quota to check; the only Azure cluster when absent. */
  cluster?: string;
}
