import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';

/*
 * Where the suite's pages are and how they name a workspace: one encoding
 * of the AI Workspaces tab and its `?workspace=` parameter for the
 * frontend, the scaffolder outputs and the catalog entities' links, and the
 * in-cluster URL of a model server.
 */

/**
 * Coordinates of a workspace in the REST API.
 *
 * @public
 */
export interface WorkspaceRef {
  cluster: string;
  namespace: string;
  name: string;
}

/**
 * The path segment of the AI Workspaces entity tab
 * (`/catalog/:namespace/:kind/:name/kaito`).
 *
 * @public
 */
export const KAITO_ENTITY_TAB_PATH = 'kaito';

/**
 * A view of a workspace inside the AI Workspaces tab (`&view=`); the
 * overview when absent.
 *
 * @public
 */
export type WorkspaceTabView = 'logs' | 'chat';

/**
 * `cluster/namespace/name`, each part URI-encoded: the form the tab keeps
 * in its `?workspace=` parameter.
 *
 * @public
 */
export function formatWorkspaceRef(ref: WorkspaceRef): string {
  return [ref.cluster, ref.namespace, ref.name]
    .map(encodeURIComponent)
    .join('/');
}

/**
 * Parses {@link formatWorkspaceRef}'s output; undefined when malformed.
 *
 * @public
 */
export function parseWorkspaceRef(
  value: string | null | undefined,
): WorkspaceRef | undefined {
  const parts = value?.split('/');
  if (!parts || parts.length !== 3 || parts.some(p => !p)) {
    return undefined;
  }
  try {
    const [cluster, namespace, name] = parts.map(decodeURIComponent);
    return { cluster, namespace, name };
  } catch {
    return undefined;
  }
}

/**
 * The query string that opens a workspace (and one of its views) in the
 * AI Workspaces tab: `?workspace=<ref>[&view=<view>]`.
 *
 * @public
 */
export function workspaceTabQuery(
  ref: WorkspaceRef,
  view?: WorkspaceTabView,
): string {
  return `?workspace=${encodeURIComponent(formatWorkspaceRef(ref))}${
    view ? `&view=${view}` : ''
  }`;
}

function entityParts(
  entity: string | CompoundEntityRef,
): CompoundEntityRef | undefined {
  if (typeof entity !== 'string') return entity;
  try {
    return parseEntityRef(entity.trim());
  } catch {
    return undefined;
  }
}

/**
 * The entity's AI Workspaces tab, `/catalog/<namespace>/<kind>/<name>/kaito`
 * (kind and namespace lowercased, as the catalog's routes are); undefined
 * for a string that is not an entity ref.
 *
 * @public
 */
export function entityTabPath(
  entity: string | CompoundEntityRef,
): string | undefined {
  const parts = entityParts(entity);
  if (!parts) return undefined;
  return `/catalog/${[
    parts.namespace.toLocaleLowerCase('en-US'),
    parts.kind.toLocaleLowerCase('en-US'),
    parts.name,
  ]
    .map(encodeURIComponent)
    .join('/')}/${KAITO_ENTITY_TAB_PATH}`;
}

/**
 * A workspace (or one of its views) in its entity's AI Workspaces tab;
 * undefined when `entity` is not an entity ref.
 *
 * @public
 */
export function workspaceTabPath(
  entity: string | CompoundEntityRef,
  ref: WorkspaceRef,
  view?: WorkspaceTabView,
): string | undefined {
  const tab = entityTabPath(entity);
  return tab ? `${tab}${workspaceTabQuery(ref, view)}` : undefined;
}

/**
 * The in-cluster URL of an inference workspace's Service (port 80, which
 * forwards to the model server's port 5000).
 *
 * @public
 */
export function inferenceServiceUrl(ref: {
  namespace: string;
  name: string;
}): string {
  return `http://${ref.name}.${ref.namespace}.svc.cluster.local:80`;
}
