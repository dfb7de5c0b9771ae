/**
 * Per-type behaviour of the registry, as `rest.RESTCreateStrategy` and friends
 * are upstream: what the server resets, defaults and allocates on write, and how
 * it answers DELETE. Types registered without one get CRD semantics.
 */
import type { KubeObject, PrinterColumn } from './api';
import type { StatusCause } from './errors';

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

/** A printer column whose cell is computed in code (built-in types), rather than read by JSONPath. */
export interface ComputedPrinterColumn extends PrinterColumn {
  cell(obj: KubeObject, now: Date): unknown;
}

export interface ResourceStrategy {
  /**
   * Keep `.status` sent on create. By default a type with a status subresource
   * drops it (Pods, Jobs, CRDs...); Nodes keep it because the kubelet registers
   * a Node with its status.
   */
  keepStatusOnCreate?: boolean;
  /** Server-side defaults and allocations on create (Pod phase, Service cluster IP, Job selector). */
  prepareForCreate?(obj: KubeObject): void;
  /** Carries server-allocated fields over on update (e.g. a Service's clusterIP). */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /**
   * Decoding a written object in the version it was sent in (custom
   * resources: pruning and defaulting); returns the paths of unknown fields
   * it dropped, for `fieldValidation`.
   */
  decode?(obj: KubeObject, version: string): string[];
  /** Type validation (in the request's version); any cause makes the write a 422 Invalid. */
  validate?(obj: KubeObject, old?: KubeObject, version?: string): StatusCause[];
  /**
   * Whether metadata.generation is set and bumped on spec changes (default true:
   * CRDs, Jobs, StatefulSets). Namespaces, Pods (before 1.34), Services,
   * ConfigMaps, Secrets, Nodes and Events have none.
   */
  tracksGeneration?: boolean;
  /** Name rule: DNS-1123 subdomain (default), DNS-1123 label (Namespaces) or DNS-1035 label (Services). */
  nameValidation?: 'subdomain' | 'dns1123Label' | 'dns1035Label';
  /** What DELETE without a propagationPolicy does; batch/v1 Jobs orphan their Pods, for compatibility. */
  defaultPropagationPolicy?: PropagationPolicy;
  /** DELETE answers with the deleted object (Pods, Services...) instead of a `Status` Success. */
  returnDeletedObject?: boolean;
  /** Replaces the whole table (NAME ... AGE) for types whose table does not start with NAME, like Events. */
  tableColumns?: ComputedPrinterColumn[];
  /**
   * Objects computed on every read instead of stored: what an aggregated or
   * virtual API serves (metrics.k8s.io, APIServices). Such types are read-only.
   */
  source?(): KubeObject[];
  /**
   * A create that is answered and never stored (TokenReview,
   * SubjectAccessReview, Binding): the 201 body for the posted object.
   */
  answerCreate?(obj: KubeObject, context: AnswerContext): Promise<KubeObject>;
}

export interface AnswerContext {
  /** The namespace on the URL, for namespaced reviews. */
  namespace?: string;
  /** The bearer token this API server accepts (TokenReview). */
  apiToken: string;
}
