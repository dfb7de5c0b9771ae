/**
 * Kubernetes label selector strings, as in the
 * `backstage.io/kubernetes-label-selector` annotation:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
 * joined by commas.
 */
export type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = String.raw`([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const EQ = new RegExp(String.raw`^(${KEY})\s*(==|=|!=)\s*(${VALUE})$`);
const SET = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s+\(([^)]*)\)$`);
const EXISTS = new RegExp(String.raw`^(!?)\s*(${KEY})$`);

/** Splits on commas outside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms.map(t => t.trim()).filter(Boolean);
}

/** Parses a selector; throws an Error naming the bad term. */
export function parseLabelSelector(selector: string): Requirement[] {
  return splitTerms(selector).map(term => {
    let m = EQ.exec(term);
    if (m) {
      return {
        key: m[1],
        op: m[3] === '!=' ? 'neq' : 'eq',
        value: m[4] ?? '',
      };
    }
    m = SET.exec(term);
    if (m) {
      const values = m[4]
        .split(',')
        .map(v => v.trim())
        .filter(Boolean);
      return { key: m[1], op: m[3] as 'in' | 'notin', values };
    }
    m = EXISTS.exec(term);
    if (m) {
      return { key: m[2], op: m[1] ? 'notexists' : 'exists' };
    }
    throw new Error(`invalid label selector term "${term}"`);
  });
}

export function matchesLabelSelector(
  requirements: Requirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.value;
      case 'neq':
        return !has || l[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      default:
        return false;
    }
  });
}
