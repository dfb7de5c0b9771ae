/**
 * `field.Error` of k8s.io/apimachinery (util/validation/field, v0.33) as the
 * API server words it in a Status cause: the error type, then the bad value
 * printed as Go prints it (`%q` for strings, `%#v` for slices and maps), then
 * the detail. Schema validation builds `FieldErr` values from decoded JSON;
 * the query-option checks, whose values are already printed, use the
 * `field*` builders. Both render through `formatBody`.
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

/** Go's `strconv.Quote`: double quotes, with Go's escapes for control characters. */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\v':
        out += '\\v';
        continue;
      default:
    }
    if (code < 0x20 || code === 0x7f) {
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    } else if (code >= 0x80 && code < 0xa0) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

/** Go's `%#v` of a `[]string`. */
export const goStringSlice = (values: string[]) =>
  `[]string{${values.map(goQuote).join(', ')}}`;

/** `unicode.IsPrint` for the characters a field manager name may not contain. */
export const isGoPrintable = (ch: string) => !/[\p{C}\p{Zl}\p{Zp}]/u.test(ch);

/** Go's `%#U`: `U+0001`, or `U+0041 'A'` for a printable character. */
export function goUnicode(ch: string): string {
  const hex = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return isGoPrintable(ch) ? `U+${hex} '${ch}'` : `U+${hex}`;
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

/** The type's text, then the printed value (when there is one), then the detail. */
function formatBody(
  type: FieldErrorType,
  printedValue: string | undefined,
  detail: string | undefined,
): string {
  let body = TYPE_TEXT[type];
  if (printedValue !== undefined) body += `: ${printedValue}`;
  return detail ? `${body}: ${detail}` : body;
}

/** `(*field.Error).ErrorBody()`: the message without the field name. */
export function errorBody(err: FieldErr): string {
  const printed =
    VALUELESS.includes(err.type) || err.badValue === OMIT_VALUE
      ? undefined
      : renderValue(err.badValue);
  return formatBody(err.type, printed, err.detail);
}

export function toStatusCause(err: FieldErr): StatusCause {
  return { reason: err.type, message: errorBody(err), field: err.field };
}

const printedCause = (
  type: FieldErrorType,
  field: string,
  printedValue: string | undefined,
  detail?: string,
): StatusCause => ({
  reason: type,
  field,
  message: formatBody(type, printedValue, detail),
});

export const fieldNotSupported = (
  field: string,
  printedValue: string,
  supported: string[],
): StatusCause =>
  printedCause(
    'FieldValueNotSupported',
    field,
    printedValue,
    supported.length
      ? `supported values: ${supported.map(goQuote).join(', ')}`
      : undefined,
  );

export const fieldForbidden = (field: string, detail: string): StatusCause =>
  printedCause('FieldValueForbidden', field, undefined, detail);

export const fieldRequired = (field: string, detail: string): StatusCause =>
  printedCause('FieldValueRequired', field, undefined, detail);

export const fieldInvalid = (
  field: string,
  printedValue: string,
  detail: string,
): StatusCause =>
  printedCause('FieldValueInvalid', field, printedValue, detail);

export const fieldTooLong = (field: string, maxBytes: number): StatusCause =>
  printedCause(
    'FieldValueTooLong',
    field,
    undefined,
    `may not be more than ${maxBytes} bytes`,
  );
