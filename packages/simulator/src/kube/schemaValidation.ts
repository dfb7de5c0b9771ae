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
import { formatChecker } from './schemaFormats';
import { goQuote, OMIT_VALUE, type FieldErr } from './fieldErrors';
import { isJsonObject, type JsonSchemaProps } from './jsonSchema';

type Code =
  | 'invalidType'
  | 'required'
  | 'tooLong'
  | 'tooShort'
  | 'pattern'
  | 'enum'
  | 'multipleOf'
  | 'max'
  | 'min'
  | 'maxItems'
  | 'minItems'
  | 'unique'
  | 'tooManyProperties'
  | 'tooFewProperties'
  | 'notAllowed';

/** A go-openapi `*errors.Validation` (code set) or a composite error (message only). */
interface OpenApiError {
  code?: Code;
  name?: string;
  value?: unknown;
  valid?: number;
  values?: unknown[];
  message: string;
}

const IN = 'body';

const goValue = (value: unknown) => {
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
};

function invalidType(
  name: string,
  typeName: string,
  value: unknown,
): OpenApiError {
  const message =
    typeof value === 'string'
      ? `${name} in ${IN} must be of type ${typeName}: ${JSON.stringify(value)}`
      : `${name} in ${IN} must be of type ${typeName}`;
  return { code: 'invalidType', name, value, message };
}

function schemaTypes(schema: JsonSchemaProps): string[] {
  if (schema['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return schema.type ? [schema.type] : [];
}

/** Formats apiextensions-apiserver keeps; others are stripped before validation. */
const checkedFormat = (schema: JsonSchemaProps) =>
  formatChecker(schema.format) ? schema.format! : '';

function dataType(value: unknown): { type: string; format: string } {
  if (typeof value === 'boolean') return { type: 'boolean', format: '' };
  if (typeof value === 'string') return { type: 'string', format: '' };
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { type: 'integer', format: 'int64' }
      : { type: 'number', format: 'float64' };
  }
  if (Array.isArray(value)) return { type: 'array', format: '' };
  return { type: 'object', format: '' };
}

function typeErrors(
  schema: JsonSchemaProps,
  value: unknown,
  path: string,
): OpenApiError[] {
  const types = schemaTypes(schema);
  const format = checkedFormat(schema);
  if (types.length === 0 && !format) return [];
  if (value === null || value === undefined) {
    return types.length > 0 && !types.includes('null') && !schema.nullable
      ? [invalidType(path, types.join(','), 'null')]
      : [];
  }
  const actual = dataType(value);
  const isString = typeof value === 'string';
  const isArray = Array.isArray(value);
  const isIntFloat = actual.type === 'integer' && types.includes('number');
  if (
    !isString &&
    !isArray &&
    format &&
    !(types.includes(actual.type) || actual.format === format || isIntFloat)
  ) {
    return [invalidType(path, format, actual.format)];
  }
  const numeric = types.includes('number') || types.includes('integer');
  if (!numeric && format && (isString || isArray)) return [];
  if (!(types.includes(actual.type) || isIntFloat)) {
    return [invalidType(path, types.join(','), actual.type)];
  }
  return [];
}

const runeCount = (value: string) => [...value].length;

function stringErrors(
  schema: JsonSchemaProps,
  value: string,
  path: string,
): OpenApiError[] {
  if (schema.maxLength !== undefined && runeCount(value) > schema.maxLength) {
    return [
      {
        code: 'tooLong',
        name: path,
        value,
        valid: schema.maxLength,
        message: `${path} in ${IN} should be at most ${schema.maxLength} chars long`,
      },
    ];
  }
  if (schema.minLength !== undefined && runeCount(value) < schema.minLength) {
    return [
      {
        code: 'tooShort',
        name: path,
        value,
        valid: schema.minLength,
        message: `${path} in ${IN} should be at least ${schema.minLength} chars long`,
      },
    ];
  }
  if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) {
    return [
      {
        code: 'pattern',
        name: path,
        value,
        message: `${path} in ${IN} should match '${schema.pattern}'`,
      },
    ];
  }
  return [];
}

function formatErrors(
  schema: JsonSchemaProps,
  value: string,
  path: string,
): OpenApiError[] {
  const check = formatChecker(schema.format);
  return check && !check(value)
    ? [invalidType(path, schema.format!, value)]
    : [];
}

