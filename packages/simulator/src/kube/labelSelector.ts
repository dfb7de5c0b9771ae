/**
 * Label selectors in the string form the API server accepts in `?labelSelector=`
 * (k8s.io/apimachinery/pkg/labels): `a=b`, `a==b`, `a!=b`, `a in (b,c)`,
 * `a notin (b,c)`, `a`, `!a`, `a>1`, `a<1`, joined by commas (logical AND).
 */
import { badRequest } from './errors';

export type LabelOperator =
  | 'Equals'
  | 'NotEquals'
  | 'In'
  | 'NotIn'
  | 'Exists'
  | 'DoesNotExist'
  | 'GreaterThan'
  | 'LessThan';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export interface LabelSelector {
  requirements: LabelRequirement[];
  matches(labels: Record<string, string> | undefined): boolean;
  /** True for the empty selector, which matches everything. */
  readonly empty: boolean;
}

type Token =
  | { kind: 'identifier'; text: string }
  | {
      kind: 'symbol';
      text: '!' | '=' | '==' | '!=' | '(' | ')' | ',' | '>' | '<';
    }
  | { kind: 'keyword'; text: 'in' | 'notin' }
  | { kind: 'end'; text: '' };

const isWhitespace = (ch: string) =>
  ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSymbolChar = (ch: string) => '=!(),<>'.includes(ch);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (isWhitespace(ch)) {
      i += 1;
      continue;
    }
    if (isSymbolChar(ch)) {
      const two = input.slice(i, i + 2);
      if (two === '==' || two === '!=') {
        tokens.push({ kind: 'symbol', text: two });
        i += 2;
      } else {
        tokens.push({ kind: 'symbol', text: ch as '!' });
        i += 1;
      }
      continue;
    }
    let end = i;
    while (
      end < input.length &&
      !isWhitespace(input[end]) &&
      !isSymbolChar(input[end])
    ) {
      end += 1;
    }
    const text = input.slice(i, end);
    if (text === 'in' || text === 'notin') {
      tokens.push({ kind: 'keyword', text });
    } else {
      tokens.push({ kind: 'identifier', text });
    }
    i = end;
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Validates a qualified name such as `kaito.sh/workspace`; returns an error message or undefined. */
export function validateLabelKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (
      prefix.length === 0 ||
      prefix.length > 253 ||
      !DNS_SUBDOMAIN.test(prefix)
    ) {
      return `prefix part must be a lowercase RFC 1123 subdomain`;
    }
  }
  if (name.length === 0 || name.length > 63 || !NAME_PART.test(name)) {
    return `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`;
  }
  return undefined;
}

/** Validates a label value; returns an error message or undefined. */
export function validateLabelValue(value: string): string | undefined {
  if (value.length > 63) {
    return 'must be no more than 63 characters';
  }
  if (!LABEL_VALUE.test(value)) {
    return `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`;
  }
  return undefined;
}

