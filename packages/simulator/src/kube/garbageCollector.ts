/**
 * Deletion with owner references, as the garbage collector handles it:
 * propagation policies (Orphan, Background, Foreground with its
 * `foregroundDeletion` finalizer), finalizers holding an object in
 * Terminating, and what happens to dependents once an owner is gone.
 */
import type { KubeObject, OwnerReference } from './api';
import type { NamespaceLifecycle, ObjectDeletion } from './namespaceLifecycle';
import { NAMESPACES } from './namespaceLifecycle';
import { clone, formatTimestamp, typeKeyOf } from './objects';
import type {
  ObjectStorage,
  RegisteredType,
  StoredObject,
} from './objectStorage';
import type { PropagationPolicy } from './strategy';
import { normalizeMetadata } from './writePreparation';

const FOREGROUND_FINALIZER = 'foregroundDeletion';

export class GarbageCollector implements ObjectDeletion {
  constructor(
    private readonly storage: ObjectStorage,
    private readonly namespaces: NamespaceLifecycle,
    private readonly now: () => Date,
  ) {}

  /** Deletes now: removed at once, or marked for deletion while finalizers (or foreground dependents) hold it. */
  deleteNow(
    registered: RegisteredType,
    key: string,
    current: KubeObject,
    policy: PropagationPolicy,
  ): KubeObject {
    if (current.metadata.deletionTimestamp) {
      return current;
    }
    if (typeKeyOf(registered.type) === typeKeyOf(NAMESPACES)) {
      return this.namespaces.terminate(registered, key, current, this);
    }
    const uid = current.metadata.uid!;
    if (policy === 'Orphan') {
      this.orphanDependents(uid);
    }
    const finalizers = [...(current.metadata.finalizers ?? [])];
    if (
      policy === 'Foreground' &&
      this.dependentsOf(uid).length > 0 &&
      !finalizers.includes(FOREGROUND_FINALIZER)
    ) {
      finalizers.push(FOREGROUND_FINALIZER);
    }
    if (finalizers.length === 0) {
      return this.remove(registered, key, current);
    }
    const next = clone(current);
    next.metadata.deletionTimestamp = formatTimestamp(this.now());
    next.metadata.deletionGracePeriodSeconds = 0;
    next.metadata.finalizers = finalizers;
    this.storage.commitModified(registered, key, next, current);
    if (finalizers.includes(FOREGROUND_FINALIZER)) {
      for (const dependent of this.dependentsOf(uid)) {
        this.deleteNow(
          dependent.registered,
          dependent.key,
          dependent.obj,
          'Foreground',
        );
      }
      this.releaseForegroundOwner(uid);
    }
    return registered.objects.get(key) ?? next;
  }

  /** Removes the object from storage, emits DELETED, then runs the garbage collector's reactions. */
  remove(
    registered: RegisteredType,
    key: string,
    last: KubeObject,
  ): KubeObject {
    const removed = this.storage.commitDeleted(registered, key, last);
    this.afterRemoval(registered, removed);
    return removed;
  }

  private dependentsOf(uid: string): StoredObject[] {
    const found: StoredObject[] = [];
    for (const registered of this.storage.all()) {
      for (const [key, obj] of registered.objects) {
        if (obj.metadata.ownerReferences?.some(ref => ref.uid === uid)) {
          found.push({ registered, key, obj });
        }
      }
    }
    return found;
  }

  private orphanDependents(uid: string) {
    for (const { registered, key, obj } of this.dependentsOf(uid)) {
      const next = clone(obj);
      next.metadata.ownerReferences = obj.metadata.ownerReferences!.filter(
        ref => ref.uid !== uid,
      );
      normalizeMetadata(next);
      this.storage.commitModified(registered, key, next, obj);
    }
  }

  /**
   * What the garbage collector and namespace controller do once an object is
   * gone: delete dependents left without a live owner (dropping references to
   * the gone owner from dependents that still have others), let a foreground
   * owner go when its last dependent did, and finish a terminating namespace.
   */
  private afterRemoval(registered: RegisteredType, removed: KubeObject) {
    const uid = removed.metadata.uid!;
    for (const dependent of this.dependentsOf(uid)) {
      const current = dependent.registered.objects.get(dependent.key);
      if (!current) {
        continue;
      }
      const live = current.metadata.ownerReferences!.filter(
        (ref: OwnerReference) => this.storage.isLive(ref.uid),
      );
      if (live.length === 0) {
        this.deleteNow(
          dependent.registered,
          dependent.key,
          current,
          'Background',
        );
      } else {
        const next = clone(current);
        next.metadata.ownerReferences = live;
        this.storage.commitModified(
          dependent.registered,
          dependent.key,
          next,
          current,
        );
      }
    }
    for (const ref of removed.metadata.ownerReferences ?? []) {
      this.releaseForegroundOwner(ref.uid);
    }
    if (registered.type.namespaced && removed.metadata.namespace) {
      this.namespaces.finishIfEmpty(removed.metadata.namespace, this);
    }
  }

  private releaseForegroundOwner(ownerUid: string) {
    const owner = this.storage.lookupUid(ownerUid);
    if (
      !owner ||
      !owner.obj.metadata.deletionTimestamp ||
      !owner.obj.metadata.finalizers?.includes(FOREGROUND_FINALIZER) ||
      this.dependentsOf(ownerUid).length > 0
    ) {
      return;
    }
    const next = clone(owner.obj);
    next.metadata.finalizers = owner.obj.metadata.finalizers.filter(
      f => f !== FOREGROUND_FINALIZER,
    );
    normalizeMetadata(next);
    if (next.metadata.finalizers?.length) {
      this.storage.commitModified(owner.registered, owner.key, next, owner.obj);
    } else {
      this.remove(owner.registered, owner.key, next);
    }
  }
}
