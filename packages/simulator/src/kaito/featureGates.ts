/**
 * KAITO's `--feature-gates` (`pkg/featuregates/featuregates.go`, v0.12.0):
 * the gates and their defaults. `disableNodeAutoProvisioning` is not set
 * here: KAITO derives it from `--node-provisioner` (byo turns it on).
 */
export const KAITO_FEATURE_GATE_DEFAULTS = {
  vLLM: true,
  disableNodeAutoProvisioning: false,
  gatewayAPIInferenceExtension: false,
  enableInferenceSetController: true,
  enableMIG: false,
  enableAccelerator: false,
  enableMultiRoleInferenceController: false,
  ModelMirror: false,
  ModelStreaming: false,
  enableBaseImageAutoUpgrade: false,
};

export type FeatureGateName = keyof typeof KAITO_FEATURE_GATE_DEFAULTS;
export type FeatureGates = Record<FeatureGateName, boolean>;

/**
 * Gates whose features the simulator does not model: turning one on is
 * refused rather than silently ignored.
 */
const NOT_MODELLED: Partial<Record<FeatureGateName, string>> = {
  gatewayAPIInferenceExtension: 'Gateway API inference extension',
  enableMultiRoleInferenceController: 'MultiRoleInference',
  ModelMirror: 'ModelMirror',
  ModelStreaming: 'model streaming',
  enableBaseImageAutoUpgrade: 'base image auto-upgrade',
};

const isGate = (name: string): name is FeatureGateName =>
  Object.prototype.hasOwnProperty.call(KAITO_FEATURE_GATE_DEFAULTS, name);

/**
 * The gates in effect: KAITO's defaults with `overrides` applied. Unknown
 * names fail as KAITO's `ParseAndValidateFeatureGates` does.
 */
export function resolveFeatureGates(
  overrides: Partial<Record<string, boolean>> = {},
): FeatureGates {
  const unknown = Object.keys(overrides).filter(name => !isGate(name));
  if (unknown.length > 0) {
    throw new Error(
      `invalid feature gate(s) ${unknown.map(n => `, ${n}`).join('')}`,
    );
  }
  const gates = { ...KAITO_FEATURE_GATE_DEFAULTS };
  for (const [name, value] of Object.entries(overrides)) {
    if (!isGate(name) || value === undefined) continue;
    if (value && NOT_MODELLED[name] && !KAITO_FEATURE_GATE_DEFAULTS[name]) {
      throw new Error(
        `feature gate ${name}: the simulator does not model ${NOT_MODELLED[name]}`,
      );
    }
    if (name === 'vLLM' && !value) {
      throw new Error(
        'feature gate vLLM=false: the simulator does not model it (its workloads run vLLM unless a workspace is annotated kaito.sh/runtime: transformers)',
      );
    }
    if (name === 'disableNodeAutoProvisioning') {
      throw new Error(
        'feature gate disableNodeAutoProvisioning: KAITO v0.12 derives it from --node-provisioner; use --node-provisioner byo',
      );
    }
    gates[name] = value;
  }
  return gates;
}

/** `--feature-gates=vLLM=false,enableMIG=true` (k8s `MapStringBool` syntax). */
export function parseFeatureGatesFlag(
  value: string,
): Partial<Record<string, boolean>> {
  const out: Record<string, boolean> = {};
  for (const part of value.split(',')) {
    const item = part.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    if (eq < 0) throw new Error(`missing bool value for ${item}`);
    const key = item.slice(0, eq).trim();
    const raw = item.slice(eq + 1).trim();
    if (!/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(raw)) {
      throw new Error(`invalid value of ${key}: ${raw}, err: invalid syntax`);
    }
    out[key] = /^(1|t|T|TRUE|true|True)$/.test(raw);
  }
  return out;
}
