/**
 * The `openAPIV3Schema` of a CustomResourceDefinition version
 * (`apiextensions.k8s.io/v1` JSONSchemaProps), as far as the API server acts on it.
 * Structural schemas (every CRD served by `apiextensions.k8s.io/v1`) declare
 * their shape in `properties`, `additionalProperties` and `items`; the
 * logical junctors (`allOf`...) only add value validations.
 */
export interface JsonSchemaProps {
  type?: string;
  format?: string;
  description?: string;
  title?: string;
  default?: unknown;
  example?: unknown;
  enum?: unknown[];
  nullable?: boolean;
  maximum?: number;
  exclusiveMaximum?: boolean;
  minimum?: number;
  exclusiveMinimum?: boolean;
  multipleOf?: number;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  items?: JsonSchemaProps;
  properties?: Record<string, JsonSchemaProps>;
  additionalProperties?: JsonSchemaProps | boolean;
  allOf?: JsonSchemaProps[];
  anyOf?: JsonSchemaProps[];
  oneOf?: JsonSchemaProps[];
  not?: JsonSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: unknown[];
}

export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const preservesUnknownFields = (schema: JsonSchemaProps | undefined) =>
  schema?.['x-kubernetes-preserve-unknown-fields'] === true;

/** The schema of an object's field: a declared property, else `additionalProperties`. */
export function fieldSchema(
  schema: JsonSchemaProps | undefined,
  key: string,
): JsonSchemaProps | undefined {
  if (!schema) {
    return undefined;
  }
  const property = schema.properties?.[key];
  if (property) {
    return property;
  }
  return typeof schema.additionalProperties === 'object'
    ? schema.additionalProperties
    : undefined;
}
