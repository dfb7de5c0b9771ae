/**
 * Namespace lifecycle, as the NamespaceLifecycle admission plugin and the
 * namespace controller handle it: no new content in a missing or terminating
 * namespace; deleting a namespace marks it Terminating and deletes its
 * content; once empty it is finalized and removed.
 */
import type { KubeObject, ObjectStore, ResourceKey, ResourceType } from './api';
import { forbidden, notFound } from './errors';
import { clone, deepEqual, formatTimestamp } from './objects';
import type { ObjectStorage, RegisteredType } from './objectStorage';
import type { PropagationPolicy } from './strategy';

export const NAMESPACES: ResourceKey = { group: '', plural: 'namespaces' };

/** How the garbage collector deletes what a terminating namespace holds. */
export interface ObjectDeletion {
  deleteNow(
    registered: RegisteredType,
    key: string,
    current: KubeObject,
    policy: PropagationPolicy,
  ): KubeObject;
  remove(registered: RegisteredType, key: string, last: KubeObject): KubeObject;
}

export class NamespaceLifecycle {
  constructor(
    private readonly storage: ObjectStorage,
    private readonly now: () => Date,
  ) {}

  /** NamespaceLifecycle admission: 404 for a missing namespace, 403 for a terminating one. */
  checkAcceptsCreate(type: ResourceType, namespace: string | undefined) {
    if (!type.namespaced || !namespace) {
      return;
    }
    const registered = this.storage.registered(NAMESPACES);
    const ns = registered?.objects.get(namespace);
    if (!registered) {
      return;
    }
    if (!ns) {
      throw notFound('', 'namespaces', namespace);
    }
    if (ns.metadata.deletionTimestamp) {
      throw forbidden(
        `unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          name: namespace,
          kind: 'namespaces',
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${namespace} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        },
      );
    }
  }

  terminate(
    registered: RegisteredType,
    key: string,
    current: KubeObject,
    deletion: ObjectDeletion,
  ): KubeObject {
    const next = clone(current);
    next.metadata.deletionTimestamp = formatTimestamp(this.now());
    next.metadata.deletionGracePeriodSeconds = 0;
    next.status = { ...((next.status as object) ?? {}), phase: 'Terminating' };
    this.storage.commitModified(registered, key, next, current);
    const name = current.metadata.name;
    for (const other of this.storage.all()) {
      if (!other.type.namespaced) {
        continue;
      }
      for (const [objKey, obj] of [...other.objects]) {
        if (obj.metadata.namespace === name && other.objects.has(objKey)) {
          deletion.deleteNow(
            other,
            objKey,
            other.objects.get(objKey)!,
            'Background',
          );
        }
      }
    }
    this.finishIfEmpty(name, deletion);
    return registered.objects.get(key) ?? next;
  }

  finishIfEmpty(name: string, deletion: ObjectDeletion) {
    const registered = this.storage.registered(NAMESPACES);
    const ns = registered?.objects.get(name);
    if (!registered || !ns?.metadata.deletionTimestamp) {
      return;
    }
    for (const other of this.storage.all()) {
      if (other.type.namespaced) {
        for (const obj of other.objects.values()) {
          if (obj.metadata.namespace === name) {
            return;
          }
        }
      }
    }
    // The namespace controller's `finalize` call: drop the `kubernetes` spec finalizer.
    const next = clone(ns);
    if (next.spec && typeof next.spec === 'object') {
      next.spec = { ...(next.spec as object), finalizers: [] };
    }
    if (next.metadata.finalizers?.length) {
      if (!deepEqual(next, ns)) {
        this.storage.commitModified(registered, name, next, ns);
      }
    } else {
      deletion.remove(registered, name, next);
    }
  }
}

/** Namespaces every AKS cluster with the KAITO add-on has. */
export const DEFAULT_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'kaito-workspace',
];

/** Creates the given namespaces (skipping ones that exist). Requires the Namespace type to be registered. */
export async function seedNamespaces(
  store: ObjectStore,
  names: string[] = DEFAULT_NAMESPACES,
): Promise<void> {
  for (const name of names) {
    if (!store.get({ ...NAMESPACES, name })) {
      await store.create({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      });
    }
  }
}
