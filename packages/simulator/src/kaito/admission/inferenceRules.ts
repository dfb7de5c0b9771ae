import YAML from 'yaml';
import { DEFAULT_INFERENCE_CONFIG, MAX_ADAPTERS } from '../constants';
import { isValidPreset, resolvePreset } from '../catalog';
import {
  runtimeOf,
  type AdapterSpec,
  type InferenceSpec,
  type Workspace,
} from '../workspace';
import type { AdmissionContext } from './context';
import { validateDataSourceCreate } from './dataSourceRules';
import { dns1123SubdomainErrors } from './dnsNames';
import { FieldError } from './fieldError';

/**
 * `InferenceSpec` rules of `api/v1beta1/workspace_validation.go` and the
 * inference ConfigMap check of `inference_config_validation.go`. Paths are
 * relative to `inference` unless noted.
 */

function duplicateAdapterNames(adapters: AdapterSpec[]): FieldError {
  let errs = FieldError.none();
  const seen = new Set<string>();
  for (const adapter of adapters) {
    const name = adapter.source?.name ?? '';
    if (seen.has(name)) {
      errs = errs.also(
        FieldError.generic(`Duplicate adapter source name found: ${name}`),
      );
    }
    seen.add(name);
  }
  return errs;
}

export function validateInferenceCreate(inference: InferenceSpec): FieldError {
  let errs = FieldError.none();
  if (!inference.preset && !inference.template) {
    errs = errs.also(
      FieldError.missing('Preset or Template must be specified'),
    );
  }
  if (inference.preset && inference.template) {
    errs = errs.also(
      FieldError.generic('Preset and Template cannot be set at the same time'),
    );
  }
  if (inference.preset) {
    const name = inference.preset.name ?? '';
    if (!isValidPreset(name)) {
      return errs.also(
        FieldError.invalidValue(
          `Unsupported inference preset name ${name}`,
          'presetName',
        ),
      );
    }
    const preset = resolvePreset(name)!;
    if (
      preset.downloadAuthRequired &&
      !inference.preset.presetOptions?.modelAccessSecret
    ) {
      errs = errs.also(
        FieldError.generic(
          'This preset requires authentication and needs a modelAccessSecret with HF_TOKEN key under presetOptions to download the model',
        ),
      );
    }
  }
  const adapters = inference.adapters ?? [];
  if (adapters.length > MAX_ADAPTERS) {
    errs = errs.also(
      FieldError.generic(
        `Number of Adapters exceeds the maximum limit, maximum of ${MAX_ADAPTERS} allowed`,
      ),
    );
  }
  return errs.also(duplicateAdapterNames(adapters));
}

/** `AdapterSpec.validateCreateorUpdate` (KAITO runs it on update only). */
function validateAdapter(adapter: AdapterSpec): FieldError {
  const source = adapter.source;
  if (!source) return FieldError.missing('Source');
  let errs = validateDataSourceCreate(source).viaField('Adapters');
  if (!source.name) {
    errs = errs.also(
      FieldError.missing('Name of Adapter field must be specified'),
    );
  } else {
    const dns = dns1123SubdomainErrors(source.name);
    if (dns.length > 0) {
      errs = errs.also(
        FieldError.invalidValue(dns.join(', '), 'adapters.source.name'),
      );
    }
  }
  if (!source.image && !source.volumeSource) {
    errs = errs.also(
      FieldError.generic(
        'Either Image or Volume must be specified for adapter source',
        'adapters.source',
      ),
    );
  }
  if ((source.urls ?? []).length > 0) {
    errs = errs.also(
      FieldError.generic(
        'URLs are not supported as adapter source',
        'adapters.source.urls',
      ),
    );
  }
  const strength = adapter.strength ?? '1.0';
  const value = Number(strength);
  if (strength.trim() === '' || Number.isNaN(value)) {
    errs = errs.also(
      FieldError.generic(
        `Invalid strength value for Adapter '${source.name}': strconv.ParseFloat: parsing "${strength}": invalid syntax`,
        'adapter',
      ),
    );
  } else if (value < 0 || value > 1) {
    errs = errs.also(
      FieldError.generic(
        `Strength value for Adapter '${source.name}' must be between 0 and 1`,
        'adapter',
      ),
    );
  }
  return errs;
}

export function validateInferenceUpdate(
  inference: InferenceSpec,
  old: InferenceSpec | undefined,
): FieldError {
  if (!old) return FieldError.none();
  let errs = FieldError.none();
  if (
    JSON.stringify(inference.preset ?? null) !==
    JSON.stringify(old.preset ?? null)
  ) {
    errs = errs.also(FieldError.generic('field is immutable', 'preset'));
  }
  if (Boolean(inference.template) !== Boolean(old.template)) {
    errs = errs.also(
      FieldError.generic(
        'field cannot be unset/set if it was set/unset',
        'template',
      ),
    );
  }
  const adapters = inference.adapters ?? [];
  for (const adapter of adapters) errs = errs.also(validateAdapter(adapter));
  return errs.also(duplicateAdapterNames(adapters));
}

/** `Workspace.validateInferenceConfig` (vLLM only); paths are top-level. */
export function validateInferenceConfig(
  ws: Workspace,
  ctx: AdmissionContext,
): FieldError {
  if (runtimeOf(ws) !== 'vllm') return FieldError.none();
  const name = ws.inference?.config || DEFAULT_INFERENCE_CONFIG;
  const namespace = ws.inference?.config
    ? ws.metadata.namespace ?? 'default'
    : ctx.releaseNamespace;
  const cm = ctx.getConfigMap(namespace, name);
  if (!cm) {
    return FieldError.generic(
      `ConfigMap '${name}' specified in 'config' not found in namespace '${namespace}'`,
      'config',
    );
  }
  const yamlText = (cm.data as Record<string, string> | undefined)?.[
    'inference_config.yaml'
  ];
  if (yamlText === undefined)
    return FieldError.missing('inference_config.yaml in ConfigMap');
  let parsed: { vllm?: Record<string, unknown> } | null;
  try {
    parsed = YAML.parse(yamlText);
  } catch (e) {
    return FieldError.generic(
      `Failed to parse inference_config.yaml: ${(e as Error).message}`,
      'inference_config.yaml',
    );
  }
  const raw = parsed?.vllm?.['max-model-len'];
  const preset = resolvePreset(ws.inference?.preset?.name);
  if (raw !== undefined && String(raw).trim() !== '' && preset) {
    const value = Number(String(raw).trim());
    if (!Number.isInteger(value)) {
      return FieldError.invalidValue(
        `max-model-len must be an integer: strconv.Atoi: parsing "${raw}": invalid syntax`,
        'max-model-len',
      );
    }
    if (value > preset.contextLength) {
      return FieldError.invalidValue(
        `max-model-len ${value} exceeds model's maximum supported context window ${preset.contextLength} (ModelTokenLimit)`,
        'max-model-len',
      );
    }
  }
  return FieldError.none();
}
