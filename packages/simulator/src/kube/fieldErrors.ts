/**
 * `field.Error` of k8s.io/apimachinery (util/validation/field, v0.33): a
 * field path, a type and a bad value, rendered with Go's `fmt` verbs so a
 * 422 reads exactly as the API server's does.
 */
import type { StatusCause } from './errors';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany';

/** Marks a bad value that is not printed (`field.omitValue`). */
export const OMIT_VALUE = Symbol('omitValue');

export interface FieldErr {
  type: FieldErrorType;
  field: string;
  badValue?: unknown;
  detail?: string;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
};

const VALUELESS: FieldErrorType[] = [
  'FieldValueRequired',
  'FieldValueForbidden',
  'FieldValueTooLong',
];

/** `strconv.Quote` (Go's `%q` for strings). */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f)
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's `%v` for a float64 or int64 held in an `interface{}`. */
export function goNumber(value: number): string {
  return String(value).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Go's `%#v` for decoded JSON (`map[string]interface {}`, `[]interface {}`). */
export function goSyntax(value: unknown): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    return `[]interface {}{${value.map(goSyntax).join(', ')}}`;
  }
  const entries = Object.keys(value as object)
    .sort()
    .map(
      key =>
        `${goQuote(key)}:${goSyntax((value as Record<string, unknown>)[key])}`,
    );
  return `map[string]interface {}{${entries.join(', ')}}`;
}

function renderValue(value: unknown): string {
  if (value === null || value === undefined) return goQuote('null');
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  return goSyntax(value);
}

/** `(*field.Error).ErrorBody()`: the message without the field name. */
export function errorBody(err: FieldErr): string {
  let body = TYPE_TEXT[err.type];
  if (!VALUELESS.includes(err.type) && err.badValue !== OMIT_VALUE) {
    body += `: ${renderValue(err.badValue)}`;
  }
  return err.detail ? `${body}: ${err.detail}` : body;
}

export function toStatusCause(err: FieldErr): StatusCause {
  return { reason: err.type, message: errorBody(err), field: err.field };
}
