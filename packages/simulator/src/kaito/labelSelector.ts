import { RESERVED_SELECTOR_LABELS } from './constants';
import type { LabelSelector } from './workspace';

/**
 * `metav1.LabelSelectorAsMap`: only matchLabels and single-value `In`
 * expressions can be turned into a plain label map, which is all KAITO
 * accepts for `resource.labelSelector`.
 */
export function labelSelectorAsMap(
  selector: LabelSelector | undefined,
): { labels: Record<string, string> | null } | { error: string } {
  // A nil selector is a nil map, which reflect.DeepEqual tells from an empty one.
  if (!selector) return { labels: null };
  const labels: Record<string, string> = { ...(selector.matchLabels ?? {}) };
  for (const expr of selector.matchExpressions ?? []) {
    switch (expr.operator) {
      case 'In':
        if ((expr.values ?? []).length !== 1) {
          return {
            error: `operator "In" without a single value cannot be converted into the old label selector format`,
          };
        }
        labels[expr.key] = expr.values![0];
        break;
      case 'NotIn':
      case 'Exists':
      case 'DoesNotExist':
        return {
          error: `operator "${expr.operator}" cannot be converted into the old label selector format`,
        };
      default:
        return { error: `"${expr.operator}" is not a valid selector operator` };
    }
  }
  return { labels };
}

export function isReservedSelectorLabel(key: string): boolean {
  return RESERVED_SELECTOR_LABELS.includes(key);
}

/** `SanitizedMatchLabels`: matchLabels without KAITO-reserved keys. */
export function sanitizedMatchLabels(
  selector: LabelSelector | undefined,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(selector?.matchLabels ?? {}).filter(
      ([key]) => !isReservedSelectorLabel(key),
    ),
  );
}

export function hasLabels(
  labels: Record<string, string> | undefined,
  wanted: Record<string, string>,
): boolean {
  return Object.entries(wanted).every(([k, v]) => labels?.[k] === v);
}

/** `a=b,c=d`, the label-selector query string for a label map. */
export function toSelectorString(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
