/**
 * The object store behind the simulated API server: what etcd, the generic
 * registry (`k8s.io/apiserver/pkg/registry/generic/registry.Store`), the watch
 * cache, the garbage collector and the namespace controller do together on a
 * real control plane, for the semantics clients can observe.
 */
import { randomUUID } from 'node:crypto';
import type {
  AdmissionHook,
  AdmissionPhase,
  AdmissionRequest,
  FieldValidation,
  KubeObject,
  ListQuery,
  ObjectRef,
  ObjectStore,
  OwnerReference,
  ResourceKey,
  ResourceType,
  SubresourceHandler,
  WatchEvent,
} from './api';
import {
  StatusError,
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
} from './errors';
import { parseFieldSelector, type FieldSelector } from './fieldSelector';
import { parseLabelSelector, type LabelSelector } from './labelSelector';
import { validateMetadata } from './metadataValidation';
import { MetadataDecodeError } from './schemaPruning';
import {
  listExpired,
  parseResourceVersion,
  tooLargeResourceVersion,
} from './resourceVersions';
import {
  apiVersionOf,
  asVersion,
  clone,
  deepEqual,
  formatTimestamp,
  parseApiVersion,
  typeKeyOf,
} from './objects';
import type { PropagationPolicy, ResourceStrategy } from './strategy';
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

const NAMESPACES: ResourceKey = { group: '', plural: 'namespaces' };
const FOREGROUND_FINALIZER = 'foregroundDeletion';
const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

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

interface RegisteredType {
  type: ResourceType;
  strategy: ResourceStrategy;
  /** Objects keyed by `namespace/name` (or `name` when cluster-scoped), in storage version. */
  objects: Map<string, KubeObject>;
}

const objectKey = (namespace: string | undefined, name: string) =>
  namespace ? `${namespace}/${name}` : name;

const hasStatusSubresource = (type: ResourceType) =>
  (type.subresources ?? []).includes('status');

/** Drops empty collections from metadata, as Go's `omitempty` does when the server re-encodes. */
function normalizeMetadata(obj: KubeObject) {
  const meta = obj.metadata;
  for (const field of [
    'finalizers',
    'ownerReferences',
    'managedFields',
  ] as const) {
    if (Array.isArray(meta[field]) && meta[field]!.length === 0) {
      delete meta[field];
    }
  }
  for (const field of ['labels', 'annotations'] as const) {
    if (meta[field] && Object.keys(meta[field]!).length === 0) {
      delete meta[field];
    }
  }
}

function specPart(obj: KubeObject): Record<string, unknown> {
  const { metadata, status, apiVersion, kind, ...rest } = obj;
  return rest;
}

