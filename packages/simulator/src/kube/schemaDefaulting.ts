/**
 * Structural defaulting of custom resources (apiextensions-apiserver
 * `schema/defaulting`): `default` values fill absent fields of objects that
 * exist, and nulls the schema does not allow are dropped or defaulted.
 */
import { fieldSchema, isJsonObject, type JsonSchemaProps } from './jsonSchema';

const copy = <T>(value: T): T => structuredClone(value);

const isNonNullableNull = (value: unknown, schema?: JsonSchemaProps) =>
  value === null && schema !== undefined && schema.nullable !== true;

/** `defaulting.PruneNonNullableNullsWithoutDefaults` */
export function pruneNonNullableNulls(
  value: unknown,
  schema: JsonSchemaProps | undefined,
) {
  if (Array.isArray(value)) {
    for (const item of value) pruneNonNullableNulls(item, schema?.items);
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const childSchema = fieldSchema(schema, key);
    if (
      isNonNullableNull(child, childSchema) &&
      childSchema!.default === undefined
    ) {
      delete value[key];
    } else {
      pruneNonNullableNulls(child, childSchema);
    }
  }
}

/** `defaulting.Default` */
export function applyDefaults(
  value: unknown,
  schema: JsonSchemaProps | undefined,
) {
  if (!schema) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (isNonNullableNull(item, schema.items)) {
        value[i] = copy(schema.items!.default);
      }
      applyDefaults(value[i], schema.items);
    });
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (property.default === undefined) continue;
    if (!(key in value) || isNonNullableNull(value[key], property)) {
      value[key] = copy(property.default);
    }
  }
  for (const key of Object.keys(value)) {
    const property = schema.properties?.[key];
    if (property) {
      applyDefaults(value[key], property);
    } else if (typeof schema.additionalProperties === 'object') {
      const additional = schema.additionalProperties;
      if (isNonNullableNull(value[key], additional)) {
        value[key] = copy(additional.default);
      }
      applyDefaults(value[key], additional);
    }
  }
}
