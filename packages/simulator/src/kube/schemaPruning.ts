/**
 * Pruning of unknown fields, as the API server decodes a custom resource
 * (apiextensions-apiserver `schema/pruning` and `schema/objectmeta`): fields
 * the structural schema does not declare are dropped, and their paths are
 * returned for `fieldValidation` (`unknown field "resource.foo"`).
 */
import {
  isJsonObject,
  preservesUnknownFields,
  type JsonObject,
  type JsonSchemaProps,
} from './jsonSchema';

const META_FIELDS = ['apiVersion', 'kind', 'metadata'];

class PathTracker {
  readonly unknown: string[] = [];
  private readonly parts: string[] = [];

  key(name: string, run: () => void) {
    const mark = this.parts.length;
    if (mark > 0) this.parts.push('.');
    this.parts.push(name);
    run();
    this.parts.length = mark;
  }

  index(i: number, run: () => void) {
    const mark = this.parts.length;
    this.parts.push('[', String(i), ']');
    run();
    this.parts.length = mark;
  }

  get depth() {
    return this.parts.length;
  }

  record(name: string) {
    this.key(name, () => this.unknown.push(this.parts.join('')));
  }
}

function childSchema(schema: JsonSchemaProps, key: string) {
  const property = schema.properties?.[key];
  if (property) return { found: true, schema: property };
  if (schema.additionalProperties !== undefined) {
    return {
      found: true,
      schema:
        typeof schema.additionalProperties === 'object'
          ? schema.additionalProperties
          : undefined,
    };
  }
  return { found: false, schema: undefined };
}

function prune(
  value: unknown,
  schema: JsonSchemaProps | undefined,
  paths: PathTracker,
  embedded = schema?.['x-kubernetes-embedded-resource'] === true,
) {
  if (preservesUnknownFields(schema)) {
    skipPrune(value, schema, paths, embedded);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) =>
      paths.index(i, () => prune(item, schema?.items, paths)),
    );
    return;
  }
  if (!isJsonObject(value)) return;
  for (const key of Object.keys(value)) {
    if (schema && embedded && META_FIELDS.includes(key)) continue;
    const child = schema
      ? childSchema(schema, key)
      : { found: false, schema: undefined };
    if (child.found) {
      paths.key(key, () => prune(value[key], child.schema, paths));
    } else {
      if (!META_FIELDS.includes(key) || paths.depth > 0 || !schema) {
        paths.record(key);
      }
      delete value[key];
    }
  }
}

function skipPrune(
  value: unknown,
  schema: JsonSchemaProps | undefined,
  paths: PathTracker,
  embedded: boolean,
) {
  if (!schema) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) =>
      paths.index(i, () =>
        skipPrune(
          item,
          schema.items,
          paths,
          schema.items?.['x-kubernetes-embedded-resource'] === true,
        ),
      ),
    );
    return;
  }
  if (!isJsonObject(value)) return;
  for (const key of Object.keys(value)) {
    if (embedded && META_FIELDS.includes(key)) continue;
    const child = childSchema(schema, key);
    if (child.found) {
      paths.key(key, () => prune(value[key], child.schema, paths));
    }
  }
}

/**
 * `pruning.PruneWithOptions(obj, schema, isResourceRoot=true)`: removes what
 * the schema does not declare (apiVersion, kind and metadata are kept at the
 * root) and returns the sorted paths of what was removed.
 */
export function pruneUnknownFields(
  obj: JsonObject,
  schema: JsonSchemaProps | undefined,
): string[] {
  const paths = new PathTracker();
  prune(obj, schema ?? {}, paths, true);
  return paths.unknown.sort();
}

type GoType = 'string' | 'bool' | 'int64' | 'map[string]string' | '[]string';

interface GoStruct {
  name: string;
  fields: Record<string, GoType | { list: GoStruct } | 'object'>;
}

const OWNER_REFERENCE: GoStruct = {
  name: 'OwnerReference',
  fields: {
    apiVersion: 'string',
    kind: 'string',
    name: 'string',
    uid: 'string',
    controller: 'bool',
    blockOwnerDeletion: 'bool',
  },
};

