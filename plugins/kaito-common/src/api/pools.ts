/*
 * REST types of the GPU pool routes of kaito-backend (mounted at
 * `/api/kaito`):
 * - `GET /clusters/:cluster/gpu-pools` -> {@link GpuPoolList}
 * - `POST /clusters/:cluster/gpu-pools` (`CreateGpuPoolRequest`) -> {@link GpuPoolView}
 * - `POST /clusters/:cluster/gpu-pools/ensure` (`EnsureGpuPoolRequest`) -> {@link EnsureGpuPoolResponse}
 * - `GET /clusters/:cluster/gpu-pools/:pool` -> {@link GpuPoolView}
 * - `PATCH /clusters/:cluster/gpu-pools/:pool` (`UpdateGpuPoolRequest`) -> {@link GpuPoolView}
 * - `DELETE /clusters/:cluster/gpu-pools/:pool[?force=true]` -> {@link DeleteGpuPoolResponse}
 */

/**
 * An AKS GPU agent pool.
 *
 * @public
 */
export interface GpuPoolView {
  cluster: string;
  name: string;
  /** ARM VM size. */
  vmSize?: string;
  /** KAITO's name of the SKU, when it is a GPU size KAITO supports. */
  sku?: string;
  /** GPUs of one node. */
  gpu?: { model: string; count: number; memoryGiB: number };
  /** Current node count. */
  count: number;
  autoscaling: boolean;
  minCount?: number;
  maxCount?: number;
  /** `System` or `User`. */
  mode?: string;
  spot: boolean;
  /** ARM provisioning state (Succeeded, Creating, Scaling, Deleting, Failed, ...). */
  provisioningState?: string;
  /** `Running` or `Stopped`. */
  powerState?: string;
  provisioningError?: { code?: string; message?: string };
  nodeLabels: Record<string, string>;
  nodeTaints: string[];
  tags: Record<string, string>;
  /** Created through the suite. */
  managed: boolean;
  /** Entity the pool was created for (tag). */
  entityRef?: string;
  /** Workspace the pool was created for (tag). */
  workspace?: { namespace: string; name: string };
  createdBy?: string;
  /** Workspaces running on (or bound to) the pool. */
  usedBy: Array<{ namespace: string; name: string }>;
  /** A GPU pool no workspace uses. */
  idle: boolean;
  /** count x list price per node-hour. */
  usdPerHour?: number;
}

/**
 * Response of `GET /clusters/:cluster/gpu-pools`.
 *
 * @public
 */
export interface GpuPoolList {
  items: GpuPoolView[];
  /** Idle pools and what they cost per hour together. */
  idle: { count: number; usdPerHour: number };
}

/**
 * Response of `DELETE /clusters/:cluster/gpu-pools/:pool`: the deletion
 * was accepted by ARM and continues in the background.
 *
 * @public
 */
export interface DeleteGpuPoolResponse {
  cluster: string;
  name: string;
  provisioningState: string;
}

/**
 * The vCPU quota check made before a GPU pool is created.
 *
 * @public
 */
export interface PoolQuotaCheck {
  /** Quota bucket: the SKU's family, or `lowPriorityCores` for Spot. */
  family: string;
  /** Azure region. */
  location: string;
  limit: number;
  /** vCPUs left in the bucket. */
  available: number;
  /** VMs the pool can grow to (what the quota must cover). */
  vmCount: number;
  /** vCPUs the pool needs at most (vmCount x vCPUs of the SKU). */
  needed: number;
}

/**
 * Response of `POST /clusters/:cluster/gpu-pools/ensure`.
 *
 * @public
 */
export interface EnsureGpuPoolResponse {
  pool: GpuPoolView;
  /**
   * `created`: a new pool (ARM provisions it in the background);
   * `existing`: a usable pool was there; `resubmitted`: a pool of that name
   * was in state Failed and its configuration was sent again.
   */
  outcome: 'created' | 'existing' | 'resubmitted';
  /** Whether this call created the pool (false on a dry run). */
  created: boolean;
  /**
   * A dry run: `outcome` says what a real call would do; for `created`,
   * `pool` is the pool as it would be asked of ARM.
   */
  dryRun?: boolean;
  /** The provisioning error a re-submitted pool had. */
  previousError?: { code?: string; message?: string };
  /** The quota check of a new pool (absent when Azure reports no usage for the bucket). */
  quota?: PoolQuotaCheck;
}
