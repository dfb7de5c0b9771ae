/**
 * The object store behind the simulated API server: what etcd, the generic
 * registry (`k8s.io/apiserver/pkg/registry/generic/registry.Store`), the watch
 * cache, the garbage collector and the namespace controller do together on a
 * real control plane, for the semantics clients can observe. This file is the
 * write path and the `ObjectStore` face; storage, reads, admission, decoding,
 * preparation, garbage collection and namespace lifecycle each have a module.
 */
import type {
  AdmissionHook,
  AdmissionPhase,
  FieldValidation,
  KubeObject,
  ListQuery,
  ObjectRef,
  ObjectStore,
  ResourceKey,
  ResourceType,
  SubresourceHandler,
  WatchEvent,
} from './api';
import { AdmissionChain } from './admissionChain';
import { GarbageCollector } from './garbageCollector';
import { NamespaceLifecycle } from './namespaceLifecycle';
import {
  ObjectStorage,
  hasStatusSubresource,
  refKey,
  requireStored,
  resourceNotFound,
} from './objectStorage';
import { asVersion, clone, deepEqual, typeKeyOf } from './objects';
import {
  getObject,
  listObjects,
  listObjectsAt,
  watchObjects,
  type ListResult,
} from './storeReads';
import type { PropagationPolicy, ResourceStrategy } from './strategy';
import { decodeWrite, validateWrite } from './writeDecoding';
import {
  checkCreateMetadata,
  checkPreconditions,
  prepareCreate,
  prepareUpdate,
  requestVersionOf,
  withServerFields,
} from './writePreparation';
import { commitCreate, commitUpdate } from './writeCommit';

export { DEFAULT_VERBS } from './objectStorage';
export { DEFAULT_NAMESPACES, seedNamespaces } from './namespaceLifecycle';

export interface InMemoryObjectStoreOptions {
  /** Watch events kept for resuming watches; older resourceVersions get 410 Gone. Default 10,000. */
  historyLimit?: number;
  now?: () => Date;
}

export interface StoreWriteOptions {
  requestVersion?: string;
  dryRun?: boolean;
  /** Default `Warn` without a sink: unknown fields are dropped silently, as for a client that ignores warnings. */
  fieldValidation?: FieldValidation;
}

export interface StoreDeleteOptions {
  propagationPolicy?: PropagationPolicy;
  dryRun?: boolean;
  /** As DeleteOptions.preconditions: a mismatch is a 409 Conflict. */
  preconditions?: { uid?: string; resourceVersion?: string };
}

export class InMemoryObjectStore implements ObjectStore {
  private readonly storage: ObjectStorage;
  private readonly admission = new AdmissionChain();
  private readonly subresourceHandlers = new Map<string, SubresourceHandler>();
  private readonly namespaces: NamespaceLifecycle;
  private readonly gc: GarbageCollector;
  private readonly now: () => Date;

  constructor(options: InMemoryObjectStoreOptions = {}) {
    this.storage = new ObjectStorage(options.historyLimit ?? 10_000);
    this.now = options.now ?? (() => new Date());
    this.namespaces = new NamespaceLifecycle(this.storage, this.now);
    this.gc = new GarbageCollector(this.storage, this.namespaces, this.now);
  }

  // ---------------------------------------------------------------- types

  registerType(type: ResourceType, strategy: ResourceStrategy = {}): void {
    this.storage.registerType(type, strategy);
  }

  getType(key: ResourceKey): ResourceType | undefined {
    return this.storage.registered(key)?.type;
  }

  types(): ResourceType[] {
    return [...this.storage.all()].map(r => r.type);
  }

  getStrategy(key: ResourceKey): ResourceStrategy {
    return this.storage.registered(key)?.strategy ?? {};
  }

