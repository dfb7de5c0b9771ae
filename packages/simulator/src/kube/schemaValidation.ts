/**
 * OpenAPI v3 schema validation of custom resources, as the API server does
 * it: the `SchemaValidator` of k8s.io/kube-openapi (a go-openapi fork) run
 * with the CRD's schema, its results turned into `field.Error`s the way
 * apiextensions-apiserver's `validation.ValidateCustomResource` does, so
 * every message has the upstream wording, e.g.
 * `resource.labelSelector: Required value` or
 * `inference.preset.accessMode: Unsupported value: "x": supported values: "public", "private"`.
 *
 * Validators run in upstream order (type, allOf/anyOf/oneOf/not, string,
 * format, number, array, enum, object); properties in schema order (Go's
 * map order is random, so the API server's own order varies).
 */
import type { FieldErr } from './fieldErrors';
import { isJsonObject, type JsonSchemaProps } from './jsonSchema';
import {
  type OpenApiError,
  IN,
  typeErrors,
  stringErrors,
  formatErrors,
  numberErrors,
  enumErrors,
  toFieldErr,
} from './schemaValueChecks';

function sliceErrors(
  schema: JsonSchemaProps,
  value: unknown[],
  path: string,
): OpenApiError[] {
  const errors: OpenApiError[] = [];
  if (schema.items) {
    value.forEach((item, i) =>
      errors.push(...validateValue(schema.items!, item, `${path}[${i}]`)),
    );
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    errors.push({
      code: 'minItems',
      name: path,
      value: value.length,
      valid: schema.minItems,
      message: `${path} in ${IN} should have at least ${schema.minItems} items`,
    });
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    errors.push({
      code: 'maxItems',
      name: path,
      value: value.length,
      valid: schema.maxItems,
      message: `${path} in ${IN} should have at most ${schema.maxItems} items`,
    });
  }
  if (schema.uniqueItems) {
    const seen = new Set<string>();
    if (value.some(item => seen.size === seen.add(JSON.stringify(item)).size)) {
      errors.push({
        code: 'unique',
        name: path,
        message: `${path} in ${IN} shouldn't contain duplicates`,
      });
    }
  }
  return errors;
}

function objectErrors(
  schema: JsonSchemaProps,
  value: Record<string, unknown>,
  path: string,
): OpenApiError[] {
  const errors: OpenApiError[] = [];
  const count = Object.keys(value).length;
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    errors.push({
      code: 'tooFewProperties',
      name: path,
      value: count,
      valid: schema.minProperties,
      message: `${path} in ${IN} should have at least ${schema.minProperties} properties`,
    });
  }
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    errors.push({
      code: 'tooManyProperties',
      name: path,
      value: count,
      valid: schema.maxProperties,
      message: `${path} in ${IN} should have at most ${schema.maxProperties} properties`,
    });
  }
  const properties = schema.properties ?? {};
  const additional = schema.additionalProperties;
  for (const key of Object.keys(value)) {
    if (key in properties) continue;
    if (additional === false) {
      errors.push({
        code: 'notAllowed',
        name: path,
        value: key,
        message: `${path}.${key} in ${IN} is a forbidden property`,
      });
    } else if (typeof additional === 'object') {
      errors.push(...validateValue(additional, value[key], `${path}.${key}`));
    }
  }
  for (const [name, property] of Object.entries(properties)) {
    if (name in value) {
      errors.push(
        ...validateValue(
          property,
          value[name],
          path ? `${path}.${name}` : name,
        ),
      );
    }
  }
  for (const name of schema.required ?? []) {
    if (!(name in value)) {
      errors.push({
        code: 'required',
        name: `${path}.${name}`,
        message: `${path}.${name} in ${IN} is required`,
      });
    }
  }
  return errors;
}