const parseError = (message: string) =>
  badRequest(`unable to parse requirement: ${message}`);

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position];
    if (token.kind !== 'end') {
      this.position += 1;
    }
    return token;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    if (this.peek().kind === 'end') {
      return requirements;
    }
    for (;;) {
      requirements.push(this.requirement());
      const token = this.next();
      if (token.kind === 'end') {
        return requirements;
      }
      if (token.text !== ',') {
        throw badRequest(
          `found '${token.text}', expected: ',' or 'end of string'`,
        );
      }
    }
  }

  private key(): string {
    const token = this.next();
    if (token.kind !== 'identifier') {
      throw badRequest(`found '${token.text}', expected: identifier`);
    }
    const problem = validateLabelKey(token.text);
    if (problem) {
      throw parseError(`key: Invalid value: "${token.text}": ${problem}`);
    }
    return token.text;
  }

  private value(): string {
    const token = this.peek();
    if (token.kind === 'end' || token.text === ',' || token.text === ')') {
      return '';
    }
    this.next();
    if (token.kind !== 'identifier' && token.kind !== 'keyword') {
      throw badRequest(`found '${token.text}', expected: identifier`);
    }
    const problem = validateLabelValue(token.text);
    if (problem) {
      throw parseError(
        `values[0][${token.text}]: Invalid value: "${token.text}": ${problem}`,
      );
    }
    return token.text;
  }

  private requirement(): LabelRequirement {
    if (this.peek().text === '!' && this.peek().kind === 'symbol') {
      this.next();
      return { key: this.key(), operator: 'DoesNotExist', values: [] };
    }
    const key = this.key();
    const op = this.peek();
    if (op.kind === 'end' || op.text === ',') {
      return { key, operator: 'Exists', values: [] };
    }
    this.next();
    switch (op.text) {
      case '=':
      case '==':
        return { key, operator: 'Equals', values: [this.value()] };
      case '!=':
        return { key, operator: 'NotEquals', values: [this.value()] };
      case 'in':
      case 'notin':
        return {
          key,
          operator: op.text === 'in' ? 'In' : 'NotIn',
          values: this.set(),
        };
      case '>':
      case '<': {
        const value = this.next();
        if (value.kind !== 'identifier' || !/^-?\d+$/.test(value.text)) {
          throw parseError(
            `for 'Gt', 'Lt' operators, the value must be an integer`,
          );
        }
        return {
          key,
          operator: op.text === '>' ? 'GreaterThan' : 'LessThan',
          values: [value.text],
        };
      }
      default:
        throw badRequest(
          `found '${op.text}', expected: in, notin, =, ==, !=, gt, lt`,
        );
    }
  }

  private set(): string[] {
    const open = this.next();
    if (open.text !== '(') {
      throw badRequest(`found '${open.text}', expected: '('`);
    }
    const values: string[] = [];
    for (;;) {
      values.push(this.value());
      const token = this.next();
      if (token.text === ')') {
        break;
      }
      if (token.text !== ',') {
        throw badRequest(
          `found '${token.text}', expected: ',', ')' or identifier`,
        );
      }
    }
    if (values.length === 1 && values[0] === '') {
      throw parseError(
        `values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`,
      );
    }
    return values;
  }
}

export function matchesRequirement(
  requirement: LabelRequirement,
  labels: Record<string, string> | undefined,
): boolean {
  const has =
    labels !== undefined &&
    Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const value = has ? labels![requirement.key] : undefined;
  switch (requirement.operator) {
    case 'Equals':
    case 'In':
      return has && requirement.values.includes(value!);
    case 'NotEquals':
    case 'NotIn':
      return !has || !requirement.values.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'GreaterThan':
    case 'LessThan': {
      if (!has || !/^-?\d+$/.test(value!)) {
        return false;
      }
      const actual = Number(value);
      const bound = Number(requirement.values[0]);
      return requirement.operator === 'GreaterThan'
        ? actual > bound
        : actual < bound;
    }
    default:
      return false;
  }
}

/** Parses a label selector string; throws a 400 BadRequest StatusError when it is malformed. */
export function parseLabelSelector(
  selector: string | undefined,
): LabelSelector {
  const requirements = selector ? new Parser(tokenize(selector)).parse() : [];
  return {
    requirements,
    empty: requirements.length === 0,
    matches: labels => requirements.every(r => matchesRequirement(r, labels)),
  };
}

/** Converts a `metav1.LabelSelector` (matchLabels + matchExpressions) to its string form. */
export function formatLabelSelector(selector: {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    parts.push(`${key}=${value}`);
  }
  for (const expression of selector.matchExpressions ?? []) {
    const values = [...(expression.values ?? [])].sort().join(',');
    switch (expression.operator) {
      case 'In':
        parts.push(`${expression.key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${expression.key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(expression.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${expression.key}`);
        break;
      default:
        throw badRequest(
          `"${expression.operator}" is not a valid label selector operator`,
        );
    }
  }
  return parts.join(',');
}
