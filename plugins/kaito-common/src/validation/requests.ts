import { KaitoRuntime, TuningMethod } from '../presets';

/*
 * The suite's own request shapes: what the frontend forms, the scaffolder
 * actions and the REST API exchange. They are deliberately smaller than the
 * KAITO CRD: one way to say each thing, and only PVC volumes.
 */

/**
 * A PersistentVolumeClaim in the workspace namespace; the only volume kind
 * the suite mounts.
 *
 * @public
 */
export interface WorkspaceVolumeRequest {
  persistentVolumeClaim: { claimName: string; readOnly?: boolean };
}

/**
 * Where tuning data comes from: exactly one of `urls`, `image` or `volume`.
 *
 * @public
 */
export interface TuningInputRequest {
  /** Optional data source name (immutable in KAITO). */
  name?: string;
  /** Public http(s) URLs of dataset files. */
  urls?: string[];
  /** An image holding the dataset under `/data`. */
  image?: string;
  /** Pull secrets for `image`. */
  imagePullSecrets?: string[];
  /** A PVC holding the dataset. */
  volume?: WorkspaceVolumeRequest;
}

/**
 * Where the tuned adapter goes: exactly one of `image` (with
 * `imagePushSecret`) or `volume`.
 *
 * @public
 */
export interface TuningOutputRequest {
  /** Image reference the adapter is pushed to. */
  image?: string;
  /** docker-registry Secret used to push `image`; required with `image`. */
  imagePushSecret?: string;
  /** A PVC the adapter is written to. */
  volume?: WorkspaceVolumeRequest;
}

/**
 * A fine-tuning request.
 *
 * @public
 */
export interface TuningRequest {
  /** Preset name, alias or Hugging Face ID; must be tunable. */
  preset: string;
  method: TuningMethod;
  input: TuningInputRequest;
  output: TuningOutputRequest;
  /** ConfigMap (key `training_config.yaml`) overriding the defaults. */
  config?: string;
  /** Secret with key `HF_TOKEN`; required for gated presets. */
  modelAccessSecret?: string;
}

/**
 * A LoRA adapter to load for inference: exactly one of `image` or `volume`.
 *
 * @public
 */
export interface AdapterRequest {
  /** Unique DNS subdomain. */
  name: string;
  image?: string;
  imagePullSecrets?: string[];
  volume?: WorkspaceVolumeRequest;
  /** "0" to "1"; KAITO defaults to "1.0". */
  strength?: string;
}

/**
 * An inference request.
 *
 * @public
 */
export interface InferenceRequest {
  /** Preset name, alias or Hugging Face ID. */
  preset: string;
  /** Runtime (annotation `kaito.sh/runtime`); the preset's default if unset. */
  runtime?: KaitoRuntime;
  /** Up to 10 adapters. */
  adapters?: AdapterRequest[];
  /** ConfigMap (key `inference_config.yaml`) overriding the defaults. */
  config?: string;
  /** Secret with key `HF_TOKEN`; required for gated presets. */
  modelAccessSecret?: string;
}

/**
 * GPU nodes for a workspace.
 *
 * @public
 */
export interface WorkspaceResourceRequest {
  /**
   * GPU SKU from the KAITO table. Required when the cluster provisions nodes
   * (and always for tuning); must be empty in BYO mode.
   */
  instanceType?: string;
  /** Deprecated KAITO node count; at most 1 for tuning. */
  count?: number;
  /**
   * Node labels (`labelSelector.matchLabels`). Required in BYO mode;
   * defaults to `kaito.backstage.io/workspace=<name>`.
   */
  labelSelector?: Record<string, string>;
}

/**
 * Create a KAITO Workspace for a catalog entity: exactly one of `tuning` or
 * `inference`.
 *
 * @public
 */
export interface CreateWorkspaceRequest {
  /** Ref of the owning entity, e.g. `component:default/support-bot`. */
  entityRef: string;
  /** Cluster name from `kubernetes.clusterLocatorMethods`. */
  cluster: string;
  namespace: string;
  /** Workspace name (DNS-1123 label). */
  name: string;
  /** Return the manifest without creating it. */
  dryRun?: boolean;
  resource: WorkspaceResourceRequest;
  tuning?: TuningRequest;
  inference?: InferenceRequest;
}

/**
 * Create an AKS GPU agent pool.
 *
 * @public
 */
export interface CreateGpuPoolRequest {
  cluster: string;
  /** AKS pool name: `^[a-z][a-z0-9]{0,11}$`. */
  name: string;
  /** A GPU VM size KAITO supports (KAITO or ARM spelling). */
  vmSize: string;
  /** Node count (0 to 1000); with autoscaling, within [minCount, maxCount]. */
  count?: number;
  /** Autoscaler minimum; set together with `maxCount`. */
  minCount?: number;
  /** Autoscaler maximum; set together with `minCount`. */
  maxCount?: number;
  /** Use Spot VMs. */
  spot?: boolean;
  /** Spot price cap in USD/hour, or -1 for up to the on-demand price. */
  spotMaxPrice?: number;
  /** Node labels (e.g. the labelSelector of BYO workspaces). */
  nodeLabels?: Record<string, string>;
  /** Ref of the entity the pool is for (tagged on the pool). */
  entityRef?: string;
  /** The workspace the pool is for (tagged on the pool). */
  workspace?: { namespace: string; name: string };
}

/**
 * Find or create an AKS GPU agent pool for a SKU
 * (`POST /clusters/:cluster/gpu-pools/ensure`): the create request with an
 * optional `name`. Without a name, an existing pool of the SKU with room for
 * another workspace is used, else one named after the SKU
 * (`defaultGpuPoolName`) is created, so a retried call finds what the first
 * one made. Counts and labels apply only when a pool is created.
 *
 * @public
 */
export interface EnsureGpuPoolRequest extends Omit<CreateGpuPoolRequest, 'name'> {
  /** AKS pool name: `^[a-z][a-z0-9]{0,11}$`; see above when absent. */
  name?: string;
  /**
   * Run every check (permission, SKU, tags, quota) and answer what would
   * happen, without writing to ARM.
   */
  dryRun?: boolean;
}

/**
 * Change the size or autoscaler range of a GPU pool.
 *
 * @public
 */
export interface UpdateGpuPoolRequest {
  count?: number;
  minCount?: number;
  maxCount?: number;
}