const MANAGED_FIELDS_ENTRY: GoStruct = {
  name: 'ManagedFieldsEntry',
  fields: {
    manager: 'string',
    operation: 'string',
    apiVersion: 'string',
    time: 'string',
    fieldsType: 'string',
    fieldsV1: 'object',
    subresource: 'string',
  },
};

const OBJECT_META: GoStruct = {
  name: 'ObjectMeta',
  fields: {
    name: 'string',
    generateName: 'string',
    namespace: 'string',
    selfLink: 'string',
    uid: 'string',
    resourceVersion: 'string',
    generation: 'int64',
    creationTimestamp: 'string',
    deletionTimestamp: 'string',
    deletionGracePeriodSeconds: 'int64',
    labels: 'map[string]string',
    annotations: 'map[string]string',
    ownerReferences: { list: OWNER_REFERENCE },
    finalizers: '[]string',
    managedFields: { list: MANAGED_FIELDS_ENTRY },
  },
};

/** A JSON decoding error of `metadata`, worded like encoding/json's `UnmarshalTypeError`. */
export class MetadataDecodeError extends Error {}

const jsonKind = (value: unknown) => {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  return 'object';
};

function checkScalar(value: unknown, type: GoType, field: string) {
  const ok = (() => {
    switch (type) {
      case 'string':
        return typeof value === 'string';
      case 'bool':
        return typeof value === 'boolean';
      case 'int64':
        return typeof value === 'number' && Number.isInteger(value);
      case 'map[string]string':
        return (
          isJsonObject(value) &&
          Object.values(value).every(v => typeof v === 'string' || v === null)
        );
      default:
        return (
          Array.isArray(value) &&
          value.every(v => typeof v === 'string' || v === null)
        );
    }
  })();
  if (!ok) {
    throw new MetadataDecodeError(
      `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${field} of type ${type}`,
    );
  }
}

function pruneStruct(
  value: JsonObject,
  struct: GoStruct,
  prefix: string,
  goPath: string,
  unknown: string[],
) {
  for (const key of Object.keys(value)) {
    const type = struct.fields[key];
    const path = prefix ? `${prefix}.${key}` : key;
    if (type === undefined) {
      unknown.push(path);
      delete value[key];
      continue;
    }
    const field = value[key];
    if (field === null || type === 'object') continue;
    if (typeof type === 'object') {
      if (!Array.isArray(field)) {
        throw new MetadataDecodeError(
          `json: cannot unmarshal ${jsonKind(
            field,
          )} into Go struct field ${goPath}.${key} of type []v1.${
            type.list.name
          }`,
        );
      }
      field.forEach((item, i) => {
        if (!isJsonObject(item)) {
          throw new MetadataDecodeError(
            `json: cannot unmarshal ${jsonKind(
              item,
            )} into Go struct field ${goPath}.${key} of type v1.${
              type.list.name
            }`,
          );
        }
        pruneStruct(
          item,
          type.list,
          `${path}[${i}]`,
          `${type.list.name}`,
          unknown,
        );
      });
      continue;
    }
    checkScalar(field, type, `${goPath}.${key}`);
  }
}

/**
 * `objectmeta.GetObjectMetaWithOptions`: decodes `metadata` as a Go
 * `ObjectMeta`, dropping (and returning as `metadata.<path>`) fields it does
 * not have; a wrongly typed field is a decode error.
 */
export function pruneObjectMeta(obj: JsonObject): string[] {
  const meta = obj.metadata;
  if (meta === undefined || meta === null) return [];
  if (!isJsonObject(meta)) {
    throw new MetadataDecodeError(
      `json: cannot unmarshal ${jsonKind(
        meta,
      )} into Go value of type v1.ObjectMeta`,
    );
  }
  const unknown: string[] = [];
  pruneStruct(meta, OBJECT_META, '', 'ObjectMeta', unknown);
  return unknown.map(path => `metadata.${path}`);
}
