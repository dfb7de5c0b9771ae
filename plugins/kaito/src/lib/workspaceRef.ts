import { WorkspaceRef } from '@kaito-backstage/plugin-kaito-common';

/** `cluster/namespace/name`, the form the tab keeps in its URL. */
export function formatWorkspaceRef(ref: WorkspaceRef): string {
  return [ref.cluster, ref.namespace, ref.name]
    .map(encodeURIComponent)
    .join('/');
}

/** Parses {@link formatWorkspaceRef}'s output; undefined when malformed. */
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

/** Whether two refs name the same workspace. */
export function sameWorkspace(a: WorkspaceRef, b: WorkspaceRef): boolean {
  return (
    a.cluster === b.cluster && a.namespace === b.namespace && a.name === b.name
  );
}