function junctorErrors(
  schema: JsonSchemaProps,
  value: unknown,
  path: string,
): OpenApiError[] {
  const errors: OpenApiError[] = [];
  const quoted = JSON.stringify(path);
  if (schema.anyOf?.length) {
    const results = schema.anyOf.map(s => validateValue(s, value, path));
    if (!results.some(r => r.length === 0)) {
      errors.push({
        message: `${quoted} must validate at least one schema (anyOf)`,
      });
      errors.push(...results[0]);
    }
  }
  if (schema.oneOf?.length) {
    const results = schema.oneOf.map(s => validateValue(s, value, path));
    const valid = results.filter(r => r.length === 0).length;
    if (valid !== 1) {
      errors.push({
        message: `${quoted} must validate one and only one schema (oneOf). ${
          valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`
        }`,
      });
      if (valid === 0) errors.push(...results[0]);
    }
  }
  if (schema.allOf?.length) {
    const results = schema.allOf.map(s => validateValue(s, value, path));
    for (const result of results) errors.push(...result);
    const valid = results.filter(r => r.length === 0).length;
    if (valid !== results.length) {
      errors.push({
        message: `${quoted} must validate all the schemas (allOf)${
          valid === 0 ? '. None validated' : ''
        }`,
      });
    }
  }
  if (schema.not && validateValue(schema.not, value, path).length === 0) {
    errors.push({ message: `${quoted} must not validate the schema (not)` });
  }
  return errors;
}

function validateValue(
  schema: JsonSchemaProps,
  value: unknown,
  path: string,
): OpenApiError[] {
  if (value === null || value === undefined) {
    return [
      ...typeErrors(schema, value, path),
      ...enumErrors(schema, value, path),
    ];
  }
  const errors = [
    ...typeErrors(schema, value, path),
    ...junctorErrors(schema, value, path),
  ];
  if (typeof value === 'string') {
    errors.push(...stringErrors(schema, value, path));
    errors.push(...formatErrors(schema, value, path));
  }
  if (typeof value === 'number')
    errors.push(...numberErrors(schema, value, path));
  if (Array.isArray(value)) errors.push(...sliceErrors(schema, value, path));
  errors.push(...enumErrors(schema, value, path));
  if (isJsonObject(value)) errors.push(...objectErrors(schema, value, path));
  return errors;
}

/** `x-kubernetes-list-type: set|map`: duplicates are refused (`listtype.ValidateListSetsAndMaps`). */
function listTypeErrors(
  schema: JsonSchemaProps | undefined,
  value: unknown,
  path: string,
): FieldErr[] {
  if (!schema) return [];
  const errors: FieldErr[] = [];
  if (Array.isArray(value)) {
    const listType = schema['x-kubernetes-list-type'];
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const seen = new Set<string>();
    value.forEach((item, i) => {
      let identity: string | undefined;
      let shown: unknown = item;
      if (listType === 'set') identity = JSON.stringify(item);
      if (listType === 'map' && isJsonObject(item)) {
        shown = Object.fromEntries(keys.map(k => [k, item[k]]));
        identity = JSON.stringify(keys.map(k => item[k]));
      }
      if (identity !== undefined) {
        if (seen.has(identity)) {
          errors.push({
            type: 'FieldValueDuplicate',
            field: `${path}[${i}]`,
            badValue: shown,
          });
        }
        seen.add(identity);
      }
      errors.push(...listTypeErrors(schema.items, item, `${path}[${i}]`));
    });
  } else if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const childSchema =
        schema.properties?.[key] ??
        (typeof schema.additionalProperties === 'object'
          ? schema.additionalProperties
          : undefined);
      errors.push(
        ...listTypeErrors(childSchema, child, path ? `${path}.${key}` : key),
      );
    }
  }
  return errors;
}

/**
 * `validation.ValidateCustomResource` (plus list-type checks): the field
 * errors of a custom resource against its version's `openAPIV3Schema`.
 */
export function validateCustomResource(
  obj: Record<string, unknown>,
  schema: JsonSchemaProps,
): FieldErr[] {
  return [
    ...validateValue(schema, obj, '').map(toFieldErr),
    ...listTypeErrors(schema, obj, ''),
  ];
}
