/**
 * How the API server turns query-parameter strings into values: the
 * `k8s.io/apimachinery/pkg/runtime` conversions of `url.Values` (booleans,
 * int64s) and the Go standard library parsers it leans on (`strconv.ParseBool`
 * for `pretty`, `time.ParseDuration` for `timeout`), with their error texts.
 */
import { badRequest } from './errors';
import { goQuote } from './fieldErrors';

/**
 * `runtime.Convert_Slice_string_To_bool`: only `0` and `false` (any case) are
 * false; any other value, the empty string included, is true.
 */
export function queryBool(values: string[]): boolean {
  if (values.length === 0) {
    return false;
  }
  const [first] = values;
  return !(first === '0' || first.toLowerCase() === 'false');
}

/** `strconv.ParseBool`; undefined where Go returns an error. */
export function goParseBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) {
    return true;
  }
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) {
    return false;
  }
  return undefined;
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** `strconv.ParseInt(value, 10, 64)`; a 400 with Go's error text, as DecodeParameters reports it. */
export function goParseInt64(value: string): number {
  if (!/^[+-]?\d+$/.test(value)) {
    throw badRequest(
      `strconv.ParseInt: parsing ${goQuote(value)}: invalid syntax`,
    );
  }
  const parsed = BigInt(value);
  if (parsed > INT64_MAX || parsed < INT64_MIN) {
    throw badRequest(
      `strconv.ParseInt: parsing ${goQuote(value)}: value out of range`,
    );
  }
  return Number(parsed);
}

/** `strconv.ParseUint(value, 10, 64)`, or the error text Go gives. */
export function goParseUint64(value: string): number | string {
  if (!/^\d+$/.test(value)) {
    return `strconv.ParseUint: parsing ${goQuote(value)}: invalid syntax`;
  }
  if (BigInt(value) > 2n ** 64n - 1n) {
    return `strconv.ParseUint: parsing ${goQuote(value)}: value out of range`;
  }
  return Number(value);
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** `time.ParseDuration` in milliseconds, or Go's error text. */
export function goParseDuration(value: string): number | string {
  const invalid = `time: invalid duration ${goQuote(value)}`;
  let rest = value;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') {
    return 0;
  }
  if (rest === '') {
    return invalid;
  }
  let total = 0;
  while (rest !== '') {
    const number = /^(\d*)(\.\d*)?/.exec(rest)!;
    if (number[0] === '' || number[0] === '.') {
      return invalid;
    }
    rest = rest.slice(number[0].length);
    const unit = /^[^\d.]*/.exec(rest)![0];
    if (unit === '') {
      return `time: missing unit in duration ${goQuote(value)}`;
    }
    const scale = DURATION_UNITS[unit];
    if (scale === undefined) {
      return `time: unknown unit ${goQuote(unit)} in duration ${goQuote(
        value,
      )}`;
    }
    rest = rest.slice(unit.length);
    total += Number(number[0]) * scale;
  }
  return sign * total;
}
