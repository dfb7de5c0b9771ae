import type { MetaCondition } from '../workspace';

/**
 * `meta.SetStatusCondition`: replaces the condition of the same type and
 * keeps `lastTransitionTime` unless the status changes.
 */
export function setCondition(
  conditions: MetaCondition[],
  next: Omit<MetaCondition, 'lastTransitionTime'>,
  now: Date,
): MetaCondition[] {
  const existing = conditions.find(c => c.type === next.type);
  const lastTransitionTime =
    existing && existing.status === next.status
      ? existing.lastTransitionTime
      : now.toISOString().replace(/\.\d+Z$/, 'Z');
  const updated = { ...next, lastTransitionTime };
  return existing
    ? conditions.map(c => (c.type === next.type ? updated : c))
    : [...conditions, updated];
}

export function removeCondition(
  conditions: MetaCondition[],
  type: string,
): MetaCondition[] {
  return conditions.filter(c => c.type !== type);
}
