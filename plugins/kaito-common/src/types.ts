/*
 * KAITO Workspace types for `kaito.sh/v1beta1` (storage version since KAITO
 * v0.4.5), written from api/v1beta1/workspace_types.go and the CRD schema in
 * charts/kaito/workspace/templates/kaito.sh_workspaces.yaml. `v1alpha1`
 * objects have the same shape (minus status.state, targetNodeCount and
 * performance), so every status field is optional.
 *
 * A Workspace has no `.spec`: `resource`, `inference` and `tuning` are
 * top-level fields.
 */

/**
 * API group of KAITO's resources.
 *
 * @public
 */
export const KAITO_API_GROUP = 'kaito.sh';

/**
 * The Workspace API version the suite writes.
 *
 * @public
 */
export const WORKSPACE_API_VERSION = 'kaito.sh/v1beta1';

/**
 * The older Workspace API version KAITO still serves.
 *
 * @public
 */
export const WORKSPACE_API_VERSION_V1ALPHA1 = 'kaito.sh/v1alpha1';

/**
 * Kind of the Workspace resource.
 *
 * @public
 */
export const WORKSPACE_KIND = 'Workspace';

/**
 * Plural resource name of Workspaces (for REST paths).
 *
 * @public
 */
export const WORKSPACE_PLURAL = 'workspaces';

/**
 * The subset of Kubernetes ObjectMeta the suite reads and writes.
 *
 * @public
 */
export interface KaitoObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  generation?: number;
  resourceVersion?: string;
  finalizers?: string[];
}

/**
 * Kubernetes LabelSelector. KAITO allows only `matchLabels` or `In`
 * expressions.
 *
 * @public
 */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }>;
}

/**
 * A Kubernetes VolumeSource (schemaless in the CRD). The suite itself only
 * writes `persistentVolumeClaim`.
 *
 * @public
 */
export interface VolumeSource {
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  [volumeType: string]: unknown;
}

/**
 * `resource` of a Workspace.
 *
 * @public
 */
export interface WorkspaceResourceSpec {
  /** Azure VM size; required with node auto-provisioning, empty in BYO. */
  instanceType?: string;
  /** Required; its labels are stamped on provisioned nodes. */
  labelSelector: LabelSelector;
  /** Deprecated requested node count (must be at most 1 for tuning). */
  count?: number;
  /** Deprecated. */
  preferredNodes?: string[];
  /** v0.12, BYO only: MIG or accelerator partitioning. */
  partition?: { mode: 'mig' | 'accelerator'; profile?: string; count?: number };
}

/**
 * A preset reference.
 *
 * @public
 */
export interface PresetSpec {
  name: string;
  /** Deprecated. */
  accessMode?: 'public' | 'private';
  presetOptions?: {
    /** Secret (same namespace) with key `HF_TOKEN`, for gated models. */
    modelAccessSecret?: string;
    /** Deprecated. */
    image?: string;
    /** Deprecated. */
    imagePullSecrets?: string[];
  };
}

/**
 * A data source: exactly one of `urls`, `image` or `volumeSource`.
 *
 * @public
 */
export interface DataSource {
  name?: string;
  urls?: string[];
  image?: string;
  imagePullSecrets?: string[];
  volumeSource?: VolumeSource;
}

/**
 * A data destination: exactly one of `image` (with `imagePushSecret`) or
 * `volumeSource`.
 *
 * @public
 */
export interface DataDestination {
  image?: string;
  imagePushSecret?: string;
  volumeSource?: VolumeSource;
}

/**
 * A LoRA adapter loaded by an inference workspace.
 *
 * @public
 */
export interface AdapterSpec {
  /** `name` must be a unique DNS subdomain; image or volume only. */
  source: DataSource;
  /** "0" to "1", default "1.0". */
  strength?: string;
}

/**
 * `inference` of a Workspace: exactly one of `preset` or `template`.
 *
 * @public
 */
export interface InferenceSpec {
  preset?: PresetSpec;
  /** A PodTemplateSpec for a custom model (schemaless). */
  template?: Record<string, unknown>;
  /** ConfigMap with key `inference_config.yaml`. */
  config?: string;
  adapters?: AdapterSpec[];
}

/**
 * `tuning` of a Workspace.
 *
 * @public
 */
export interface TuningSpec {
  preset: PresetSpec;
  /** `lora` or `qlora`, compared case-insensitively by KAITO. */
  method?: string;
  /** ConfigMap with key `training_config.yaml`. */
  config?: string;
  input: DataSource;
  output: DataDestination;
}

/**
 * A standard Kubernetes condition.
 *
 * @public
 */
export interface WorkspaceCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/**
 * `status.state` (KAITO v0.9+).
 *
 * @public
 */
export type WorkspaceState =
  | 'Pending'
  | 'Ready'
  | 'NotReady'
  | 'Running'
  | 'Succeeded'
  | 'Failed';

/**
 * A post-load benchmark metric (`status.performance.metrics`, v0.10+).
 *
 * @public
 */
export interface WorkspacePerformanceMetric {
  description?: string;
  value: number | string;
  unit?: string;
  config?: Record<string, unknown>;
}

/**
 * `status` of a Workspace.
 *
 * @public
 */
