/**
 * The leaf validators of go-openapi's `SchemaValidator` as kube-openapi runs
 * them (type, string, format, number, enum), their `*errors.Validation`
 * results, and how apiextensions-apiserver turns those into `field.Error`s.
 * The validators that recurse (arrays, objects, allOf/anyOf/oneOf/not) are in
 * schemaValidation.ts.
 */
import { formatChecker } from './schemaFormats';
import { goQuote, OMIT_VALUE, type FieldErr } from './fieldErrors';
import type { JsonSchemaProps } from './jsonSchema';

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
export interface OpenApiError {
  code?: Code;
  name?: string;
  value?: unknown;
  valid?: number;
  values?: unknown[];
  message: string;
}

export const IN = 'body';

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

export function typeErrors(
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

export function stringErrors(
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

export function formatErrors(
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

export function numberErrors(
  schema: JsonSchemaProps,
  value: number,
  path: string,
): OpenApiError[] {
  const errors: OpenApiError[] = [];
  if (schema.multipleOf !== undefined && schema.multipleOf !== 0) {
    const factor = boundFor(value, schema.multipleOf);
    if (
      factor !== 0 &&
      Math.abs(value / factor - Math.round(value / factor)) > 1e-9
    ) {
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

export function enumErrors(
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

/** `kubeOpenAPIResultToFieldErrors` of apiextensions-apiserver. */
export function toFieldErr(err: OpenApiError): FieldErr {
  if (!err.code) {
    return {
      type: 'FieldValueInvalid',
      field: '<nil>',
      badValue: '',
      detail: err.message,
    };
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
