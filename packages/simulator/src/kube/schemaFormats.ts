/**
 * The string formats the API server checks in custom resources: the
 * `strfmt.Default` registry of k8s.io/kube-openapi, restricted to the formats
 * apiextensions-apiserver keeps (`validation/formats.go`); any other
 * `format` (int32, int64, double...) is stripped and not checked.
 */
import { isIP } from 'node:net';

const uuidRe = (version: string) =>
  new RegExp(
    `^[0-9a-f]{8}-?[0-9a-f]{4}-?${version}[0-9a-f]{3}-?${
      version === '[0-9a-f]' || version === '3' ? '[0-9a-f]' : '[89ab]'
    }[0-9a-f]{3}-?[0-9a-f]{12}$`,
    'i',
  );

function isDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/** `strfmt.IsDateTime` */
function isDateTime(value: string): boolean {
  if (value.length < 4) return false;
  const parts = value.toLowerCase().split('t');
  if (parts.length < 2 || !isDate(parts[0])) return false;
  const m =
    /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/.exec(
      parts[1],
    );
  return !!m && m[1] <= '23' && m[2] <= '59' && m[3] <= '59';
}

/** `strfmt.IsHostname` */
function isHostname(value: string): boolean {
  if (value.length > 255) return false;
  return /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u.test(
    value,
  );
}

function isCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  if (rest.length > 0 || bits === undefined || !/^\d+$/.test(bits))
    return false;
  const version = isIP(address);
  return version !== 0 && Number(bits) <= (version === 4 ? 32 : 128);
}

function isDuration(value: string): boolean {
  return (
    /^([+-]?(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/.test(value) ||
    /^[+-]?\d+\s*(ns|nano|nanos|nanosecond|nanoseconds|us|micro|micros|microsecond|microseconds|ms|milli|millis|millisecond|milliseconds|s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hour|hours|d|day|days|w|wk|week|weeks)$/.test(
      value,
    )
  );
}

const FORMATS: Record<string, (value: string) => boolean> = {
  bsonobjectid: v => /^[0-9a-f]{24}$/i.test(v),
  uri: v => {
    try {
      return v.startsWith('/') || new URL(v).protocol !== '';
    } catch {
      return false;
    }
  },
  email: v => /^[^\s@<>]+@[^\s@<>]+$/.test(v),
  hostname: isHostname,
  ipv4: v => isIP(v) === 4,
  ipv6: v => isIP(v) === 6,
  cidr: isCidr,
  mac: v =>
    /^([0-9a-f]{2}[:-]){5}([0-9a-f]{2})$|^([0-9a-f]{4}\.){2}[0-9a-f]{4}$/i.test(
      v,
    ),
  uuid: v => uuidRe('[0-9a-f]').test(v),
  uuid3: v => uuidRe('3').test(v),
  uuid4: v => uuidRe('4').test(v),
  uuid5: v => uuidRe('5').test(v),
  isbn: v => /^(\d{9}[\dX]|\d{13})$/.test(v.replace(/[\s-]/g, '')),
  isbn10: v => /^\d{9}[\dX]$/.test(v.replace(/[\s-]/g, '')),
  isbn13: v => /^\d{13}$/.test(v.replace(/[\s-]/g, '')),
  creditcard: v => /^\d{12,19}$/.test(v.replace(/[^0-9]/g, '')),
  ssn: v => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(v),
  hexcolor: v => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(v),
  rgbcolor: v =>
    /^rgb\(\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*\)$/.test(
      v,
    ),
  byte: v =>
    /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/.test(
      v,
    ),
  password: () => true,
  date: isDate,
  duration: isDuration,
  datetime: isDateTime,
};

/** The checker for a schema `format`, or undefined when the API server ignores it. */
export function formatChecker(
  format: string | undefined,
): ((value: string) => boolean) | undefined {
  return format ? FORMATS[format.replace(/-/g, '')] : undefined;
}
