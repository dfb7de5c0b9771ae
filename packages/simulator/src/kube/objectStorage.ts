/**
 * The store's storage, as etcd and the generic registry's type table hold it:
 * registered types with their objects (in storage version, keyed as etcd keys
 * them), the uid index, the resourceVersion counter and the change feed every
 * write is published to. The rules of a write live in the store; this only
 * records what a write committed.
 */
import type { KubeObject, ObjectRef, ResourceKey, ResourceType } from './api';
import { StatusError, badRequest, invalid, notFound } from './errors';
import { clone, parseApiVersion, typeKeyOf } from './objects';
import type { ResourceStrategy } from './strategy';
import { WatchHub } from './watchHub';

export const DEFAULT_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

export interface RegisteredType {
  type: ResourceType;
  strategy: ResourceStrategy;
  /** Objects keyed by `namespace/name` (or `name` when cluster-scoped), in storage version. */
  objects: Map<string, KubeObject>;
}

/** A stored object with where it is stored. */
export interface StoredObject {
  registered: RegisteredType;
  key: string;
  obj: KubeObject;
}

export const objectKey = (namespace: string | undefined, name: string) =>
  namespace ? `${namespace}/${name}` : name;

/** The storage key of a reference, the namespace ignored for a cluster-scoped type. */
export const refKey = (
  type: ResourceType,
  ref: Pick<ObjectRef, 'name'> & { namespace?: string },
) => objectKey(type.namespaced ? ref.namespace : undefined, ref.name);

export const hasStatusSubresource = (type: ResourceType) =>
  (type.subresources ?? []).includes('status');

export const resourceNotFound = () =>
  new StatusError(
    404,
    'NotFound',
    'the server could not find the requested resource',
  );

/** The stored object at `key`, or 404 NotFound naming it. */
export function requireStored(
  registered: RegisteredType,
  key: string,
  name: string,
): KubeObject {
  const stored = registered.objects.get(key);
  if (!stored) {
    const { group, plural } = registered.type;
    throw notFound(group, plural, name);
  }
  return stored;
}

export class ObjectStorage {
  private readonly registry = new Map<string, RegisteredType>();
  /** uid -> where the live object is stored, for owner lookups. */
  private readonly byUid = new Map<string, { typeKey: string; key: string }>();
  readonly hub: WatchHub;
  private revision = 1;

  constructor(historyLimit: number) {
    this.hub = new WatchHub(Math.max(1, historyLimit));
  }

  // ---------------------------------------------------------------- types

  registerType(type: ResourceType, strategy: ResourceStrategy): void {
    if (!type.versions.includes(type.storageVersion)) {
      throw new Error(
        `${typeKeyOf(type)}: storage version ${
          type.storageVersion
        } is not among the served versions`,
      );
    }
    const key = typeKeyOf(type);
    const registered: ResourceType = {
      ...type,
      verbs: type.verbs ?? DEFAULT_VERBS,
    };
    const existing = this.registry.get(key);
    this.registry.set(key, {
      type: registered,
      strategy,
      objects: existing?.objects ?? new Map(),
    });
  }

  registered(key: ResourceKey): RegisteredType | undefined {
    return this.registry.get(typeKeyOf(key));
  }

  all(): IterableIterator<RegisteredType> {
    return this.registry.values();
  }

  /** The registered type for an apiVersion + kind, if that version is served. */
  typeForKind(apiVersion: string, kind: string): ResourceType | undefined {
    const { group, version } = parseApiVersion(apiVersion);
    for (const { type } of this.registry.values()) {
      if (
        type.group === group &&
        type.kind === kind &&
        type.versions.includes(version)
      ) {
        return type;
      }
    }
    return undefined;
  }

  requireType(key: ResourceKey): RegisteredType {
    const registered = this.registry.get(typeKeyOf(key));
    if (!registered) {
      throw resourceNotFound();
    }
    return registered;
  }

  typeOfObject(obj: KubeObject): RegisteredType {
    if (
      !obj ||
      typeof obj !== 'object' ||
      (obj.metadata !== undefined && typeof obj.metadata !== 'object')
    ) {
      throw badRequest('Object is not a valid Kubernetes object');
    }
    const type = this.typeForKind(obj.apiVersion, obj.kind);
    if (!type) {
      throw badRequest(
        `no kind "${obj.kind}" is registered for version "${obj.apiVersion}"`,
      );
    }
    return this.registry.get(typeKeyOf(type))!;
  }

  /** The storage key of an object sent for update: name (and namespace when namespaced) required. */
  keyOf(type: ResourceType, obj: KubeObject): string {
    if (!obj.metadata?.name) {
      throw invalid(type.kind, type.group, '', [
        {
          reason: 'FieldValueRequired',
          field: 'metadata.name',
          message: 'Required value: name is required',
        },
      ]);
    }
    if (type.namespaced && !obj.metadata.namespace) {
      throw invalid(type.kind, type.group, obj.metadata.name ?? '', [
        {
          reason: 'FieldValueRequired',
          field: 'metadata.namespace',
          message: 'Required value',
        },
      ]);
    }
    return refKey(type, obj.metadata);
  }

  lookupUid(uid: string): StoredObject | undefined {
    const location = this.byUid.get(uid);
    if (!location) {
      return undefined;
    }
    const registered = this.registry.get(location.typeKey)!;
    const obj = registered.objects.get(location.key);
    return obj ? { registered, key: location.key, obj } : undefined;
  }

  isLive(uid: string): boolean {
    return this.byUid.has(uid);
  }

  // ---------------------------------------------------------------- revisions and commits

  /** The newest resourceVersion (what a LIST issued now reports). */
  currentRevision(): number {
    return this.revision;
  }

  private nextRevision(): number {
    this.revision += 1;
    return this.revision;
  }

  /** Stores a new object under a new resourceVersion and emits ADDED. */
  commitAdded(registered: RegisteredType, key: string, obj: KubeObject) {
    const { type } = registered;
    obj.metadata.resourceVersion = String(this.nextRevision());
    registered.objects.set(key, obj);
    this.byUid.set(obj.metadata.uid!, { typeKey: typeKeyOf(type), key });
    this.hub.publish({
      resourceVersion: Number(obj.metadata.resourceVersion),
      typeKey: typeKeyOf(type),
      type: 'ADDED',
      object: clone(obj),
    });
  }

  /** Replaces a stored object under a new resourceVersion and emits MODIFIED. */
  commitModified(
    registered: RegisteredType,
    key: string,
    next: KubeObject,
    previous: KubeObject,
  ): KubeObject {
    next.metadata.resourceVersion = String(this.nextRevision());
    registered.objects.set(key, next);
    this.hub.publish({
      resourceVersion: Number(next.metadata.resourceVersion),
      typeKey: typeKeyOf(registered.type),
      type: 'MODIFIED',
      object: clone(next),
      previous: clone(previous),
    });
    return next;
  }

  /** Removes an object from storage under a new resourceVersion and emits DELETED; returns what was removed. */
  commitDeleted(
    registered: RegisteredType,
    key: string,
    last: KubeObject,
  ): KubeObject {
    const previous = registered.objects.get(key)!;
    const removed = clone(last);
    removed.metadata.resourceVersion = String(this.nextRevision());
    registered.objects.delete(key);
    this.byUid.delete(removed.metadata.uid!);
    this.hub.publish({
      resourceVersion: Number(removed.metadata.resourceVersion),
      typeKey: typeKeyOf(registered.type),
      type: 'DELETED',
      object: clone(removed),
      previous: clone(previous),
    });
    return removed;
  }
}
