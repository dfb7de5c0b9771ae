/**
 * `k8s.io/apimachinery/pkg/util/validation/field` errors as the API server
 * words them in a Status cause: the error type, then the bad value printed as
 * Go prints it (`%q` for strings, `%#v` for slices), then the detail.
 */
import type { StatusCause } from './errors';

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

export const fieldNotSupported = (
  field: string,
  printedValue: string,
  supported: string[],
): StatusCause => ({
  reason: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${printedValue}${
    supported.length
      ? `: supported values: ${supported.map(goQuote).join(', ')}`
      : ''
  }`,
});

export const fieldForbidden = (field: string, detail: string): StatusCause => ({
  reason: 'FieldValueForbidden',
  field,
  message: `Forbidden: ${detail}`,
});

export const fieldRequired = (field: string, detail: string): StatusCause => ({
  reason: 'FieldValueRequired',
  field,
  message: `Required value: ${detail}`,
});

export const fieldInvalid = (
  field: string,
  printedValue: string,
  detail: string,
): StatusCause => ({
  reason: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${printedValue}: ${detail}`,
});

export const fieldTooLong = (field: string, maxBytes: number): StatusCause => ({
  reason: 'FieldValueTooLong',
  field,
  message: `Too long: may not be more than ${maxBytes} bytes`,
});
