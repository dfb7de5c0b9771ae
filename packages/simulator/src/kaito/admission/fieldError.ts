/**
 * A port of knative's `apis.FieldError` (knative.dev/pkg/apis/field_error.go),
 * which KAITO's webhook returns. Reproducing it, rather than writing our own
 * messages, is what makes a denial read exactly like one from a real cluster:
 * paths are prefixed by `viaField`, errors with the same message are merged
 * and both are sorted when rendered.
 */
interface Leaf {
  message: string;
  paths: string[];
  details?: string;
}

export class FieldError {
  private constructor(private readonly leaves: Leaf[]) {}

  static none(): FieldError {
    return new FieldError([]);
  }

  /** `apis.ErrGeneric(diagnostic, paths...)` */
  static generic(message: string, ...paths: string[]): FieldError {
    return new FieldError([{ message, paths }]);
  }

  /** `apis.ErrMissingField(paths...)` */
  static missing(...paths: string[]): FieldError {
    return new FieldError([{ message: 'missing field(s)', paths }]);
  }

  /** `apis.ErrInvalidValue(value, path)` */
  static invalidValue(value: unknown, path: string): FieldError {
    return new FieldError([
      { message: `invalid value: ${String(value)}`, paths: [path] },
    ]);
  }

  get empty(): boolean {
    return this.leaves.length === 0;
  }

  also(...others: (FieldError | undefined)[]): FieldError {
    const leaves = [...this.leaves];
    for (const other of others) {
      if (other) leaves.push(...other.leaves);
    }
    return new FieldError(leaves);
  }

  viaField(...prefix: string[]): FieldError {
    return new FieldError(
      this.leaves.map(leaf => ({
        ...leaf,
        paths: leaf.paths.map(path => flatten([...prefix, path])),
      })),
    );
  }

  /** Every path named by the errors (after merging), for Status causes. */
  paths(): string[] {
    return merge(this.leaves).flatMap(leaf => leaf.paths);
  }

  toString(): string {
    return merge(this.leaves)
      .map(leaf => {
        const head = `${leaf.message}: ${leaf.paths.join(', ')}`;
        return leaf.details ? `${head}\n${leaf.details}` : head;
      })
      .join('\n');
  }
}

function isIndex(part: string): boolean {
  return part.startsWith('[') && part.endsWith(']');
}

function flatten(path: string[]): string {
  const out: string[] = [];
  for (const part of path) {
    for (const p of part.split('.')) {
      if (p === '') continue;
      if (out.length > 0 && isIndex(p)) {
        out[out.length - 1] += p;
      } else {
        out.push(p);
      }
    }
  }
  return out.join('.');
}

function merge(leaves: Leaf[]): Leaf[] {
  const byKey = new Map<string, Leaf>();
  for (const leaf of leaves) {
    const key = `${leaf.message}-${leaf.details ?? ''}`;
    const existing = byKey.get(key);
    if (existing) {
      existing.paths.push(...leaf.paths);
    } else {
      byKey.set(key, { ...leaf, paths: [...leaf.paths] });
    }
  }
  const merged = [...byKey.values()];
  for (const leaf of merged) {
    leaf.paths = [...new Set(leaf.paths)].sort();
  }
  return merged.sort((a, b) => {
    if (a.message === b.message)
      return (a.details ?? '').localeCompare(b.details ?? '');
    return a.message < b.message ? -1 : 1;
  });
}
