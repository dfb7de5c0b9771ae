/*
 * Checks that the tuning and the inference part of a create-workspace
 * request share: the preset (and whether the mode can use it), PVC volumes
 * and "exactly one of" sources.
 */
import {
  findPreset,
  KaitoPreset,
} from '../presets';
import {
  checkObjectName,
  isObject,
  requiredString,
} from './common';
import { IssueCollector, shown } from './issues';

/**
 * Context the request is validated in.
 *
 * @public
 */
export interface WorkspaceValidationOptions {
  /**
   * How the target cluster gets GPU nodes: `auto` (KAITO provisions them;
   * `instanceType` is required) or `byo` (existing nodes; `instanceType`
   * must be empty and `labelSelector` is required). Unset: neither rule is
   * applied.
   */
  nodeProvisioning?: 'auto' | 'byo';
}

export interface PresetContext {
  preset?: KaitoPreset;
  /** True when the preset is usable for the mode (no preset issue). */
  usable: boolean;
}

export function checkPreset(
  v: IssueCollector,
  mode: 'tuning' | 'inference',
  value: unknown,
  modelAccessSecret: unknown,
): PresetContext {
  const field = `${mode}.preset`;
  const name = requiredString(v, field, value);
  if (name === undefined) {
    return { usable: false };
  }
  const preset = findPreset(name);
  if (!preset) {
    v.add(
      field,
      'preset.unknown',
      `${shown(name)} is not a KAITO preset in the suite's catalog`,
    );
    return { usable: false };
  }
  let usable = true;
  if (preset.deprecated) {
    v.add(
      field,
      'preset.deprecated',
      `${shown(name)} is deprecated and KAITO rejects it`,
    );
    usable = false;
  }
  if (mode === 'tuning' && !preset.deprecated && !preset.tunable) {
    v.add(
      field,
      'preset.not-tunable',
      `${shown(name)} does not support fine-tuning in KAITO`,
    );
    usable = false;
  }
  checkObjectName(v, `${mode}.modelAccessSecret`, modelAccessSecret);
  if (
    preset.downloadAuthRequired &&
    (modelAccessSecret === undefined ||
      modelAccessSecret === null ||
      modelAccessSecret === '')
  ) {
    v.add(
      `${mode}.modelAccessSecret`,
      'preset.model-access-secret-required',
      `${shown(preset.name)} is a gated model: name a Secret with key HF_TOKEN`,
    );
  }
  return { preset, usable };
}

export function checkVolume(v: IssueCollector, field: string, value: unknown): void {
  if (!isObject(value) || !isObject(value.persistentVolumeClaim)) {
    v.add(
      field,
      'volume.unsupported',
      'must be { persistentVolumeClaim: { claimName } }; the suite mounts only PVCs',
    );
    return;
  }
  const extra = Object.keys(value).filter(k => k !== 'persistentVolumeClaim');
  if (extra.length > 0) {
    v.add(
      field,
      'volume.unsupported',
      `volume kinds ${extra.join(
        ', ',
      )} are not supported; the suite mounts only PVCs`,
    );
  }
  checkObjectName(
    v,
    `${field}.persistentVolumeClaim.claimName`,
    value.persistentVolumeClaim.claimName,
    true,
  );
}

// An empty string is no source, as everywhere else in these rules
// (`image: ""` is not an image).
export function presentKinds(
  value: Record<string, unknown>,
  kinds: string[],
): string[] {
  return kinds.filter(
    kind =>
      value[kind] !== undefined && value[kind] !== null && value[kind] !== '',
  );
}

/**
 * The `tuning` or `inference` part of a request: an object, with its
 * preset checked for the mode; undefined after reporting that it is not one.
 */
export function checkModePart(
  v: IssueCollector,
  mode: 'tuning' | 'inference',
  value: unknown,
): { value: Record<string, unknown>; context: PresetContext } | undefined {
  if (!isObject(value)) {
    v.add(mode, 'field.type', 'must be an object');
    return undefined;
  }
  return {
    value,
    context: checkPreset(v, mode, value.preset, value.modelAccessSecret),
  };
}
