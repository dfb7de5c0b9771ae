/**
 * The parts of `resource.Quantity` (k8s.io/apimachinery/pkg/api/resource)
 * KAITO's memory checks use: parsing a size such as `27.31Gi`, comparing,
 * and `String()`'s canonical form, which is what KAITO's messages print
 * (`16Gi`, `1536Mi`, or `29323087482880m` for a size that is not a whole
 * number of bytes). Values are exact: a bigint count of 10^-scale bytes.
 */

export const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

type Format = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

export interface Quantity {
  /** value = units / 10^scale */
  units: bigint;
  scale: number;
  format: Format;
}

const BINARY: Record<string, number> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};
const DECIMAL: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

export function parseQuantity(text: string): Quantity | { error: string } {
  const m = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(text);
  const number = m?.[1];
  if (!m || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(number!)) {
    return { error: QUANTITY_FORMAT_ERROR };
  }
  const suffix = m[2];
  const negative = number!.startsWith('-');
  const digits = number!.replace(/^[+-]/, '');
  const [whole, fraction = ''] = digits.split('.');
  let units = BigInt(`${whole || '0'}${fraction}` || '0');
  let scale = fraction.length;
  let format: Format;
  if (suffix in BINARY) {
    units *= 2n ** BigInt(BINARY[suffix]);
    format = 'BinarySI';
  } else if (suffix in DECIMAL) {
    scale -= DECIMAL[suffix];
    format = 'DecimalSI';
  } else if (/^[eE][-+]?\d+$/.test(suffix)) {
    scale -= Number(suffix.slice(1));
    format = 'DecimalExponent';
  } else {
    return { error: 'unable to parse quantity\'s suffix' };
  }
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: negative ? -units : units, scale, format };
}

export const bytes = (value: number): Quantity => ({
  units: BigInt(Math.round(value)),
  scale: 0,
  format: 'BinarySI',
});

export const gibibytes = (gib: number): Quantity =>
  bytes(gib * 2 ** 30);

/** `q.Cmp(other)`: -1, 0 or 1. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const scale = Math.max(a.scale, b.scale);
  const left = a.units * 10n ** BigInt(scale - a.scale);
  const right = b.units * 10n ** BigInt(scale - b.scale);
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

const DECIMAL_SUFFIX: Record<number, string> = Object.fromEntries(
  Object.entries(DECIMAL).map(([suffix, exp]) => [exp, suffix]),
);

/** Decimal canonical form: a mantissa and an exponent that is a multiple of 3. */
function decimalString(q: Quantity): string {
  let units = q.units;
  let exponent = -q.scale;
  while (exponent % 3 !== 0) {
    units *= 10n;
    exponent -= 1;
  }
  while (units !== 0n && units % 1000n === 0n && exponent < 18) {
    units /= 1000n;
    exponent += 3;
  }
  if (units === 0n) return '0';
  if (exponent < -9) {
    // Below nano the API server rounds up to 1n.
    return '1n';
  }
  return `${units}${DECIMAL_SUFFIX[exponent] ?? `e${exponent}`}`;
}

/** `q.String()` (canonical form). */
export function formatQuantity(q: Quantity): string {
  if (q.format === 'BinarySI') {
    const whole = q.scale === 0 || q.units % 10n ** BigInt(q.scale) === 0n;
    const value = whole ? q.units / 10n ** BigInt(q.scale) : 0n;
    if (!whole || (value > -1024n && value < 1024n)) return decimalString(q);
    let amount = value;
    let power = 0;
    while (amount % 1024n === 0n && power < 6) {
      amount /= 1024n;
      power += 1;
    }
    return `${amount}${['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][power]}`;
  }
  return decimalString(q);
}

/** Whole GiB a quantity holds (rounded down), for `%dGi`-style sizes. */
export function toGibibytes(q: Quantity): number {
  return Number(q.units / 10n ** BigInt(q.scale)) / 2 ** 30;
}
