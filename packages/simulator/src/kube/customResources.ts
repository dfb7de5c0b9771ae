/**
 * Custom resources served from their CustomResourceDefinition, as
 * apiextensions-apiserver serves them: the type (names, scope, versions,
 * status subresource, printer columns) comes from the CRD object, and every
 * write is pruned, defaulted and validated against the structural schema of
 * the version it was sent in before validating admission runs.
 *
 * Any `apiextensions.k8s.io/v1` CRD works; the simulator registers the ones
 * it vendors verbatim (see `src/crds.ts`).
 */
import type { KubeObject, PrinterColumn, ResourceType } from './api';
import { toStatusCause } from './fieldErrors';
import { applyDefaults, pruneNonNullableNulls } from './schemaDefaulting';
import { pruneObjectMeta, pruneUnknownFields } from './schemaPruning';
import { validateCustomResource } from './schemaValidation';
import type { JsonSchemaProps } from './jsonSchema';
import type { InMemoryObjectStore } from './store';
import type { ResourceStrategy } from './strategy';

interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: JsonSchemaProps };
  subresources?: { status?: object; scale?: object };
  additionalPrinterColumns?: {
    name: string;
    type: PrinterColumn['type'];
    jsonPath: string;
    description?: string;
    priority?: number;
    format?: string;
  }[];
  selectableFields?: { jsonPath: string }[];
}

interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: {
    plural: string;
    singular?: string;
    kind: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions: CrdVersion[];
  preserveUnknownFields?: boolean;
}

const specOf = (crd: KubeObject) => crd.spec as CrdSpec;

/** The `openAPIV3Schema` of a served version of a type registered from a CRD. */
export function schemaOf(
  type: ResourceType,
  version: string,
): JsonSchemaProps | undefined {
  if (!type.definition) return undefined;
  return specOf(type.definition).versions.find(v => v.name === version)?.schema
    ?.openAPIV3Schema;
}

const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
};

/** The ResourceType a CRD defines (what the API server's discovery and handlers derive from it). */
export function resourceTypeFromCrd(crd: KubeObject): ResourceType {
  const spec = specOf(crd);
  const served = spec.versions.filter(v => v.served);
  const storage = spec.versions.find(v => v.storage);
  if (!storage || served.length === 0) {
    throw new Error(
      `${crd.metadata.name}: a CRD needs a storage version and a served version`,
    );
  }
  const columns = (v: CrdVersion): PrinterColumn[] =>
    v.additionalPrinterColumns?.length
      ? v.additionalPrinterColumns.map(c => ({
          name: c.name,
          type: c.type,
          jsonPath: c.jsonPath,
          ...(c.description ? { description: c.description } : {}),
          ...(c.priority ? { priority: c.priority } : {}),
        }))
      : [AGE_COLUMN];
  const byVersion = Object.fromEntries(served.map(v => [v.name, columns(v)]));
  return {
    group: spec.group,
    plural: spec.names.plural,
    kind: spec.names.kind,
    singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
    namespaced: spec.scope === 'Namespaced',
    versions: served.map(v => v.name),
    storageVersion: storage.name,
    ...(spec.names.shortNames?.length
      ? { shortNames: spec.names.shortNames }
      : {}),
    ...(spec.names.categories?.length
      ? { categories: spec.names.categories }
      : {}),
    ...(storage.subresources?.status ? { subresources: ['status'] } : {}),
    printerColumns: byVersion[storage.name] ?? columns(served[0]),
    printerColumnsByVersion: byVersion,
    // ResourceType has one list for every version: the storage version's.
    ...(storage.selectableFields?.length
      ? {
          fieldLabels: storage.selectableFields.map(f =>
            f.jsonPath.replace(/^\./, ''),
          ),
        }
      : {}),
    definition: crd,
  };
}

/**
 * The registry strategy of a custom resource: decoding prunes unknown fields
 * (returning their paths for `fieldValidation`) and applies defaults;
 * validation checks the structural schema of the request's version.
 */
export function customResourceStrategy(type: ResourceType): ResourceStrategy {
  const preserveAll = specOf(type.definition!).preserveUnknownFields === true;
  return {
    decode(obj, version) {
      const schema = schemaOf(type, version);
      const unknown = pruneObjectMeta(obj);
      if (!preserveAll) {
        unknown.push(...pruneUnknownFields(obj, schema));
        pruneNonNullableNulls(obj, schema);
      }
      applyDefaults(obj, schema);
      return unknown;
    },
    validate(obj, old, version) {
      const schema = schemaOf(type, version ?? type.storageVersion);
      if (!schema) return [];
      return validateCustomResource(obj, schema)
        .filter(
          err =>
            !old ||
            !unchangedAt(
              obj,
              old,
              // A missing field is judged by the object that lacks it.
              err.type === 'FieldValueRequired'
                ? err.field.replace(/(\.[^.[]+|\[\d+\])$/, '')
                : err.field,
            ),
        )
        .map(toStatusCause);
    },
  };
}

const MISSING = Symbol('missing');

/** The value at a field path such as `resource.labelSelector.matchLabels.kaito.sh/x` or `a[0].b`. */
function valueAt(root: unknown, path: string): unknown {
  const segments = path.split(/\.|(?=\[)/);
  let value: unknown = root;
  for (let i = 0; i < segments.length; i++) {
    const index = /^\[(\d+)\]$/.exec(segments[i]);
    if (index) {
      if (!Array.isArray(value)) return MISSING;
      value = value[Number(index[1])];
      continue;
    }
    if (typeof value !== 'object' || value === null) return MISSING;
    // Keys may contain dots (label keys); take the longest key present.
    let matched = false;
    for (let j = segments.length; j > i; j--) {
      const key = segments.slice(i, j).join('.');
      if (key in (value as object)) {
        value = (value as Record<string, unknown>)[key];
        i = j - 1;
        matched = true;
        break;
      }
    }
    if (!matched) return MISSING;
  }
  return value;
}

/**
 * Validation ratcheting (CRDValidationRatcheting, on by default since 1.30):
 * on update, errors of a value left as it was are not reported.
 */
function unchangedAt(obj: unknown, old: unknown, field: string): boolean {
  if (field === '<nil>') return false;
  return (
    JSON.stringify(valueAt(obj, field)) === JSON.stringify(valueAt(old, field))
  );
}

/** Serves the custom resources a CRD defines (and the CRD object itself, verbatim). */
export function registerCustomResourceDefinition(
  store: InMemoryObjectStore,
  crd: KubeObject,
  extra: ResourceStrategy = {},
): ResourceType {
  const type = resourceTypeFromCrd(crd);
  store.registerType(type, { ...customResourceStrategy(type), ...extra });
  return type;
}
