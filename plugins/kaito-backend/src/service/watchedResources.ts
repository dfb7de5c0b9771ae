import { KubernetesObject } from '@kubernetes/client-node';
import {
  KAITO_LABEL_WORKSPACE,
  LABEL_KUBERNETES_ID,
} from '@kaito-backstage/plugin-kaito-common';

/*
 * What the watch cache watches on every cluster, where on the API server
 * each kind is listed, and how narrowly: a cluster runs far more than
 * KAITO (application pods, their events, ordinary nodes), and the cache
 * must grow with KAITO's objects, not with the cluster. Every informer
 * asks the API server only for what the suite reads (label and field
 * selectors, the namespaces that hold workspaces) and keeps objects
 * without the server's bookkeeping.
 */

/** The kinds the cache keeps per cluster. */
export type CachedKind =
  | 'workspaces'
  | 'nodeclaims'
  | 'nodes'
  | 'jobs'
  | 'pods'
  | 'events';

export interface WatchedResource {
  kind: CachedKind;
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * `cluster` (default): one informer over all namespaces (or one per
   * namespace of `kubernetes...clusters[].namespaces`).
   * `workspaceNamespaces`: one informer per namespace that holds workspaces,
   * started with its first workspace and stopped a while after its last.
   */
  scope?: 'cluster' | 'workspaceNamespaces';
  /** A missing API (404 on list) is expected and does not make the cluster unhealthy. */
  optional?: boolean;
  /**
   * A label whose value the cache indexes objects of this kind by (see
   * `ClusterWatchCache.listByLabel`), so reads for one value do not scan
   * every object.
   */
  indexLabel?: string;
  /** Drops what the suite never reads before the object is cached (mutates it). */
  trim?: (object: KubernetesObject) => KubernetesObject;
}

/** AKS's label on the nodes of GPU VM sizes (`nvidia`), the default node selector. */
export const AKS_GPU_NODE_LABEL = 'kubernetes.azure.com/accelerator';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The API server's bookkeeping, which nothing in the suite reads: field
 * managers (often larger than the object) and kubectl's last-applied copy.
 */
export function trimServerBookkeeping<T extends KubernetesObject>(object: T): T {
  const metadata = object.metadata;
  if (metadata) {
    delete metadata.managedFields;
    if (metadata.annotations?.[LAST_APPLIED] !== undefined) {
      delete metadata.annotations[LAST_APPLIED];
    }
  }
  return object;
}

/**
 * A Node as the suite reads it: its labels (GPU pool, instance type),
 * taints and conditions (readiness), capacity (GPUs). The image list,
 * addresses and node info a kubelet reports are dropped.
 */
export function trimNode(object: KubernetesObject): KubernetesObject {
  const node = trimServerBookkeeping(object) as KubernetesObject & {
    status?: Record<string, unknown>;
  };
  if (node.metadata) delete node.metadata.annotations;
  const status = node.status;
  if (status) {
    for (const key of Object.keys(status)) {
      if (!['conditions', 'capacity', 'allocatable'].includes(key)) {
        delete status[key];
      }
    }
  }
  return node;
}

/** Events of objects other than these kinds come from the namespaces that hold workspaces. */
const CLUSTER_WIDE_EVENT_KINDS = ['Workspace', 'NodeClaim', 'Node'];

const EVENTS: WatchedResource = {
  kind: 'events',
  group: '',
  version: 'v1',
  plural: 'events',
  namespaced: true,
  trim: trimServerBookkeeping,
};

/**
 * What the cache watches on every cluster. `nodeLabelSelector` selects the
 * nodes workspaces and GPU pools run on (AKS's GPU label by default; empty
 * for every node).
 */
export function watchedResources(
  options: { nodeLabelSelector?: string } = {},
): WatchedResource[] {
  const nodeLabelSelector = options.nodeLabelSelector ?? AKS_GPU_NODE_LABEL;
  return [
    {
      kind: 'workspaces',
      group: 'kaito.sh',
      version: 'v1beta1',
      plural: 'workspaces',
      namespaced: true,
      // The label the Kubernetes plugin maps entities by.
      indexLabel: LABEL_KUBERNETES_ID,
      trim: trimServerBookkeeping,
    },
    {
      // Only with node auto-provisioning (gpu-provisioner); absent in BYO
      // mode. KAITO's own claims carry the workspace label (the selector
      // KAITO itself watches them by); node auto-provisioning's general
      // purpose claims do not.
      kind: 'nodeclaims',
      group: 'karpenter.sh',
      version: 'v1',
      plural: 'nodeclaims',
      namespaced: false,
      optional: true,
      labelSelector: KAITO_LABEL_WORKSPACE,
      trim: trimServerBookkeeping,
    },
    {
      kind: 'nodes',
      group: '',
      version: 'v1',
      plural: 'nodes',
      namespaced: false,
      ...(nodeLabelSelector ? { labelSelector: nodeLabelSelector } : {}),
      trim: trimNode,
    },
    {
      kind: 'jobs',
      group: 'batch',
      version: 'v1',
      plural: 'jobs',
      namespaced: true,
      labelSelector: KAITO_LABEL_WORKSPACE,
      trim: trimServerBookkeeping,
    },
    {
      kind: 'pods',
      group: '',
      version: 'v1',
      plural: 'pods',
      namespaced: true,
      labelSelector: KAITO_LABEL_WORKSPACE,
      trim: trimServerBookkeeping,
    },
    // Events cannot be selected by their object's labels: workspaces', node
    // claims' and nodes' events by kind over the cluster, the rest (the
    // pods' and jobs') where workspaces live. The selectors do not overlap.
    ...CLUSTER_WIDE_EVENT_KINDS.map(kind => ({
      ...EVENTS,
      fieldSelector: `involvedObject.kind=${kind}`,
    })),
    {
      ...EVENTS,
      fieldSelector: CLUSTER_WIDE_EVENT_KINDS.map(
        kind => `involvedObject.kind!=${kind}`,
      ).join(','),
      scope: 'workspaceNamespaces',
    },
  ];
}

/** The default watch list (AKS GPU nodes). */
export const WATCHED_RESOURCES: WatchedResource[] = watchedResources();

export function resourcePath(
  resource: WatchedResource,
  namespace?: string,
): string {
  const prefix = resource.group
    ? `/apis/${resource.group}/${resource.version}`
    : `/api/${resource.version}`;
  const ns = resource.namespaced && namespace ? `/namespaces/${namespace}` : '';
  return `${prefix}${ns}/${resource.plural}`;
}

/** The path and selectors of an informer, as logs and errors name it. */
export function describeWatch(
  resource: WatchedResource,
  namespace?: string,
): string {
  const selectors = [resource.labelSelector, resource.fieldSelector]
    .filter(Boolean)
    .join(' ');
  return `${resourcePath(resource, namespace)}${selectors ? ` (${selectors})` : ''}`;
}
