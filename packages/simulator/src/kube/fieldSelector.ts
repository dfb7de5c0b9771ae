/**
 * Field selectors as in `?fieldSelector=` (k8s.io/apimachinery/pkg/fields):
 * `path=value`, `path==value`, `path!=value`, joined by commas. `\,`, `\=` and
 * `\\` escape those characters inside values.
 *
 * The real API server only accepts a fixed set of fields per type
 * (metadata.name and metadata.namespace everywhere, plus e.g. spec.nodeName
 * and status.phase for Pods, involvedObject.* for Events). This one accepts any
 * simple dotted path and compares the field's string form; a missing field
 * compares as "" (so `spec.nodeName=` selects unscheduled Pods, as upstream).
 */
import { badRequest } from './errors';

export interface FieldRequirement {
  field: string;
  operator: 'Equals' | 'NotEquals';
  value: string;
}

export interface FieldSelector {
  requirements: FieldRequirement[];
  readonly empty: boolean;
  matches(obj: unknown): boolean;
}

function splitUnescaped(input: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch === '\\' && i + 1 < input.length) {
      current += ch + input[i + 1];
      i += 1;
    } else if (ch === separator) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function unescapeValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\') {
      const escaped = value[i + 1];
      if (escaped === '\\' || escaped === ',' || escaped === '=') {
        out += escaped;
        i += 1;
        continue;
      }
      throw badRequest(
        `invalid field selector: invalid escape sequence: \\${escaped ?? ''}`,
      );
    }
    if (ch === ',' || ch === '=') {
      throw badRequest(
        `invalid field selector: unescaped ${ch} in value: ${value}`,
      );
    }
    out += ch;
  }
  return out;
}

/** Index of the first unescaped occurrence of `needle` in `term`. */
function indexOfUnescaped(term: string, needle: string): number {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\') {
      i += 1;
      continue;
    }
    if (term.startsWith(needle, i)) {
      return i;
    }
  }
  return -1;
}

function parseTerm(term: string): FieldRequirement {
  for (const [token, operator] of [
    ['!=', 'NotEquals'],
    ['==', 'Equals'],
    ['=', 'Equals'],
  ] as const) {
    const at = indexOfUnescaped(term, token);
    if (at >= 0) {
      const field = term.slice(0, at).trim();
      if (!field) {
        break;
      }
      return {
        field,
        operator,
        value: unescapeValue(term.slice(at + token.length)),
      };
    }
  }
  throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
}

/** Reads a dotted path (`involvedObject.name`) as the string a field selector compares. */
export function fieldValue(obj: unknown, path: string): string {
  let current: unknown = obj;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') {
      return '';
    }
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === undefined || current === null) {
    return '';
  }
  if (typeof current === 'object') {
    return JSON.stringify(current);
  }
  return String(current);
}

/** Parses a field selector string; throws a 400 BadRequest StatusError when it is malformed. */
export function parseFieldSelector(
  selector: string | undefined,
): FieldSelector {
  const requirements = selector
    ? splitUnescaped(selector, ',')
        .filter(term => term.trim() !== '')
        .map(parseTerm)
    : [];
  return {
    requirements,
    empty: requirements.length === 0,
    matches: obj =>
      requirements.every(r => {
        const actual = fieldValue(obj, r.field);
        return r.operator === 'Equals'
          ? actual === r.value
          : actual !== r.value;
      }),
  };
}