export interface WorkspaceStatus {
  workerNodes?: string[];
  conditions?: WorkspaceCondition[];
  state?: WorkspaceState;
  targetNodeCount?: number;
  performance?: { metrics?: Record<string, WorkspacePerformanceMetric> };
}

/**
 * A KAITO Workspace (`kaito.sh/v1beta1`, tolerant of `v1alpha1`).
 *
 * @public
 */
export interface Workspace {
  apiVersion: string;
  kind: string;
  metadata: KaitoObjectMeta;
  resource?: WorkspaceResourceSpec;
  inference?: InferenceSpec;
  tuning?: TuningSpec;
  status?: WorkspaceStatus;
}

/**
 * Workspace condition types (api/v1beta1/condition_types.go).
 *
 * @public
 */
export const WorkspaceConditionTypes = {
  NodeClaimReady: 'NodeClaimReady',
  NodesReady: 'NodesReady',
  ResourceReady: 'ResourceReady',
  InferenceReady: 'InferenceReady',
  BenchmarkCompleted: 'BenchmarkCompleted',
  JobStarted: 'JobStarted',
  WorkspaceSucceeded: 'WorkspaceSucceeded',
  WorkspaceDeleting: 'WorkspaceDeleting',
  ModelMirrorReady: 'ModelMirrorReady',
  /** Up to KAITO v0.4.1. */
  MachineReady: 'MachineReady',
  /** Up to KAITO v0.3.0 (renamed WorkspaceSucceeded). */
  WorkspaceReady: 'WorkspaceReady',
} as const;

/**
 * A Workspace condition type.
 *
 * @public
 */
export type WorkspaceConditionType =
  (typeof WorkspaceConditionTypes)[keyof typeof WorkspaceConditionTypes];

/**
 * Condition reasons KAITO sets (kaito.md §2.2). `NodeClaimReady` can also
 * carry the Karpenter NodeClaim's own reason (e.g. a quota error).
 *
 * @public
 */
export const WorkspaceConditionReasons = {
  NodeClaimsReady: 'NodeClaimsReady',
  NodeClaimNotReady: 'NodeClaimNotReady',
  AwaitingReconciliation: 'AwaitingReconciliation',
  NodesReady: 'NodesReady',
  NodeNotReady: 'NodeNotReady',
  NodePluginsNotReady: 'NodePluginsNotReady',
  ResourceStatusSuccess: 'workspaceResourceStatusSuccess',
  ResourceStatusNotReady: 'workspaceResourceStatusNotReady',
  ModelMirrorNotReady: 'ModelMirrorNotReady',
  InferenceStatusSuccess: 'WorkspaceInferenceStatusSuccess',
  InferenceStatusPending: 'WorkspaceInferenceStatusPending',
  ImagePullError: 'ImagePullError',
  ContainerCrashLoopBackOff: 'ContainerCrashLoopBackOff',
  ContainerOOMKilled: 'ContainerOOMKilled',
  ContainerStartError: 'ContainerStartError',
  PodEvicted: 'PodEvicted',
  NodeDiskPressure: 'NodeDiskPressure',
  NodeMemoryPressure: 'NodeMemoryPressure',
  Unschedulable: 'Unschedulable',
  SASTokenFetchFailed: 'SASTokenFetchFailed',
  ModelMirrorCreateFailed: 'ModelMirrorCreateFailed',
  BenchmarkCompleted: 'BenchmarkCompleted',
  BenchmarkFailed: 'BenchmarkFailed',
  TuningJobStarted: 'WorkspaceTuningJobStatusStarted',
  TuningJobPending: 'WorkspaceTuningJobStatusPending',
  TuningJobFailed: 'WorkspaceTuningJobStatusFailed',
  WorkspaceSucceeded: 'workspaceSucceeded',
  WorkspacePending: 'workspacePending',
  WorkspaceFailed: 'workspaceFailed',
  WorkspaceDeleted: 'workspaceDeleted',
  ModelMirrorReady: 'ModelMirrorReady',
  ModelMirrorPending: 'ModelMirrorPending',
} as const;

/**
 * Reasons of `InferenceReady=False` that name a failure rather than progress.
 *
 * @public
 */
export const INFERENCE_FAILURE_REASONS: readonly string[] = [
  WorkspaceConditionReasons.ImagePullError,
  WorkspaceConditionReasons.ContainerCrashLoopBackOff,
  WorkspaceConditionReasons.ContainerOOMKilled,
  WorkspaceConditionReasons.ContainerStartError,
  WorkspaceConditionReasons.PodEvicted,
  WorkspaceConditionReasons.NodeDiskPressure,
  WorkspaceConditionReasons.NodeMemoryPressure,
  WorkspaceConditionReasons.Unschedulable,
  WorkspaceConditionReasons.SASTokenFetchFailed,
  WorkspaceConditionReasons.ModelMirrorCreateFailed,
];

/**
 * Reasons of node conditions that mean "still working on it"; any other
 * False reason (e.g. a Karpenter quota error) is a problem to show.
 *
 * @public
 */
export const NODE_PROGRESS_REASONS: readonly string[] = [
  WorkspaceConditionReasons.NodeClaimNotReady,
  WorkspaceConditionReasons.AwaitingReconciliation,
  WorkspaceConditionReasons.NodeNotReady,
  WorkspaceConditionReasons.NodePluginsNotReady,
  WorkspaceConditionReasons.ResourceStatusNotReady,
];
