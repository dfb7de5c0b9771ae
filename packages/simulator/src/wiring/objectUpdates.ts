import type { KubeObject, ObjectRef, ObjectStore } from '../kube/api';
import { StatusError } from '../kube/errors';

/**
 * Read-modify-write against the store with optimistic concurrency, as a
 * controller does with `retry.RetryOnConflict`. `mutate` edits a copy of
 * the latest object and returns false when there is nothing to write.
 */
export async function mutateObject(
  store: ObjectStore,
  ref: ObjectRef,
  mutate: (obj: KubeObject) => boolean | void,
  options: { status?: boolean } = {},
): Promise<KubeObject | undefined> {
  for (let attempt = 0; ; attempt++) {
    const current = store.get(ref);
    if (!current) return undefined;
    const copy = structuredClone(current);
    if (mutate(copy) === false) return current;
    try {
      return options.status
        ? await store.updateStatus(copy)
        : await store.update(copy);
    } catch (error) {
      if (isStatus(error, 409) && attempt < 8) continue;
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }
}

export function isStatus(error: unknown, code: number): boolean {
  return error instanceof StatusError && error.code === code;
}

/** Creates the object unless one with its name exists; returns the stored one. */
export async function createIfAbsent(
  store: ObjectStore,
  obj: KubeObject,
): Promise<KubeObject> {
  try {
    return await store.create(obj);
  } catch (error) {
    if (isStatus(error, 409)) {
      const [group] = splitApiVersion(obj.apiVersion);
      const existing = store.get({
        group,
        plural: pluralOf(obj.kind),
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
      });
      if (existing) return existing;
    }
    throw error;
  }
}

/** Deletes, treating "already gone" as success. */
export async function deleteIfPresent(
  store: ObjectStore,
  ref: ObjectRef,
  options?: { propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' },
): Promise<void> {
  try {
    await store.delete(ref, options);
  } catch (error) {
    if (!isStatus(error, 404)) throw error;
  }
}

export function splitApiVersion(
  apiVersion: string,
): [group: string, version: string] {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? ['', apiVersion]
    : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

const PLURALS: Record<string, string> = {
  Pod: 'pods',
  Node: 'nodes',
  Service: 'services',
  Event: 'events',
  Secret: 'secrets',
  ConfigMap: 'configmaps',
  Namespace: 'namespaces',
  Job: 'jobs',
  StatefulSet: 'statefulsets',
  Deployment: 'deployments',
  NodeClaim: 'nodeclaims',
  Workspace: 'workspaces',
};

export function pluralOf(kind: string): string {
  return PLURALS[kind] ?? `${kind.toLowerCase()}s`;
}
