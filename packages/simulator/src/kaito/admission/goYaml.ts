/**
 * KAITO reads its ConfigMaps with gopkg.in/yaml.v2: YAML 1.1 scalars
 * (`yes` is a bool), ints kept apart from floats, and type errors worded
 * `yaml: unmarshal errors:\n  line 3: cannot unmarshal !!map into string`.
 * This reproduces what KAITO's validation depends on. Syntax errors keep
 * yaml.v2's `yaml: line N:` prefix, but the rest of their text is the
 * JavaScript parser's.
 */
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';

export interface GoYaml {
  doc: Document;
  root: Node | null;
  line(node: Node): number;
}

export function parseGoYaml(text: string): GoYaml | { error: string } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.1',
    lineCounter,
    uniqueKeys: false,
  });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const line = error.linePos?.[0]?.line ?? 1;
    const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return { error: `yaml: line ${line}: ${message}` };
  }
  return {
    doc,
    root: (doc.contents as Node | null) ?? null,
    line: node => lineCounter.linePos(node.range?.[0] ?? 0).line,
  };
}

/** The yaml.v2 short tag of a node: `!!map`, `!!seq`, `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`. */
export function goTag(node: Node | null | undefined): string {
  if (!node) return '!!null';
  if (isMap(node)) return '!!map';
  if (isSeq(node)) return '!!seq';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null) return '!!null';
    if (typeof value === 'boolean') return '!!bool';
    if (typeof value === 'number') {
      return isIntSource(node.source as unknown) ? '!!int' : '!!float';
    }
    return '!!str';
  }
  return '!!str';
}

function isIntSource(source: unknown): boolean {
  const text = String(source ?? '').replace(/_/g, '');
  return /^[-+]?(0|[1-9]\d*|0x[0-9a-fA-F]+|0[0-7]+|0b[01]+)$/.test(text);
}

/** Go's `%T` of a decoded `interface{}` value. */
export function goTypeOf(node: Node | null | undefined): string {
  switch (goTag(node)) {
    case '!!map':
      return 'map[interface {}]interface {}';
    case '!!seq':
      return '[]interface {}';
    case '!!int':
      return 'int';
    case '!!float':
      return 'float64';
    case '!!bool':
      return 'bool';
    case '!!null':
      return '<nil>';
    default:
      return 'string';
  }
}

/** The raw text of a scalar, as yaml.v2 keeps it (`n.value`). */
export function scalarText(node: Node): string {
  if (!isScalar(node)) return '';
  const source = (node as { source?: unknown }).source;
  return typeof source === 'string' ? source : String(node.value ?? '');
}

/** A yaml.v2 `TypeError` line for a node that cannot go into `goType`. */
export function typeErrorLine(
  yaml: GoYaml,
  node: Node,
  goType: string,
): string {
  const tag = goTag(node);
  let value = '';
  if (tag !== '!!seq' && tag !== '!!map') {
    const text = scalarText(node);
    value = text.length > 10 ? ` \`${text.slice(0, 7)}...\`` : ` \`${text}\``;
  }
  return `line ${yaml.line(node)}: cannot unmarshal ${tag}${value} into ${goType}`;
}

export const unmarshalErrors = (lines: string[]) =>
  `yaml: unmarshal errors:\n  ${lines.join('\n  ')}`;

/** Entries of a YAML map node with string keys (what a Go `map[string]...` would hold). */
export function mapEntries(node: Node): [string, Node | null][] {
  if (!isMap(node)) return [];
  return node.items.map(pair => {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    return [key, (pair.value as Node | null) ?? null];
  });
}

export { isMap, isScalar, isSeq };
export type { Node };
