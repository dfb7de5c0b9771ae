import {
  GpuSku,
  SkuFit,
  Workspace,
  WorkspacePhase,
  WorkspaceStatusSummary,
} from '@kaito-backstage/plugin-kaito-common';

/*
 * Response shapes of the KAITO backend's REST API (`/api/kaito`), as other
 * backend plugins see them. Fields the backend adds later are passed through.
 */

/**
 * A cluster the KAITO backend knows.
 *
 * @public
 */
export interface KaitoCluster {
  name: string;
  title?: string;
  authProvider: string;
  health: {
    state: 'syncing' | 'healthy' | 'unhealthy' | 'unavailable';
    error?: string;
    since: string;
    lastSyncedAt?: string;
  };
  azure?: {
    subscriptionId: string;
    resourceGroup: string;
    clusterName: string;
    location?: string;
  };
  namespaces?: string[];
}

/**
 * A condition as the backend shows it.
 *
 * @public
 */
export interface KaitoCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * A workspace summary.
 *
 * @public
 */
export interface KaitoWorkspaceSummary {
  cluster: string;
  namespace: string;
  name: string;
  uid?: string;
  type: 'tuning' | 'inference';
  preset?: string;
  method?: string;
  instanceType?: string;
  entityRef?: string;
  createdBy?: string;
  state: WorkspacePhase;
  status: WorkspaceStatusSummary;
  conditions: KaitoCondition[];
  nodes: { target?: number; workers: string[]; ready: number };
  createdAt?: string;
  ageSeconds?: number;
  finishedAt?: string;
  usage?: {
    nodeCount: number;
    hours: number;
    gpuHours: number;
    estimatedCostUsd?: number;
    usdPerHour?: number;
    priceSource?: string;
  };
  endpoint?: { serviceUrl: string; chatPath: string };
}

/**
 * A loss value of a tuning run.
 *
 * @public
 */
export interface KaitoLossPoint {
  step?: number;
  epoch?: number;
  loss: number;
  learningRate?: number;
}

/**
 * A workspace with its timeline, events, job, pods, tuning progress and
 * adapters.
 *
 * @public
 */
export interface KaitoWorkspaceDetail extends KaitoWorkspaceSummary {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  resource?: Workspace['resource'];
  timeline: KaitoCondition[];
  events: Array<{
    type?: string;
    reason?: string;
    message?: string;
    count?: number;
    firstTimestamp?: string;
    lastTimestamp?: string;
    object: { kind?: string; name?: string };
    source?: string;
  }>;
  job?: {
    name: string;
    active: number;
    succeeded: number;
    failed: number;
    startTime?: string;
    completionTime?: string;
    conditions: KaitoCondition[];
  };
  pods: Array<{
    name: string;
    phase?: string;
    nodeName?: string;
    ready: boolean;
    restarts: number;
    startTime?: string;
    containers: Array<{
      name: string;
      ready: boolean;
      restartCount: number;
      state?: string;
      reason?: string;
      message?: string;
      exitCode?: number;
    }>;
  }>;
  nodeClaims: Array<{
    name: string;
    instanceType?: string;
    nodeName?: string;
    ready?: string;
    reason?: string;
    message?: string;
  }>;
  tuning?: {
    method?: string;
    input?: NonNullable<Workspace['tuning']>['input'];
    output?: NonNullable<Workspace['tuning']>['output'];
    outputImage?: string;
    progress?: {
      step?: number;
      totalSteps?: number;
      epoch?: number;
      totalEpochs?: number;
      fraction?: number;
      loss: KaitoLossPoint[];
      trainLoss?: number;
      evalLoss: KaitoLossPoint[];
    };
    progressError?: string;
  };
  inference?: {
    runtime: string;
    adapters: Array<{ name?: string; image?: string; strength?: string }>;
    performance?: NonNullable<Workspace['status']>['performance'];
  };
}

/**
 * The result of creating a workspace (or of a dry run).
 *
 * @public
 */
export interface KaitoCreateWorkspaceResult {
  dryRun: boolean;
  /** The Workspace manifest the backend built (and created, unless a dry run). */
  manifest: Workspace;
  workspace?: KaitoWorkspaceSummary;
}

/**
 * An entity's workspaces; clusters that could not be read are in `errors`.
 *
 * @public
 */
export interface KaitoEntityWorkspaces {
  items: KaitoWorkspaceSummary[];
  errors: Array<{ cluster: string; message: string }>;
}

/**
 * An AKS GPU agent pool.
 *
 * @public
 */
export interface KaitoGpuPool {
  cluster: string;
  name: string;
  vmSize?: string;
  sku?: string;
  gpu?: { model: string; count: number; memoryGiB: number };
  count: number;
  autoscaling: boolean;
  minCount?: number;
  maxCount?: number;
  mode?: string;
  spot: boolean;
  provisioningState?: string;
  powerState?: string;
  provisioningError?: { code?: string; message?: string };
  nodeLabels: Record<string, string>;
  nodeTaints: string[];
  tags: Record<string, string>;
  managed: boolean;
  entityRef?: string;
  workspace?: { namespace: string; name: string };
  createdBy?: string;
  usedBy: Array<{ namespace: string; name: string }>;
  idle: boolean;
  usdPerHour?: number;
}

/**
 * The GPU pools of a cluster.
 *
 * @public
 */
export interface KaitoGpuPoolList {
  items: KaitoGpuPool[];
  idle: { count: number; usdPerHour: number };
}

/**
 * A GPU SKU with its fit for a preset, price and quota headroom.
 *
 * @public
 */
export interface KaitoSku {
  name: string;
  armVmSize: string;
  gpu: { vendor: string; model: string; count: number; memoryGiB: number };
  vCPUs: number;
  memoryGiB: number;
  quotaFamily: string;
  price?: GpuSku['price'];
  fit?: SkuFit;
  nodeCount?: number;
  usdPerHour?: number;
  quota?: {
    family: string;
    limit: number;
    used: number;
    available: number;
    regionalAvailable?: number;
    needed: number;
    sufficient: boolean;
  };
}

/**
 * The SKU catalog for a preset.
 *
 * @public
 */
export interface KaitoSkuCatalog {
  preset?: string;
  mode?: 'tuning' | 'inference';
  method?: string;
  cluster?: string;
  location?: string;
  items: KaitoSku[];
  recommendation?: KaitoSku;
  quotaError?: string;
}

/**
 * A run in the history.
 *
 * @public
 */
export interface KaitoRun {
  id: number;
  cluster: string;
  namespace: string;
  workspace: string;
  workspaceUid?: string;
  entityRef?: string;
  createdBy?: string;
  mode: 'tuning' | 'inference';
  preset?: string;
  tuningMethod?: string;
  instanceType?: string;
  nodeCount: number;
  gpusPerNode?: number;
  usdPerNodeHour?: number;
  state?: string;
  outcome: 'pending' | 'running' | 'ready' | 'succeeded' | 'failed' | 'deleted';
  message?: string;
  createdAt: string;
  finishedAt?: string;
  deletedAt?: string;
  durationSeconds: number;
  gpuHours: number;
  estimatedCostUsd?: number;
  active: boolean;
}

/**
 * Identifies a workspace.
 *
 * @public
 */
export interface KaitoWorkspaceRef {
  cluster: string;
  namespace: string;
  name: string;
  /**
   * The entity the workspace belongs to; only needed for workspaces the
   * suite did not create (without the entity-ref annotation).
   */
  entityRef?: string;
}

