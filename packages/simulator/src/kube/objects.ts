/** Small helpers for plain Kubernetes objects (JSON values). */
import type { KubeObject, ResourceKey } from './api';

export const clone = <T>(value: T): T => structuredClone(value);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null
  ) {
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    return false;
  }
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return (
      a.length === other.length && a.every((v, i) => deepEqual(v, other[i]))
    );
  }
  const left = Object.entries(a as Record<string, unknown>).filter(
    ([, v]) => v !== undefined,
  );
  const right = b as Record<string, unknown>;
  const rightCount = Object.values(right).filter(v => v !== undefined).length;
  return (
    left.length === rightCount && left.every(([k, v]) => deepEqual(v, right[k]))
  );
}

/** RFC 3339 with second precision, as the API server writes metav1.Time. */
export const formatTimestamp = (date: Date) =>
  date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const typeKeyOf = (key: ResourceKey) => `${key.group}/${key.plural}`;

export const apiVersionOf = (group: string, version: string) =>
  group ? `${group}/${version}` : version;

export function parseApiVersion(apiVersion: string | undefined): {
  group: string;
  version: string;
} {
  if (!apiVersion) {
    return { group: '', version: '' };
  }
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : {
        group: apiVersion.slice(0, slash),
        version: apiVersion.slice(slash + 1),
      };
}

/** A copy of `obj` as served in another version of its group (no conversion: KAITO's versions are schema-compatible). */
export function asVersion(obj: KubeObject, version: string): KubeObject {
  const { group } = parseApiVersion(obj.apiVersion);
  return { ...clone(obj), apiVersion: apiVersionOf(group, version) };
}

/** Built-in API groups (core, `apps`, `*.k8s.io`); everything else is served as a CRD would be. */
export const isBuiltinGroup = (group: string) =>
  group === '' || !group.includes('.') || group.endsWith('.k8s.io');
