import {
  KAITO_LABEL_WORKSPACE,
  KAITO_LABEL_WORKSPACE_NAMESPACE,
} from '@kaito-backstage/plugin-kaito-common';
import { KubernetesObject } from '@kubernetes/client-node';
import { CacheChange, ClusterWatchCache } from '../service/WatchCache';

/** A workspace of one cluster. */
export interface WorkspaceKey {
  namespace: string;
  name: string;
}

type CacheReader = Pick<ClusterWatchCache, 'get' | 'list'>;

function ownerOf(
  object: KubernetesObject | undefined,
  namespace = object?.metadata?.namespace,
): WorkspaceKey[] {
  const labels = object?.metadata?.labels;
  const name = labels?.[KAITO_LABEL_WORKSPACE];
  const ns = labels?.[KAITO_LABEL_WORKSPACE_NAMESPACE] ?? namespace;
  return name && ns ? [{ namespace: ns, name }] : [];
}

/** The workspaces running on a node (`status.workerNodes`). */
export function workspacesOnNode(
  cache: CacheReader,
  node: string,
): WorkspaceKey[] {
  return cache
    .list<any>('workspaces')
    .filter(ws => ws.status?.workerNodes?.includes(node))
    .map(ws => ({ namespace: ws.metadata.namespace, name: ws.metadata.name }));
}

/**
 * The workspaces whose views (list row or detail) a watch change can alter:
 * the workspace itself, the Job, pods and NodeClaims KAITO made for it
 * (labelled `kaito.sh/workspace`), events about any of those, and the
 * workspaces on a node. The caller decides whether a node change matters
 * (readiness); here every node change names its workspaces.
 */
export function workspacesOfChange(
  change: CacheChange,
  cache: CacheReader,
): WorkspaceKey[] {
  const object = change.object;
  switch (change.kind) {
    case 'workspaces':
      return [
        {
          namespace: object.metadata?.namespace ?? '',
          name: object.metadata?.name ?? '',
        },
      ];
    case 'jobs':
    case 'pods':
    case 'nodeclaims':
      return ownerOf(object);
    case 'nodes':
      return workspacesOnNode(cache, object.metadata?.name ?? '');
    case 'events': {
      const involved = (object as any).involvedObject as
        | { kind?: string; name?: string; namespace?: string }
        | undefined;
      if (!involved?.name) return [];
      const namespace = involved.namespace ?? object.metadata?.namespace;
      switch (involved.kind) {
        case 'Workspace':
          return namespace ? [{ namespace, name: involved.name }] : [];
        case 'Pod':
          return ownerOf(cache.get('pods', involved.name, namespace));
        case 'Job':
          return ownerOf(cache.get('jobs', involved.name, namespace));
        case 'NodeClaim':
          return ownerOf(cache.get('nodeclaims', involved.name));
        case 'Node':
          return workspacesOnNode(cache, involved.name);
        default:
          return [];
      }
    }
    default:
      return [];
  }
}
