import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  Workspace,
  getEntityKubernetesNamespace,
  getEntityLabelSelector,
  workspaceSelectorLabels,
} from '@kaito-backstage/plugin-kaito-common';
import {
  Requirement,
  matchesLabelSelector,
  parseLabelSelector,
} from './labelSelector';
import { ClusterWatchCache } from './WatchCache';

/*
 * Which workspaces belong to a catalog entity: the Kubernetes plugin's
 * mapping (kubernetes-id label, or the entity's label selector, optionally
 * in one namespace), read from the watch cache.
 */

/** How an entity maps to workspaces, as the Kubernetes plugin maps it. */
export interface EntityWorkspaceSelector {
  selector: string;
  requirements: Requirement[];
  namespace?: string;
}

/** The label selector and namespace an entity's workspaces are found by. */
export function entityWorkspaceSelector(entity: Entity): EntityWorkspaceSelector {
  const selector = getEntityLabelSelector(entity);
  let requirements: Requirement[];
  try {
    requirements = parseLabelSelector(selector);
  } catch (error) {
    throw new InputError(
      `Entity ${stringifyEntityRef(entity)} has an invalid backstage.io/kubernetes-label-selector annotation: ${
        (error as Error).message
      }`,
    );
  }
  return {
    selector,
    requirements,
    namespace: getEntityKubernetesNamespace(entity),
  };
}

/** Whether a workspace belongs to the entity of `selector`. */
export function workspaceMatchesEntity(
  ws: Workspace,
  selector: EntityWorkspaceSelector,
): boolean {
  if (selector.namespace && ws.metadata.namespace !== selector.namespace) {
    return false;
  }
  return matchesLabelSelector(
    selector.requirements,
    workspaceSelectorLabels(ws),
  );
}

/**
 * The workspaces of a cluster that an entity maps to. A selector that is
 * just `<label>=<value>` on the label the cache indexes workspaces by (the
 * `backstage.io/kubernetes-id` mapping) reads the index; any other label
 * selector scans the cache.
 */
export function entityWorkspaces(
  cache: ClusterWatchCache,
  selector: EntityWorkspaceSelector,
): Workspace[] {
  const [only] = selector.requirements;
  const indexLabel = cache.indexLabel('workspaces');
  if (
    selector.requirements.length === 1 &&
    only.op === 'eq' &&
    indexLabel !== undefined &&
    only.key === indexLabel
  ) {
    return cache.listByLabel<any>('workspaces', only.value, selector.namespace);
  }
  return cache
    .list<any>('workspaces', selector.namespace)
    .filter((ws: Workspace) => workspaceMatchesEntity(ws, selector));
}
