import type { PresetSpec } from '../workspace';

/**
 * Go's `reflect.DeepEqual` of two `*PresetSpec` as KAITO decodes them:
 * absent and empty strings are equal (zero values); a nil and an empty
 * `imagePullSecrets` slice are not.
 */
export function samePresetSpec(
  a: PresetSpec | undefined,
  b: PresetSpec | undefined,
): boolean {
  if (!a || !b) return !a && !b;
  const norm = (p: PresetSpec) =>
    JSON.stringify([
      p.name ?? '',
      p.accessMode ?? '',
      p.presetOptions?.image ?? '',
      p.presetOptions?.imagePullSecrets ?? null,
      p.presetOptions?.modelAccessSecret ?? '',
    ]);
  return norm(a) === norm(b);
}
