/**
 * The contract between the simulated Kubernetes API server (src/kube) and the
 * controllers that run inside the simulator (src/kaito, src/wiring). The HTTP
 * layer and the controllers both go through an ObjectStore, so controllers see
 * exactly what a client would see, admission included.
 */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  generateName?: string;
  managedFields?: unknown[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Identifies a resource type the way a URL does: group ('' for core) + plural. */
export interface ResourceKey {
  group: string;
  plural: string;
}

export interface ObjectRef extends ResourceKey {
  namespace?: string;
  name: string;
}

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** A simple JSONPath as in CRD additionalPrinterColumns, e.g. `.status.state`. */
  jsonPath: string;
  description?: string;
  priority?: number;
}

export interface ResourceType extends ResourceKey {
  kind: string;
  singular: string;
  namespaced: boolean;
  /** Served versions; `storageVersion` is the one objects are stored in. */
  versions: string[];
  storageVersion: string;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  /** Subresources served, e.g. ['status'], ['log'], ['proxy']. */
  subresources?: string[];
  /** Server-side Table columns after NAME (AGE is appended automatically). */
  printerColumns?: PrinterColumn[];
  /** Per-version printer columns when they differ (KAITO v1alpha1 has fewer). */
  printerColumnsByVersion?: Record<string, PrinterColumn[]>;
  /**
   * The CustomResourceDefinition the type is served from (custom resources
   * registered with `registerCustomResourceDefinition`): its schemas drive
   * pruning, defaulting, validation and OpenAPI, and it is the CRD object served.
   */
  definition?: KubeObject;
  /**
   * Fields a `fieldSelector` may name. Built-in kinds with a field-label
   * conversion list all of theirs (metadata ones included); without it only
   * `metadata.name` and `metadata.namespace` are accepted. For custom
   * resources: the CRD's `selectableFields`, beside the metadata ones.
   */
  fieldLabels?: string[];
}

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

/**
 * When admission hooks run, as on the API server: mutating ones before the
 * object is validated against its type, validating ones (webhooks such as
 * KAITO's) after, on the final object.
 */
export type AdmissionPhase = 'mutating' | 'validating';

/**
 * The request's `fieldValidation` directive (default `Warn`) and what to do
 * with unknown fields: `Warn` reports each through `warn` (the API server's
 * `Warning` headers), `Strict` fails with `strictError`.
 */
export interface FieldValidation {
  directive: 'Ignore' | 'Warn' | 'Strict';
  warn?(message: string): void;
  /** The error of a Strict request; the wording differs between POST/PUT and PATCH. */
  strictError?(errors: string[]): Error;
}

export interface AdmissionRequest {
  operation: AdmissionOperation;
  /** The version the client used, e.g. 'v1alpha1' for a Workspace sent as v1alpha1. */
  requestVersion: string;
  object?: KubeObject;
  oldObject?: KubeObject;
}

/**
 * Throws an AdmissionDeniedError (422 Invalid / 403 Forbidden) to reject; may
 * return a mutated object (defaulting).
 */
export type AdmissionHook = (
  request: AdmissionRequest,
) => KubeObject | void | Promise<KubeObject | void>;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface ListQuery extends ResourceKey {
  namespace?: string;
  /** Kubernetes label selector syntax: `a=b,c!=d,e in (f,g),!h`. */
  labelSelector?: string;
  /** Kubernetes field selector syntax: `metadata.name=x,status.phase!=Running`. */
  fieldSelector?: string;
}

/**
 * Handler for a subresource that is not plain object storage: `pods/log`,
 * `services/proxy`. Registered by the controllers; called by the HTTP layer
 * with the raw request and response once auth and object lookup succeeded.
 */
export type SubresourceHandler = (ctx: {
  object: KubeObject;
  /** Path after the subresource, e.g. `/v1/chat/completions` for proxy. */
  path: string;
  query: URLSearchParams;
  /** services/proxy only: the port in `services/<name>:<port>/proxy` (name or number), when given. */
  port?: string;
  /** services/proxy only: the scheme in `services/<scheme>:<name>:<port>/proxy`, when given. */
  scheme?: string;
  req: import('node:http').IncomingMessage;
  res: import('node:http').ServerResponse;
}) => void | Promise<void>;

export interface ObjectStore {
  registerType(type: ResourceType): void;
  getType(key: ResourceKey): ResourceType | undefined;
  types(): ResourceType[];
  addAdmissionHook(key: ResourceKey, hook: AdmissionHook, phase?: AdmissionPhase): void;
  setSubresourceHandler(key: ResourceKey, subresource: string, handler: SubresourceHandler): void;

  get(ref: ObjectRef): KubeObject | undefined;
  list(query: ListQuery): { items: KubeObject[]; resourceVersion: string };
  /** Runs admission, fills uid/resourceVersion/creationTimestamp/generation, emits ADDED. */
  create(obj: KubeObject, options?: { requestVersion?: string; dryRun?: boolean; fieldValidation?: FieldValidation }): Promise<KubeObject>;
  /** Optimistic concurrency: a stale metadata.resourceVersion throws a 409 Conflict. */
  update(obj: KubeObject, options?: { requestVersion?: string; dryRun?: boolean; fieldValidation?: FieldValidation }): Promise<KubeObject>;
  /** Writes only `.status` (the status subresource); bypasses admission like the real API server. */
  updateStatus(obj: KubeObject): Promise<KubeObject>;
  /**
   * Sets deletionTimestamp when finalizers remain, otherwise removes the object;
   * dependents (ownerReferences) are garbage-collected in the background.
   */
  delete(ref: ObjectRef, options?: { propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' }): Promise<KubeObject | undefined>;
  /** Events from `resourceVersion` (exclusive) onward, or from now when omitted. */
  watch(query: ListQuery & { resourceVersion?: string }, onEvent: (event: WatchEvent) => void): () => void;
}
