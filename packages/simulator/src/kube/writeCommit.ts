/**
 * The last step of a create or update, after admission: the checks that must
 * hold against what is stored now (the namespace still accepts content, the
 * name is free, the preconditions still match), then the commit — or
 * nothing for a dry run or a no-op.
 */
import type { KubeObject } from './api';
import { alreadyExists } from './errors';
import type { GarbageCollector } from './garbageCollector';
import type { NamespaceLifecycle } from './namespaceLifecycle';
import { clone, deepEqual, parseApiVersion } from './objects';
import {
  objectKey,
  requireStored,
  type ObjectStorage,
  type RegisteredType,
} from './objectStorage';
import {
  checkPreconditions,
  prepareUpdate,
  type PreparedUpdate,
} from './writePreparation';

export function commitCreate(
  storage: ObjectStorage,
  namespaces: NamespaceLifecycle,
  registered: RegisteredType,
  prepared: KubeObject,
  { dryRun }: { dryRun: boolean },
): KubeObject {
  const { type } = registered;
  const obj = clone(prepared);
  const meta = obj.metadata;
  namespaces.checkAcceptsCreate(type, meta.namespace);
  const key = objectKey(meta.namespace, meta.name);
  if (registered.objects.has(key)) {
    throw alreadyExists(type.group, type.plural, meta.name);
  }
  if (dryRun) {
    return obj;
  }
  storage.commitAdded(registered, key, obj);
  return clone(obj);
}

export function commitUpdate(
  storage: ObjectStorage,
  gc: GarbageCollector,
  registered: RegisteredType,
  key: string,
  prepared: PreparedUpdate,
  options: { expectedResourceVersion?: string; dryRun: boolean },
): KubeObject {
  const { type } = registered;
  const current = requireStored(registered, key, prepared.next.metadata.name);
  checkPreconditions(type, current, options.expectedResourceVersion, undefined);
  let { next } = prepared;
  if (current !== prepared.current) {
    // Written meanwhile (validating admission is asynchronous): redo BeforeUpdate on the newer object.
    next = prepareUpdate(
      registered,
      key,
      next,
      undefined,
      parseApiVersion(next.apiVersion).version || type.storageVersion,
    ).next;
  }
  if (deepEqual(next, current)) {
    // A no-op write: like etcd3's GuaranteedUpdate, no new resourceVersion and no event.
    return clone(current);
  }
  if (options.dryRun) {
    return next;
  }
  if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length) {
    return clone(gc.remove(registered, key, next));
  }
  return clone(storage.commitModified(registered, key, next, current));
}