/** Bounds of an integer value are compared as int64 (`MinimumNativeType`), so a fractional bound is truncated. */
function boundFor(value: number, bound: number) {
  return Number.isInteger(value) ? Math.trunc(bound) : bound;
}

function numberErrors(
  schema: JsonSchemaProps,
  value: number,
  path: string,
): OpenApiError[] {
  const errors: OpenApiError[] = [];
  if (schema.multipleOf !== undefined && schema.multipleOf !== 0) {
    const factor = boundFor(value, schema.multipleOf);
    if (factor !== 0 && Math.abs(value / factor - Math.round(value / factor)) > 1e-9) {
      errors.push({
        code: 'multipleOf',
        name: path,
        value,
        message: `${path} in ${IN} should be a multiple of ${factor}`,
      });
    }
  }
  if (schema.minimum !== undefined) {
    const min = boundFor(value, schema.minimum);
    const exclusive = schema.exclusiveMinimum === true;
    if (exclusive ? value <= min : value < min) {
      errors.push({
        code: 'min',
        name: path,
        value,
        message: `${path} in ${IN} should be greater than ${
          exclusive ? '' : 'or equal to '
        }${min}`,
      });
    }
  }
  if (schema.maximum !== undefined) {
    const max = boundFor(value, schema.maximum);
    const exclusive = schema.exclusiveMaximum === true;
    if (exclusive ? value >= max : value > max) {
      errors.push({
        code: 'max',
        name: path,
        value,
        message: `${path} in ${IN} should be less than ${
          exclusive ? '' : 'or equal to '
        }${max}`,
      });
    }
  }
  return errors;
}

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

function enumErrors(
  schema: JsonSchemaProps,
  value: unknown,
  path: string,
): OpenApiError[] {
  if (!schema.enum?.length) return [];
  const matches = schema.enum.some(
    allowed =>
      value !== null &&
      value !== undefined &&
      JSON.stringify(allowed) === JSON.stringify(value),
  );
  if (matches) return [];
  return [
    {
      code: 'enum',
      name: path,
      value,
      values: schema.enum,
      message: `${path} in ${IN} should be one of [${schema.enum
        .map(goValue)
        .join(' ')}]`,
    },
  ];
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
        ...validateValue(property, value[name], path ? `${path}.${name}` : name),
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
  if (typeof value === 'number') errors.push(...numberErrors(schema, value, path));
  if (Array.isArray(value)) errors.push(...sliceErrors(schema, value, path));
  errors.push(...enumErrors(schema, value, path));
  if (isJsonObject(value)) errors.push(...objectErrors(schema, value, path));
  return errors;
}

/** `kubeOpenAPIResultToFieldErrors` of apiextensions-apiserver. */
function toFieldErr(err: OpenApiError): FieldErr {
  if (!err.code) {
    return { type: 'FieldValueInvalid', field: '<nil>', badValue: '', detail: err.message };
  }
  const field =
    err.name && err.name !== '.' ? err.name.replace(/^\./, '') : '<nil>';
  switch (err.code) {
    case 'required':
      return { type: 'FieldValueRequired', field };
    case 'enum':
      return {
        type: 'FieldValueNotSupported',
        field,
        badValue: err.value ?? null,
        detail: `supported values: ${(err.values ?? [])
          .map(v => goQuote(typeof v === 'string' ? v : JSON.stringify(v)))
          .join(', ')}`,
      };
    case 'tooLong':
      return {
        type: 'FieldValueTooLong',
        field,
        detail: `may not be more than ${err.valid} bytes`,
      };
    case 'maxItems':
    case 'tooManyProperties':
      return {
        type: 'FieldValueTooMany',
        field,
        badValue: typeof err.value === 'number' ? err.value : OMIT_VALUE,
        detail: `must have at most ${err.valid} items`,
      };
    case 'invalidType':
      return {
        type: 'FieldValueTypeInvalid',
        field,
        badValue: err.value ?? '',
        detail: err.message,
      };
    default:
      return {
        type: 'FieldValueInvalid',
        field,
        badValue: err.value ?? '',
        detail: err.message,
      };
  }
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
