import { Entity } from '@backstage/catalog-model';

/*
 * Entity annotations (same keys as the Backstage Kubernetes plugin, so the
 * Kubernetes tab and the KAITO tab find the same objects), the labels and
 * annotations the suite stamps on the Workspaces it creates, the Azure tags
 * it puts on the GPU agent pools it creates, and the KAITO labels and
 * annotations it reads or sets.
 */

/**
 * Entity annotation naming the workload (`backstage.io/kubernetes-id`); also
 * the label key the Kubernetes plugin selects objects by.
 *
 * @public
 */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';

/**
 * Entity annotation with a label selector that overrides the default
 * `backstage.io/kubernetes-id=<id>`.
 *
 * @public
 */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';

/**
 * Entity annotation restricting lookups to one namespace.
 *
 * @public
 */
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';

/**
 * Label on Workspaces created by the suite: `backstage.io/kubernetes-id=<id>`,
 * where the id is the entity's kubernetes-id annotation or else its name.
 *
 * @public
 */
export const LABEL_KUBERNETES_ID = ANNOTATION_KUBERNETES_ID;

/**
 * Label marking Workspaces created by the suite.
 *
 * @public
 */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';

/**
 * Value of {@link LABEL_MANAGED_BY} on Workspaces created by the suite.
 *
 * @public
 */
export const MANAGED_BY_VALUE = 'backstage-kaito';

/**
 * Workspace annotation with the full ref of the owning entity, e.g.
 * `component:default/support-bot`.
 *
 * @public
 */
export const ANNOTATION_ENTITY_REF = 'kaito.backstage.io/entity-ref';

/**
 * Workspace annotation with the user entity ref of whoever created it.
 *
 * @public
 */
export const ANNOTATION_CREATED_BY = 'kaito.backstage.io/created-by';

/**
 * Workspace annotation with the id of the scaffolder task that created it.
 *
 * @public
 */
export const ANNOTATION_TEMPLATE_TASK_ID =
  'kaito.backstage.io/template-task-id';

/**
 * Node label key the suite puts in a Workspace's `labelSelector` when the
 * request names none; KAITO stamps it on the nodes it provisions.
 *
 * @public
 */
export const LABEL_WORKSPACE_NODE = 'kaito.backstage.io/workspace';

/**
 * Azure tags on GPU agent pools created by the suite. Tag names cannot
 * contain `/`, so these are flat keys.
 *
 * @public
 */
export const GPU_POOL_TAGS = {
  /** Always `true` on pools the suite created. */
  managed: 'kaito-backstage-managed',
  /** Full ref of the owning entity. */
  entity: 'kaito-backstage-entity',
  /** `<namespace>/<name>` of the Workspace the pool was created for. */
  workspace: 'kaito-backstage-workspace',
  /** User entity ref of whoever created the pool. */
  createdBy: 'kaito-backstage-created-by',
} as const;

/**
 * Label KAITO puts on the Job, StatefulSet and pods of a workspace
 * (`kaito.sh/workspace=<name>`).
 *
 * @public
 */
export const KAITO_LABEL_WORKSPACE = 'kaito.sh/workspace';

/**
 * Label KAITO puts on the NodeClaims it creates, with the workspace namespace.
 *
 * @public
 */
export const KAITO_LABEL_WORKSPACE_NAMESPACE = 'kaito.sh/workspacenamespace';

/**
 * Label key prefixes KAITO reserves: such keys are stripped from a
 * Workspace's `labelSelector` (api/v1beta1 SanitizedMatchLabels), and a
 * selector made only of them is rejected.
 *
 * @public
 */
export const RESERVED_LABEL_KEY_PREFIXES: readonly string[] = [
  'kaito.sh/',
  'karpenter.sh/',
];

/**
 * Workspace annotations KAITO reads (api/v1beta1/labels.go).
 *
 * @public
 */
export const KaitoAnnotations = {
  /** `vllm` or `transformers`. */
  runtime: 'kaito.sh/runtime',
  /** Skips the webhook's GPU-memory checks. */
  bypassResourceChecks: 'kaito.sh/bypass-resource-checks',
  /** `"True"` makes the Service a LoadBalancer (testing only). */
  enableLoadBalancer: 'kaito.sh/enablelb',
  /** `"true"` skips the post-load benchmark. */
  disableBenchmark: 'kaito.sh/disable-benchmark',
  /** `balanced`, `interactivity` or `throughput`. */
  performanceMode: 'kaito.sh/performance-mode',
  /** `ubuntu` or `azurelinux`. */
  nodeImageFamily: 'kaito.sh/node-image-family',
} as const;

/**
 * Whether a label key is reserved by KAITO.
 *
 * @public
 */
export function isReservedLabelKey(key: string): boolean {
  return RESERVED_LABEL_KEY_PREFIXES.some(prefix => key.startsWith(prefix));
}

/**
 * Whether an entity is mapped to Kubernetes objects, so the KAITO tab
 * applies: it has the kubernetes-id or the label-selector annotation (the
 * same test as the Kubernetes plugin's `isKubernetesAvailable`).
 *
 * @public
 */
export function isKaitoAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[ANNOTATION_KUBERNETES_ID] ||
      annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR],
  );
}

/**
 * The id Kubernetes objects of an entity are labelled with: its
 * kubernetes-id annotation, or else its name.
 *
 * @public
 */
export function getEntityKubernetesId(entity: Entity): string {
  return (
    entity.metadata.annotations?.[ANNOTATION_KUBERNETES_ID] ||
    entity.metadata.name
  );
}

/**
 * The label selector that finds an entity's Workspaces, as the Kubernetes
 * plugin computes it: the label-selector annotation, or else
 * `backstage.io/kubernetes-id=<id>`.
 *
 * @public
 */
export function getEntityLabelSelector(entity: Entity): string {
  return (
    entity.metadata.annotations?.[ANNOTATION_KUBERNETES_LABEL_SELECTOR] ||
    `${LABEL_KUBERNETES_ID}=${getEntityKubernetesId(entity)}`
  );
}

/**
 * The labels an entity's label selector is matched against for a Workspace:
 * its own labels plus the label KAITO puts on the workspace's Job,
 * StatefulSet pods and tuning pods (`kaito.sh/workspace=<name>`). KAITO
 * copies none of the Workspace's labels to its workloads, so
 * `kaito.sh/workspace` is the only label that finds a workspace's pods in the
 * Kubernetes plugin; matching it here too keeps both tabs on the same
 * workspaces.
 *
 * @public
 */
export function workspaceSelectorLabels(workspace: {
  metadata: { name?: string; labels?: Record<string, string> };
}): Record<string, string> {
  const { name, labels } = workspace.metadata;
  return name ? { ...labels, [KAITO_LABEL_WORKSPACE]: name } : { ...labels };
}

/**
 * The namespace an entity's objects are restricted to, if any.
 *
 * @public
 */
export function getEntityKubernetesNamespace(
  entity: Entity,
): string | undefined {
  return (
    entity.metadata.annotations?.[ANNOTATION_KUBERNETES_NAMESPACE] || undefined
  );
}