/** Byte order, as etcd orders keys (localeCompare would not). */
function compareKeys(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

export class InMemoryObjectStore implements ObjectStore {
  private readonly registry = new Map<string, RegisteredType>();
  private readonly hooks = new Map<
    string,
    { hook: AdmissionHook; phase: AdmissionPhase }[]
  >();
  private readonly subresourceHandlers = new Map<string, SubresourceHandler>();
  /** uid -> where the live object is stored, for owner lookups. */
  private readonly byUid = new Map<string, { typeKey: string; key: string }>();
  private readonly hub: WatchHub;
  private resourceVersion = 1;
  private readonly now: () => Date;

  constructor(options: InMemoryObjectStoreOptions = {}) {
    this.hub = new WatchHub(Math.max(1, options.historyLimit ?? 10_000));
    this.now = options.now ?? (() => new Date());
  }

  // ---------------------------------------------------------------- types

  registerType(type: ResourceType, strategy: ResourceStrategy = {}): void {
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

  getType(key: ResourceKey): ResourceType | undefined {
    return this.registry.get(typeKeyOf(key))?.type;
  }

  types(): ResourceType[] {
    return [...this.registry.values()].map(r => r.type);
  }

  getStrategy(key: ResourceKey): ResourceStrategy {
    return this.registry.get(typeKeyOf(key))?.strategy ?? {};
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
    const list = this.hooks.get(typeKeyOf(key)) ?? [];
    list.push({ hook, phase });
    this.hooks.set(typeKeyOf(key), list);
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
    return String(this.resourceVersion);
  }

  // ---------------------------------------------------------------- reads

  get(ref: ObjectRef): KubeObject | undefined {
    const registered = this.requireType(ref);
    const stored = this.objectsOf(registered).get(
      objectKey(
        registered.type.namespaced ? ref.namespace : undefined,
        ref.name,
      ),
    );
    return stored ? clone(stored) : undefined;
  }

  list(query: ListQuery): { items: KubeObject[]; resourceVersion: string } {
    const registered = this.requireType(query);
    return {
      items: this.select(registered, this.objectsOf(registered), query),
      resourceVersion: String(this.resourceVersion),
    };
  }

  /** A type's objects by key: stored, or computed now for a type with a source. */
  private objectsOf(registered: RegisteredType): Map<string, KubeObject> {
    const { source } = registered.strategy;
    if (!source) {
      return registered.objects;
    }
    return new Map(
      source().map(obj => [
        objectKey(
          registered.type.namespaced ? obj.metadata.namespace : undefined,
          obj.metadata.name,
        ),
        obj,
      ]),
    );
  }

  /**
   * The list as it was at `resourceVersion` (what etcd serves for an exact
   * or continued list), rebuilt from the change history: 410 Expired once that
   * history is compacted, 504 for a version the store has not reached.
   */
  listAt(
    query: ListQuery,
    resourceVersion: number,
  ): { items: KubeObject[]; resourceVersion: string } {
    const registered = this.requireType(query);
    if (resourceVersion > this.resourceVersion) {
      throw tooLargeResourceVersion(resourceVersion, this.resourceVersion);
    }
    if (registered.strategy.source) {
      return this.list(query);
    }
    const events = this.hub.eventsAfter(resourceVersion);
    if (!events) {
      throw listExpired();
    }
    const typeKey = typeKeyOf(registered.type);
    const objects = new Map(registered.objects);
    for (const event of events.reverse()) {
      if (event.typeKey !== typeKey) {
        continue;
      }
      const meta = event.object.metadata;
      const key = objectKey(
        registered.type.namespaced ? meta.namespace : undefined,
        meta.name,
      );
      if (event.type === 'ADDED') {
        objects.delete(key);
      } else {
        objects.set(key, event.previous!);
      }
    }
    return {
      items: this.select(registered, objects, query),
      resourceVersion: String(resourceVersion),
    };
  }

  private select(
    registered: RegisteredType,
    objects: Map<string, KubeObject>,
    query: ListQuery,
  ): KubeObject[] {
    const labels = parseLabelSelector(query.labelSelector);
    const fields = parseFieldSelector(query.fieldSelector);
    // Select first, then sort only what was selected: a selective list of
    // a type with many objects (events of a busy cluster) stays cheap.
    return [...objects.entries()]
      .filter(([, obj]) =>
        this.matches(obj, registered.type, query.namespace, labels, fields),
      )
      .sort(([a], [b]) => compareKeys(a, b))
      .map(([, obj]) => clone(obj));
  }

  // ---------------------------------------------------------------- writes

  async create(
    obj: KubeObject,
    options: StoreWriteOptions = {},
  ): Promise<KubeObject> {
    const registered = this.typeOfObject(obj);
    const { type } = registered;
    const requestVersion =
      options.requestVersion ?? this.requestVersionOf(type, obj);
    let candidate = clone(obj);
    candidate.metadata = {
      ...(candidate.metadata ?? {}),
    } as KubeObject['metadata'];
    const meta = candidate.metadata;
    if (!type.namespaced) {
      delete meta.namespace;
    } else if (!meta.namespace) {
      throw invalid(type.kind, type.group, meta.name ?? '', [
        {
          reason: 'FieldValueRequired',
          field: 'metadata.namespace',
          message: 'Required value',
        },
      ]);
    }
    if (meta.resourceVersion && /^[1-9]\d*$/.test(meta.resourceVersion)) {
      // etcd3 store: the real server answers this with a 500 and no reason.
      throw new StatusError(
        500,
        '',
        'resourceVersion should not be set on objects to be created',
      );
    }
    if (!meta.name && meta.generateName) {
      meta.name = this.generateName(meta.generateName);
    }
    if (!meta.name) {
      throw invalid(type.kind, type.group, '', [
        {
          reason: 'FieldValueRequired',
          field: 'metadata.name',
          message: 'Required value: name or generateName is required',
        },
      ]);
    }
    this.checkNamespaceAcceptsCreate(type, meta.namespace);
    candidate = asVersion(candidate, requestVersion);
    this.decode(registered, candidate, requestVersion, options.fieldValidation);
    candidate = await this.admit(type, {
      operation: 'CREATE',
      requestVersion,
      object: candidate,
    });
    const prepared = this.prepareCreate(registered, candidate, requestVersion);
    await this.admit(
      type,
      {
        operation: 'CREATE',
        requestVersion,
        object: asVersion(prepared, requestVersion),
      },
      'validating',
    );
    return this.commitCreate(registered, prepared, options.dryRun ?? false);
  }

  /**
   * Stores an object as a restore from backup would: no admission, no
   * validation (defaults and server-set fields are still filled). For preconditions such
   * as objects an earlier release of a webhook admitted that today's refuses.
   */
  async restore(obj: KubeObject): Promise<KubeObject> {
    const registered = this.typeOfObject(obj);
    const { storageVersion } = registered.type;
    // Read back from storage, objects are decoded (pruned, defaulted) as any other.
    const decoded = asVersion(clone(obj), storageVersion);
    this.decode(registered, decoded, storageVersion, { directive: 'Ignore' });
    const prepared = this.prepareCreate(registered, decoded, storageVersion, {
      validate: false,
    });
    return this.commitCreate(registered, prepared, false);
  }

  async update(
    obj: KubeObject,
    options: StoreWriteOptions = {},
  ): Promise<KubeObject> {
    const registered = this.typeOfObject(obj);
    const { type } = registered;
    const requestVersion =
      options.requestVersion ?? this.requestVersionOf(type, obj);
    const key = this.keyOf(type, obj);
    const existing = registered.objects.get(key);
    if (!existing) {
      throw notFound(type.group, type.plural, obj.metadata.name);
    }
    this.checkPreconditions(
      type,
      existing,
      obj.metadata.resourceVersion,
      obj.metadata.uid,
    );
    const decoded = asVersion(
      this.withServerFields(type, clone(obj), existing),
      requestVersion,
    );
    this.decode(registered, decoded, requestVersion, options.fieldValidation);
    const oldObject = asVersion(existing, requestVersion);
    const candidate = await this.admit(type, {
      operation: 'UPDATE',
      requestVersion,
      object: decoded,
      oldObject,
    });
    const prepared = this.prepareUpdate(
      registered,
      key,
      candidate,
      obj.metadata.resourceVersion,
      requestVersion,
    );
    await this.admit(
      type,
      {
        operation: 'UPDATE',
        requestVersion,
        object: asVersion(prepared.next, requestVersion),
        oldObject,
      },
      'validating',
    );
    return this.commitUpdate(registered, key, prepared, {
      expectedResourceVersion: obj.metadata.resourceVersion,
      dryRun: options.dryRun ?? false,
    });
  }

  async updateStatus(
    obj: KubeObject,
    options: StoreWriteOptions = {},
  ): Promise<KubeObject> {
    const registered = this.typeOfObject(obj);
    const { type } = registered;
    if (!hasStatusSubresource(type)) {
      throw new StatusError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    }
    const key = this.keyOf(type, obj);
    const current = registered.objects.get(key);
    if (!current) {
      throw notFound(type.group, type.plural, obj.metadata.name);
    }
    this.checkPreconditions(
      type,
      current,
      obj.metadata.resourceVersion,
      obj.metadata.uid,
    );
    const version =
      options.requestVersion ?? this.requestVersionOf(type, obj);
    const decoded = clone(obj);
    this.decode(registered, decoded, version, options.fieldValidation);
    const next = clone(current);
    if (decoded.status === undefined) {
      delete next.status;
    } else {
      next.status = decoded.status;
    }
    if (deepEqual(next, current)) {
      return clone(current);
    }
    this.validateSchemaOnly(registered, next, current, version);
    if (options.dryRun) {
      return next;
    }
    return clone(this.commitModified(registered, key, next, current));
  }

  /**
   * Throws 404 NotFound when the object does not exist (as the API does), so
   * the promise never resolves to undefined.
   */
  async delete(
    ref: ObjectRef,
    options: StoreDeleteOptions = {},
  ): Promise<KubeObject | undefined> {
    const registered = this.requireType(ref);
    const { type } = registered;
    const key = objectKey(
      type.namespaced ? ref.namespace : undefined,
      ref.name,
    );
    const existing = registered.objects.get(key);
    if (!existing) {
      throw notFound(type.group, type.plural, ref.name);
    }
    this.checkPreconditions(
      type,
      existing,
      options.preconditions?.resourceVersion,
      options.preconditions?.uid,
    );
    for (const phase of ['mutating', 'validating'] as const) {
      await this.admit(
        type,
        {
          operation: 'DELETE',
          requestVersion: type.storageVersion,
          oldObject: clone(existing),
        },
        phase,
      );
    }
    const current = registered.objects.get(key);
    if (!current) {
      throw notFound(type.group, type.plural, ref.name);
    }
    if (options.dryRun) {
      return clone(current);
    }
    const policy =
      options.propagationPolicy ??
      registered.strategy.defaultPropagationPolicy ??
      'Background';
    return clone(this.deleteNow(registered, key, current, policy));
  }

  // ---------------------------------------------------------------- watch

  watch(
    query: ListQuery & { resourceVersion?: string },
    onEvent: (event: WatchEvent) => void,
  ): () => void {
    const { type } = this.requireType(query);
    const namespace = type.namespaced ? query.namespace : undefined;
    const filter = {
      typeKey: typeKeyOf(type),
      namespace,
      labels: parseLabelSelector(query.labelSelector),
      fields: parseFieldSelector(query.fieldSelector),
    };
    const from = query.resourceVersion;
    if (!from) {
      return this.hub.subscribe(filter, onEvent, this.resourceVersion);
    }
    if (from === '0') {
      // "Any" resourceVersion: the current state as synthetic ADDED events, then changes.
      const { items } = this.list({ ...query, namespace });
      return this.hub.subscribe(filter, onEvent, this.resourceVersion, items);
    }
    const since = parseResourceVersion(from);
    if (since > this.resourceVersion) {
      throw tooLargeResourceVersion(since, this.resourceVersion);
    }
    return this.hub.subscribe(filter, onEvent, since);
  }

  // ---------------------------------------------------------------- internals: lookup

  private requireType(key: ResourceKey): RegisteredType {
    const registered = this.registry.get(typeKeyOf(key));
    if (!registered) {
      throw new StatusError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    }
    return registered;
  }

  private typeOfObject(obj: KubeObject): RegisteredType {
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

  private requestVersionOf(type: ResourceType, obj: KubeObject): string {
    const { version } = parseApiVersion(obj.apiVersion);
    return type.versions.includes(version) ? version : type.storageVersion;
  }

  private keyOf(type: ResourceType, obj: KubeObject): string {
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
    return objectKey(
      type.namespaced ? obj.metadata.namespace : undefined,
      obj.metadata.name,
    );
  }

  private lookupUid(
    uid: string,
  ): { registered: RegisteredType; key: string; obj: KubeObject } | undefined {
    const location = this.byUid.get(uid);
    if (!location) {
      return undefined;
    }
    const registered = this.registry.get(location.typeKey)!;
    const obj = registered.objects.get(location.key);
    return obj ? { registered, key: location.key, obj } : undefined;
  }

  private matches(
    obj: KubeObject,
    type: ResourceType,
    namespace: string | undefined,
    labels: LabelSelector,
    fields: FieldSelector,
  ): boolean {
    if (type.namespaced && namespace && obj.metadata.namespace !== namespace) {
      return false;
    }
    return labels.matches(obj.metadata.labels) && fields.matches(obj);
  }

  // ---------------------------------------------------------------- internals: write path

  private generateName(prefix: string): string {
    let suffix = '';
    for (let i = 0; i < 5; i++) {
      suffix +=
        GENERATE_NAME_ALPHABET[
          Math.floor(Math.random() * GENERATE_NAME_ALPHABET.length)
        ];
    }
    return `${prefix.slice(0, 58)}${suffix}`;
  }

  private checkNamespaceAcceptsCreate(
    type: ResourceType,
    namespace: string | undefined,
  ) {
    if (!type.namespaced || !namespace) {
      return;
    }
    const registered = this.registry.get(typeKeyOf(NAMESPACES));
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

  private checkPreconditions(
    type: ResourceType,
    current: KubeObject,
    resourceVersion: string | undefined,
    uid: string | undefined,
  ) {
    if (uid && uid !== current.metadata.uid) {
      throw new StatusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${
          type.group ? `${type.plural}.${type.group}` : type.plural
        } "${
          current.metadata.name
        }": Precondition failed: UID in precondition: ${uid}, UID in object meta: ${
          current.metadata.uid
        }`,
        {
          name: current.metadata.name,
          group: type.group || undefined,
          kind: type.plural,
        },
      );
    }
    if (
      resourceVersion &&
      resourceVersion !== current.metadata.resourceVersion
    ) {
      throw conflict(type.group, type.plural, current.metadata.name);
    }
  }

  private async admit(
    type: ResourceType,
    request: AdmissionRequest,
    phase: AdmissionPhase = 'mutating',
  ): Promise<KubeObject> {
    let object = request.object;
    for (const registration of this.hooks.get(typeKeyOf(type)) ?? []) {
      if (registration.phase !== phase) {
        continue;
      }
      const result = await registration.hook({ ...request, object });
      if (result && phase === 'mutating') {
        object = result;
      }
    }
    return object ?? request.oldObject!;
  }

  /**
   * The decoding step of a write: the type's strategy prunes and defaults;
   * unknown fields are then warned about, refused or ignored per the
   * request's `fieldValidation`, as the API server's handlers do.
   */
  private decode(
    registered: RegisteredType,
    obj: KubeObject,
    version: string,
    fieldValidation: FieldValidation | undefined,
  ) {
    const { type, strategy } = registered;
    if (!strategy.decode) {
      return;
    }
    const cannotBeHandled = (detail: string) =>
      badRequest(
        `${type.kind} in version "${version}" cannot be handled as a ${type.kind}: ${detail}`,
      );
    let unknown: string[];
    try {
      unknown = strategy.decode(obj, version);
    } catch (error) {
      if (error instanceof MetadataDecodeError) {
        throw cannotBeHandled(error.message);
      }
      throw error;
    }
    if (unknown.length === 0) {
      return;
    }
    const messages = unknown.map(path => `unknown field "${path}"`);
    switch (fieldValidation?.directive ?? 'Warn') {
      case 'Strict':
        throw (
          fieldValidation?.strictError?.(messages) ??
          cannotBeHandled(`strict decoding error: ${messages.join(', ')}`)
        );
      case 'Warn':
        for (const message of messages) {
          fieldValidation?.warn?.(message);
        }
        break;
      default:
    }
  }

  private validate(
    registered: RegisteredType,
    obj: KubeObject,
    old?: KubeObject,
    version?: string,
  ) {
    const { type, strategy } = registered;
    const causes = [
      ...validateMetadata(obj, strategy.nameValidation ?? 'subdomain', old),
      ...(strategy.validate?.(obj, old, version) ?? []),
    ];
    if (causes.length > 0) {
      throw invalid(type.kind, type.group, obj.metadata.name, causes);
    }
  }

  /** Status writes: the type's own validation only (ObjectMeta cannot change through status). */
  private validateSchemaOnly(
    registered: RegisteredType,
    obj: KubeObject,
    old: KubeObject,
    version: string,
  ) {
    const { type, strategy } = registered;
    const causes = strategy.validate?.(obj, old, version) ?? [];
    if (causes.length > 0) {
      throw invalid(type.kind, type.group, obj.metadata.name, causes);
    }
  }

  /** Puts back what only the server may set: identity, timestamps, generation and (with a status subresource) status. */
  private withServerFields(
    type: ResourceType,
    candidate: KubeObject,
    current: KubeObject,
  ): KubeObject {
    candidate.apiVersion = apiVersionOf(type.group, type.storageVersion);
    candidate.kind = type.kind;
    const meta = { ...(candidate.metadata ?? {}) } as KubeObject['metadata'];
    candidate.metadata = meta;
    const old = current.metadata;
    meta.name = old.name;
    if (type.namespaced) {
      meta.namespace = old.namespace;
    } else {
      delete meta.namespace;
    }
    meta.uid = old.uid;
    meta.creationTimestamp = old.creationTimestamp;
    for (const field of [
      'generation',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'managedFields',
    ] as const) {
      if (old[field] === undefined) {
        delete meta[field];
      } else {
        (meta as unknown as Record<string, unknown>)[field] = old[field];
      }
    }
    meta.resourceVersion = old.resourceVersion;
    if (hasStatusSubresource(type)) {
      if (current.status === undefined) {
        delete candidate.status;
      } else {
        candidate.status = clone(current.status);
      }
    }
    normalizeMetadata(candidate);
    return candidate;
  }

  /** What BeforeCreate does: server-set fields, strategy defaults, validation. Returns the object in storage version. */
  private prepareCreate(
    registered: RegisteredType,
    admitted: KubeObject,
    requestVersion: string,
    options: { validate: boolean } = { validate: true },
  ): KubeObject {
    const { type, strategy } = registered;
    const obj = clone(admitted);
    obj.apiVersion = apiVersionOf(type.group, type.storageVersion);
    obj.kind = type.kind;
    const meta = obj.metadata;
    if (!type.namespaced) {
      delete meta.namespace;
    }
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.resourceVersion;
    meta.uid = randomUUID();
    meta.creationTimestamp = formatTimestamp(this.now());
    if (strategy.tracksGeneration === false) {
      delete meta.generation;
    } else {
      meta.generation = 1;
    }
    if (hasStatusSubresource(type) && !strategy.keepStatusOnCreate) {
      delete obj.status;
    }
    normalizeMetadata(obj);
    strategy.prepareForCreate?.(obj);
    if (options.validate) {
      this.validate(registered, obj, undefined, requestVersion);
    }
    return obj;
  }

  private commitCreate(
    registered: RegisteredType,
    prepared: KubeObject,
    dryRun: boolean,
  ): KubeObject {
    const { type } = registered;
    const obj = clone(prepared);
    const meta = obj.metadata;
    this.checkNamespaceAcceptsCreate(type, meta.namespace);
    const key = objectKey(meta.namespace, meta.name);
    if (registered.objects.has(key)) {
      throw alreadyExists(type.group, type.plural, meta.name);
    }
    if (dryRun) {
      return obj;
    }
    meta.resourceVersion = String(this.nextResourceVersion());
    registered.objects.set(key, obj);
    this.byUid.set(meta.uid!, { typeKey: typeKeyOf(type), key });
    this.hub.publish({
      resourceVersion: Number(meta.resourceVersion),
      typeKey: typeKeyOf(type),
      type: 'ADDED',
      object: clone(obj),
    });
    return clone(obj);
  }

  /** What BeforeUpdate does: server-owned fields kept, strategy, validation, generation. */
  private prepareUpdate(
    registered: RegisteredType,
    key: string,
    admitted: KubeObject,
    expectedResourceVersion: string | undefined,
    requestVersion: string,
  ): { next: KubeObject; current: KubeObject } {
    const { type, strategy } = registered;
    const current = registered.objects.get(key);
    if (!current) {
      throw notFound(type.group, type.plural, admitted.metadata.name);
    }
    this.checkPreconditions(type, current, expectedResourceVersion, undefined);
    const next = this.withServerFields(type, clone(admitted), current);
    strategy.prepareForUpdate?.(next, current);
    this.validate(registered, next, current, requestVersion);
    if (
      strategy.tracksGeneration !== false &&
      !deepEqual(specPart(next), specPart(current))
    ) {
      next.metadata.generation = (current.metadata.generation ?? 0) + 1;
    }
    return { next, current };
  }

  private commitUpdate(
    registered: RegisteredType,
    key: string,
    prepared: { next: KubeObject; current: KubeObject },
    options: { expectedResourceVersion?: string; dryRun: boolean },
  ): KubeObject {
    const { type } = registered;
    const current = registered.objects.get(key);
    if (!current) {
      throw notFound(type.group, type.plural, prepared.next.metadata.name);
    }
    this.checkPreconditions(
      type,
      current,
      options.expectedResourceVersion,
      undefined,
    );
    let { next } = prepared;
    if (current !== prepared.current) {
      // Written meanwhile (validating admission is asynchronous): redo BeforeUpdate on the newer object.
      next = this.prepareUpdate(
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
      return clone(this.remove(registered, key, next));
    }
    return clone(this.commitModified(registered, key, next, current));
  }

  private commitModified(
    registered: RegisteredType,
    key: string,
    next: KubeObject,
    previous: KubeObject,
  ): KubeObject {
    next.metadata.resourceVersion = String(this.nextResourceVersion());
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

  /** Removes the object from storage, emits DELETED, then runs the garbage collector's reactions. */
  private remove(
    registered: RegisteredType,
    key: string,
    last: KubeObject,
  ): KubeObject {
    const previous = registered.objects.get(key)!;
    const removed = clone(last);
    removed.metadata.resourceVersion = String(this.nextResourceVersion());
    registered.objects.delete(key);
    this.byUid.delete(removed.metadata.uid!);
    this.hub.publish({
      resourceVersion: Number(removed.metadata.resourceVersion),
      typeKey: typeKeyOf(registered.type),
      type: 'DELETED',
      object: clone(removed),
      previous: clone(previous),
    });
    this.afterRemoval(registered, removed);
    return removed;
  }

  private deleteNow(
    registered: RegisteredType,
    key: string,
    current: KubeObject,
    policy: PropagationPolicy,
  ): KubeObject {
    if (current.metadata.deletionTimestamp) {
      return current;
    }
    if (typeKeyOf(registered.type) === typeKeyOf(NAMESPACES)) {
      return this.terminateNamespace(registered, key, current);
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
    this.commitModified(registered, key, next, current);
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

  // ---------------------------------------------------------------- internals: GC and namespaces

  private dependentsOf(
    uid: string,
  ): { registered: RegisteredType; key: string; obj: KubeObject }[] {
    const found: {
      registered: RegisteredType;
      key: string;
      obj: KubeObject;
    }[] = [];
    for (const registered of this.registry.values()) {
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
      this.commitModified(registered, key, next, obj);
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
        (ref: OwnerReference) => this.byUid.has(ref.uid),
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
        this.commitModified(dependent.registered, dependent.key, next, current);
      }
    }
    for (const ref of removed.metadata.ownerReferences ?? []) {
      this.releaseForegroundOwner(ref.uid);
    }
    if (registered.type.namespaced && removed.metadata.namespace) {
      this.finishNamespaceIfEmpty(removed.metadata.namespace);
    }
  }

  private releaseForegroundOwner(ownerUid: string) {
    const owner = this.lookupUid(ownerUid);
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
      this.commitModified(owner.registered, owner.key, next, owner.obj);
    } else {
      this.remove(owner.registered, owner.key, next);
    }
  }

  private terminateNamespace(
    registered: RegisteredType,
    key: string,
    current: KubeObject,
  ): KubeObject {
    const next = clone(current);
    next.metadata.deletionTimestamp = formatTimestamp(this.now());
    next.metadata.deletionGracePeriodSeconds = 0;
    next.status = { ...((next.status as object) ?? {}), phase: 'Terminating' };
    this.commitModified(registered, key, next, current);
    const name = current.metadata.name;
    for (const other of this.registry.values()) {
      if (!other.type.namespaced) {
        continue;
      }
      for (const [objKey, obj] of [...other.objects]) {
        if (obj.metadata.namespace === name && other.objects.has(objKey)) {
          this.deleteNow(
            other,
            objKey,
            other.objects.get(objKey)!,
            'Background',
          );
        }
      }
    }
    this.finishNamespaceIfEmpty(name);
    return registered.objects.get(key) ?? next;
  }

  private finishNamespaceIfEmpty(name: string) {
    const registered = this.registry.get(typeKeyOf(NAMESPACES));
    const ns = registered?.objects.get(name);
    if (!registered || !ns?.metadata.deletionTimestamp) {
      return;
    }
    for (const other of this.registry.values()) {
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
        this.commitModified(registered, name, next, ns);
      }
    } else {
      this.remove(registered, name, next);
    }
  }

  // ---------------------------------------------------------------- internals: events

  private nextResourceVersion(): number {
    this.resourceVersion += 1;
    return this.resourceVersion;
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
