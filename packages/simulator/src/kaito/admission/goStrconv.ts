/**
 * Go's `strconv.Atoi` and `strconv.ParseFloat(s, 64)` with their error
 * texts, for the values KAITO parses from strings (adapter strength,
 * `max-model-len`, GFD node labels).
 */

export type Parsed = { value: number } | { error: string };

/** `strconv.Atoi` */
export function atoi(text: string): Parsed {
  if (!/^[+-]?\d+$/.test(text)) {
    return {
      error: `strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`,
    };
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    return {
      error: `strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`,
    };
  }
  return { value };
}

const DECIMAL = /^[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+(_\d+)*)([eE][+-]?\d+)?$/;
const SPECIAL = /^[+-]?(inf|infinity|nan)$/i;

/** `strconv.ParseFloat(s, 64)`; on a range error Go returns ±Inf along with the error. */
export function parseFloat64(text: string): {
  value: number;
  error?: string;
} {
  const quoted = JSON.stringify(text);
  if (SPECIAL.test(text)) {
    const lower = text.toLowerCase();
    if (lower.endsWith('nan')) return { value: NaN };
    return { value: lower.startsWith('-') ? -Infinity : Infinity };
  }
  // Underscores are only allowed with a base prefix, which decimals lack.
  if (!DECIMAL.test(text) || text.includes('_')) {
    return {
      value: 0,
      error: `strconv.ParseFloat: parsing ${quoted}: invalid syntax`,
    };
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    return {
      value,
      error: `strconv.ParseFloat: parsing ${quoted}: value out of range`,
    };
  }
  return { value };
}
