import {
  KAITO_LABEL_WORKSPACE,
  LABEL_KUBERNETES_ID,
} from '@kaito-backstage/plugin-kaito-common';

/*
 * What the watch cache watches on every cluster, and where on the API
 * server each kind is listed.
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
  /** A missing API (404 on list) is expected and does not make the cluster unhealthy. */
  optional?: boolean;
  /**
   * A label whose value the cache indexes objects of this kind by (see
   * `ClusterWatchCache.listByLabel`), so reads for one value do not scan
   * every object.
   */
  indexLabel?: string;
}

/** What the cache watches on every cluster. */
export const WATCHED_RESOURCES: WatchedResource[] = [
  {
    kind: 'workspaces',
    group: 'kaito.sh',
    version: 'v1beta1',
    plural: 'workspaces',
    namespaced: true,
    // The label the Kubernetes plugin maps entities by.
    indexLabel: LABEL_KUBERNETES_ID,
  },
  {
    // Only with node auto-provisioning (gpu-provisioner); absent in BYO mode.
    kind: 'nodeclaims',
    group: 'karpenter.sh',
    version: 'v1',
    plural: 'nodeclaims',
    namespaced: false,
    optional: true,
  },
  { kind: 'nodes', group: '', version: 'v1', plural: 'nodes', namespaced: false },
  {
    kind: 'jobs',
    group: 'batch',
    version: 'v1',
    plural: 'jobs',
    namespaced: true,
    labelSelector: KAITO_LABEL_WORKSPACE,
  },
  {
    kind: 'pods',
    group: '',
    version: 'v1',
    plural: 'pods',
    namespaced: true,
    labelSelector: KAITO_LABEL_WORKSPACE,
  },
  { kind: 'events', group: '', version: 'v1', plural: 'events', namespaced: true },
];

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