  /** The registered type for an apiVersion + kind, if that version is served. */
  typeForKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.storage.typeForKind(apiVersion, kind);
  }

  /**
   * Mutating hooks (the default) run before the object is validated against
   * its type and may return a changed object; validating hooks run after,
   * on the final object, and can only deny.
   */
  addAdmissionHook(
    key: ResourceKey,
    hook: AdmissionHook,
    phase: AdmissionPhase = 'mutating',
  ): void {
    this.admission.add(key, hook, phase);
  }

  setSubresourceHandler(
    key: ResourceKey,
    subresource: string,
    handler: SubresourceHandler,
  ): void {
    this.subresourceHandlers.set(`${typeKeyOf(key)}/${subresource}`, handler);
  }

  getSubresourceHandler(
    key: ResourceKey,
    subresource: string,
  ): SubresourceHandler | undefined {
    return this.subresourceHandlers.get(`${typeKeyOf(key)}/${subresource}`);
  }

  /** The newest resourceVersion (what a LIST issued now reports). */
  currentResourceVersion(): string {
    return String(this.storage.currentRevision());
  }

  // ---------------------------------------------------------------- reads

  get(ref: ObjectRef): KubeObject | undefined {
    return getObject(this.storage, ref);
  }

  list(query: ListQuery): ListResult {
    return listObjects(this.storage, query);
  }

  /**
   * The list as it was at `resourceVersion` (what etcd serves for an exact
   * or continued list), rebuilt from the change history: 410 Expired once that
   * history is compacted, 504 for a version the store has not reached.
   */
  listAt(query: ListQuery, resourceVersion: number): ListResult {
    return listObjectsAt(this.storage, query, resourceVersion);
  }

  watch(
    query: ListQuery & { resourceVersion?: string },
    onEvent: (event: WatchEvent) => void,
  ): () => void {
    return watchObjects(this.storage, query, onEvent);
  }

  // ---------------------------------------------------------------- writes

  /** The registered type an object is written as, and the version the request is in. */
  private writeTarget(obj: KubeObject, options: StoreWriteOptions) {
    const registered = this.storage.typeOfObject(obj);
    const { type } = registered;
    return {
      registered,
      type,
      requestVersion: options.requestVersion ?? requestVersionOf(type, obj),
    };
  }

  async create(
    obj: KubeObject,
    options: StoreWriteOptions = {},
  ): Promise<KubeObject> {
    const { registered, type, requestVersion } = this.writeTarget(obj, options);
    let candidate = clone(obj);
    candidate.metadata = {
      ...(candidate.metadata ?? {}),
    } as KubeObject['metadata'];
    checkCreateMetadata(type, candidate.metadata);
    this.namespaces.checkAcceptsCreate(type, candidate.metadata.namespace);
    candidate = asVersion(candidate, requestVersion);
    decodeWrite(registered, candidate, requestVersion, options.fieldValidation);
    candidate = await this.admission.admit(type, {
      operation: 'CREATE',
      requestVersion,
      object: candidate,
    });
    const prepared = prepareCreate(
      registered,
      candidate,
      requestVersion,
      this.now(),
    );
    await this.admission.admit(
      type,
      {
        operation: 'CREATE',
        requestVersion,
        object: asVersion(prepared, requestVersion),
      },
      'validating',
    );
    return commitCreate(this.storage, this.namespaces, registered, prepared, {
      dryRun: options.dryRun ?? false,
    });
  }

  /**
   * Stores an object as a restore from backup would: no admission, no
   * validation (defaults and server-set fields are still filled). For preconditions such
   * as objects an earlier release of a webhook admitted that today's refuses.
   */
  async restore(obj: KubeObject): Promise<KubeObject> {
    const registered = this.storage.typeOfObject(obj);
    const { storageVersion } = registered.type;
    // Read back from storage, objects are decoded (pruned, defaulted) as any other.
    const decoded = asVersion(clone(obj), storageVersion);
    decodeWrite(registered, decoded, storageVersion, { directive: 'Ignore' });
    const prepared = prepareCreate(
      registered,
      decoded,
      storageVersion,
      this.now(),
      { validate: false },
    );
    return commitCreate(this.storage, this.namespaces, registered, prepared, {
      dryRun: false,
    });
  }

  async update(
    obj: KubeObject,
    options: StoreWriteOptions = {},
  ): Promise<KubeObject> {
    const { registered, type, requestVersion } = this.writeTarget(obj, options);
    const key = this.storage.keyOf(type, obj);
    const existing = requireStored(registered, key, obj.metadata.name);
    checkPreconditions(
      type,
      existing,
      obj.metadata.resourceVersion,
      obj.metadata.uid,
    );
    const decoded = asVersion(
      withServerFields(type, clone(obj), existing),
      requestVersion,
    );
    decodeWrite(registered, decoded, requestVersion, options.fieldValidation);
    const oldObject = asVersion(existing, requestVersion);
    const candidate = await this.admission.admit(type, {
      operation: 'UPDATE',
      requestVersion,
      object: decoded,
      oldObject,
    });
    const prepared = prepareUpdate(
      registered,
      key,
      candidate,
      obj.metadata.resourceVersion,
      requestVersion,
    );
    await this.admission.admit(
      type,
      {
        operation: 'UPDATE',
        requestVersion,
        object: asVersion(prepared.next, requestVersion),
        oldObject,
      },
      'validating',
    );
    return commitUpdate(this.storage, this.gc, registered, key, prepared, {
      expectedResourceVersion: obj.metadata.resourceVersion,
      dryRun: options.dryRun ?? false,
    });
  }

  async updateStatus(
    obj: KubeObject,
    options: StoreWriteOptions = {},
  ): Promise<KubeObject> {
    const {
      registered,
      type,
      requestVersion: version,
    } = this.writeTarget(obj, options);
    if (!hasStatusSubresource(type)) {
      throw resourceNotFound();
    }
    const key = this.storage.keyOf(type, obj);
    const current = requireStored(registered, key, obj.metadata.name);
    checkPreconditions(
      type,
      current,
      obj.metadata.resourceVersion,
      obj.metadata.uid,
    );
    const decoded = clone(obj);
    decodeWrite(registered, decoded, version, options.fieldValidation);
    const next = clone(current);
    if (decoded.status === undefined) {
      delete next.status;
    } else {
      next.status = decoded.status;
    }
    if (deepEqual(next, current)) {
      return clone(current);
    }
    validateWrite(registered, next, current, version, { metadata: false });
    if (options.dryRun) {
      return next;
    }
    return clone(this.storage.commitModified(registered, key, next, current));
  }

  /**
   * Throws 404 NotFound when the object does not exist (as the API does), so
   * the promise never resolves to undefined.
   */
  async delete(
    ref: ObjectRef,
    options: StoreDeleteOptions = {},
  ): Promise<KubeObject | undefined> {
    const registered = this.storage.requireType(ref);
    const { type } = registered;
    const key = refKey(type, ref);
    const existing = requireStored(registered, key, ref.name);
    checkPreconditions(
      type,
      existing,
      options.preconditions?.resourceVersion,
      options.preconditions?.uid,
    );
    for (const phase of ['mutating', 'validating'] as const) {
      await this.admission.admit(
        type,
        {
          operation: 'DELETE',
          requestVersion: type.storageVersion,
          oldObject: clone(existing),
        },
        phase,
      );
    }
    const current = requireStored(registered, key, ref.name);
    if (options.dryRun) {
      return clone(current);
    }
    const policy =
      options.propagationPolicy ??
      registered.strategy.defaultPropagationPolicy ??
      'Background';
    return clone(this.gc.deleteNow(registered, key, current, policy));
  }
}
