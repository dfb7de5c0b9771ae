/**
 * Names KAITO v0.12 uses on the wire: API group, labels, annotations,
 * finalizers, condition types and reasons. Paths refer to
 * github.com/kaito-project/kaito (see /work/shared/reference/kaito.md).
 */

export const KAITO_GROUP = 'kaito.sh';
export const WORKSPACE_KEY = { group: KAITO_GROUP, plural: 'workspaces' };
export const NODECLAIM_KEY = { group: 'karpenter.sh', plural: 'nodeclaims' };

/** `api/v1beta1/labels.go` */
export const LABEL_WORKSPACE = 'kaito.sh/workspace';
export const LABEL_WORKSPACE_NAMESPACE = 'kaito.sh/workspacenamespace';
export const ANNOTATION_REVISION = 'workspace.kaito.io/revision';
export const ANNOTATION_HASH = 'workspace.kaito.io/hash';
export const ANNOTATION_BYPASS_RESOURCE_CHECKS =
  'kaito.sh/bypass-resource-checks';
export const ANNOTATION_NODE_IMAGE_FAMILY = 'kaito.sh/node-image-family';
export const ANNOTATION_RUNTIME = 'kaito.sh/runtime';
export const ANNOTATION_PERFORMANCE_MODE = 'kaito.sh/performance-mode';
export const ANNOTATION_USE_LOCAL_WEIGHTS = 'kaito.sh/use-local-weights';
export const ANNOTATION_NODE_CLASS_NAME = 'kaito.sh/node-class-name';

/**
 * Selector keys KAITO strips from `resource.labelSelector` (they belong to
 * KAITO-managed objects; `SanitizedMatchLabels` in `api/v1beta1`).
 */
export const RESERVED_SELECTOR_LABELS = [
  'kaito.sh/workspace',
  'kaito.sh/workspacenamespace',
  'kaito.sh/ragengine',
  'kaito.sh/ragenginenamespace',
  // Karpenter NodePool management labels (`pkg/utils/consts`)
  'karpenter.kaito.sh/workspace-name',
  'karpenter.kaito.sh/workspace-namespace',
  'karpenter.kaito.sh/inferenceset',
  'karpenter.kaito.sh/inferenceset-namespace',
];

/** `pkg/utils/consts` */
export const WORKSPACE_FINALIZER = 'workspace.finalizer.kaito.sh';
export const WEBHOOK_NAME = 'validation.workspace.kaito.sh';
export const GPU_TAINT = { key: 'sku', value: 'gpu', effect: 'NoSchedule' };
export const KAITO_NODEPOOL = 'kaito';

/** Karpenter (`sigs.k8s.io/karpenter/pkg/apis/v1`). */
export const LABEL_NODEPOOL = 'karpenter.sh/nodepool';
export const ANNOTATION_DO_NOT_DISRUPT = 'karpenter.sh/do-not-disrupt';
export const NODECLAIM_TERMINATION_FINALIZER = 'karpenter.sh/termination';

/** Where KAITO's chart (the AKS add-on) lives and keeps its templates. */
export const RELEASE_NAMESPACE = 'kube-system';
export const DEFAULT_LORA_CONFIG = 'lora-params-template';
export const DEFAULT_QLORA_CONFIG = 'qlora-params-template';
export const DEFAULT_INFERENCE_CONFIG = 'inference-params-template';
export const MAX_ADAPTERS = 10;

/** `api/v1beta1/condition_types.go` */
export const Condition = {
  NodeClaimReady: 'NodeClaimReady',
  NodesReady: 'NodesReady',
  ResourceReady: 'ResourceReady',
  InferenceReady: 'InferenceReady',
  JobStarted: 'JobStarted',
  WorkspaceSucceeded: 'WorkspaceSucceeded',
  WorkspaceDeleting: 'WorkspaceDeleting',
} as const;

export type WorkspaceState =
  | 'Pending'
  | 'Ready'
  | 'NotReady'
  | 'Running'
  | 'Succeeded'
  | 'Failed';

export type NodeProvisioner = 'azure-gpu-provisioner' | 'byo';

/** Images KAITO v0.12 puts in its pods (`pkg/workspace/*`, chart values). */
export const Images = {
  base: 'mcr.microsoft.com/aks/kaito/kaito-base:0.2.8',
  oras: 'mcr.microsoft.com/oss/v2/oras-project/oras:v1.2.3',
  curl: 'curlimages/curl',
  pause: 'registry.k8s.io/pause:latest',
  modelWeights: (presetName: string) =>
    `mcr.microsoft.com/aks/kaito/kaito-${presetName}:0.2.0`,
};

/** Container port of KAITO's inference and tuning servers. */
export const PORT_INFERENCE_SERVER = 5000;
