/**
 * The JSONPath subset that CRD `additionalPrinterColumns` use
 * (k8s.io/client-go/util/jsonpath, restricted to "simple" paths):
 *
 *   .status.state                                   dotted fields
 *   .metadata.labels.karpenter\.sh/nodepool         `\.` escapes a dot inside a key
 *   .metadata.labels['kaito.sh/workspace']          bracketed keys
 *   .spec.containers[0].image   .items[*].name       indexes and wildcards
 *   .status.conditions[?(@.type=="Ready")].status   filters (==, !=, or bare @.x for "exists")
 *
 * An optional `{...}` wrapper and a leading `$` are accepted.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | {
      kind: 'filter';
      path: Step[];
      operator: '==' | '!=' | 'exists';
      literal?: unknown;
    };

export class JsonPathError extends Error {}

class PathParser {
  private i = 0;

  constructor(private readonly text: string) {}

  parse(stopAt?: string): Step[] {
    const steps: Step[] = [];
    while (this.i < this.text.length) {
      const ch = this.text[this.i];
      if (stopAt && stopAt.includes(ch)) {
        break;
      }
      if (ch === '.') {
        this.i += 1;
        if (this.text[this.i] === '[') {
          continue;
        }
        steps.push({ kind: 'field', name: this.identifier(stopAt) });
      } else if (ch === '[') {
        steps.push(this.bracket());
      } else if (steps.length === 0) {
        steps.push({ kind: 'field', name: this.identifier(stopAt) });
      } else {
        throw new JsonPathError(
          `unexpected '${ch}' at position ${this.i} in ${this.text}`,
        );
      }
    }
    return steps;
  }

  private identifier(stopAt?: string): string {
    let name = '';
    while (this.i < this.text.length) {
      const ch = this.text[this.i];
      if (ch === '\\' && this.i + 1 < this.text.length) {
        name += this.text[this.i + 1];
        this.i += 2;
        continue;
      }
      if (ch === '.' || ch === '[' || (stopAt && stopAt.includes(ch))) {
        break;
      }
      name += ch;
      this.i += 1;
    }
    if (!name) {
      throw new JsonPathError(
        `empty field name at position ${this.i} in ${this.text}`,
      );
    }
    return name;
  }

  private bracket(): Step {
    this.i += 1;
    const rest = this.text.slice(this.i);
    if (rest.startsWith('?(')) {
      this.i += 2;
      const step = this.filter();
      this.expect(')]');
      return step;
    }
    if (rest.startsWith("'") || rest.startsWith('"')) {
      const quote = rest[0];
      const end = this.text.indexOf(quote, this.i + 1);
      if (end < 0) {
        throw new JsonPathError(`unterminated string in ${this.text}`);
      }
      const name = this.text.slice(this.i + 1, end);
      this.i = end + 1;
      this.expect(']');
      return { kind: 'field', name };
    }
    const end = this.text.indexOf(']', this.i);
    if (end < 0) {
      throw new JsonPathError(`unterminated [ in ${this.text}`);
    }
    const inner = this.text.slice(this.i, end).trim();
    this.i = end + 1;
    if (inner === '*') {
      return { kind: 'wildcard' };
    }
    if (/^-?\d+$/.test(inner)) {
      return { kind: 'index', index: Number(inner) };
    }
    throw new JsonPathError(`unsupported subscript [${inner}] in ${this.text}`);
  }

  private filter(): Step {
    if (this.text[this.i] !== '@') {
      throw new JsonPathError(`filter must start with @ in ${this.text}`);
    }
    this.i += 1;
    const path = this.parse('=!)<> ');
    this.skipSpaces();
    if (this.text[this.i] === ')') {
      return { kind: 'filter', path, operator: 'exists' };
    }
    const operator = this.text.slice(this.i, this.i + 2);
    if (operator !== '==' && operator !== '!=') {
      throw new JsonPathError(`unsupported filter operator in ${this.text}`);
    }
    this.i += 2;
    this.skipSpaces();
    return { kind: 'filter', path, operator, literal: this.literal() };
  }

  private literal(): unknown {
    const ch = this.text[this.i];
    if (ch === '"' || ch === "'") {
      const end = this.text.indexOf(ch, this.i + 1);
      if (end < 0) {
        throw new JsonPathError(`unterminated string in ${this.text}`);
      }
      const value = this.text.slice(this.i + 1, end);
      this.i = end + 1;
      this.skipSpaces();
      return value;
    }
    const match = /^(-?\d+(\.\d+)?|true|false|null)/.exec(
      this.text.slice(this.i),
    );
    if (!match) {
      throw new JsonPathError(`unsupported literal in ${this.text}`);
    }
    this.i += match[0].length;
    this.skipSpaces();
    return JSON.parse(match[0]);
  }

  private skipSpaces() {
    while (this.text[this.i] === ' ') {
      this.i += 1;
    }
  }

  private expect(token: string) {
    if (!this.text.startsWith(token, this.i)) {
      throw new JsonPathError(
        `expected '${token}' at position ${this.i} in ${this.text}`,
      );
    }
    this.i += token.length;
  }
}

export interface CompiledJsonPath {
  readonly source: string;
  /** Every value the path selects, in document order. */
  evaluate(root: unknown): unknown[];
}

function filterKeeps(
  step: Extract<Step, { kind: 'filter' }>,
  found: unknown[],
): boolean {
  switch (step.operator) {
    case 'exists':
      return found.length > 0;
    case '==':
      return found.some(v => v === step.literal);
    default:
      return found.length > 0 && found.every(v => v !== step.literal);
  }
}

function evaluateSteps(steps: Step[], roots: unknown[]): unknown[] {
  let current = roots;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== 'object') {
        continue;
      }
      switch (step.kind) {
        case 'field': {
          const field = (value as Record<string, unknown>)[step.name];
          if (!Array.isArray(value) && field !== undefined) {
            next.push(field);
          }
          break;
        }
        case 'index':
          if (Array.isArray(value)) {
            const index =
              step.index < 0 ? value.length + step.index : step.index;
            if (index >= 0 && index < value.length) {
              next.push(value[index]);
            }
          }
          break;
        case 'wildcard':
          next.push(...(Array.isArray(value) ? value : Object.values(value)));
          break;
        case 'filter': {
          const candidates = Array.isArray(value) ? value : [value];
          for (const candidate of candidates) {
            if (filterKeeps(step, evaluateSteps(step.path, [candidate]))) {
              next.push(candidate);
            }
          }
          break;
        }
        default:
          break;
      }
    }
    current = next;
  }
  return current;
}

/** Compiles a path once; throws JsonPathError for syntax outside the supported subset. */
export function compileJsonPath(source: string): CompiledJsonPath {
  let text = source.trim();
  if (text.startsWith('{') && text.endsWith('}')) {
    text = text.slice(1, -1).trim();
  }
  if (text.startsWith('$')) {
    text = text.slice(1);
  }
  const steps = new PathParser(text).parse();
  return {
    source,
    evaluate: root => evaluateSteps(steps, [root]),
  };
}
