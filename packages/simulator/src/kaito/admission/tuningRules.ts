import { DEFAULT_LORA_CONFIG, DEFAULT_QLORA_CONFIG } from '../constants';
import type { TuningSpec } from '../workspace';
import type { AdmissionContext, KaitoApiVersion } from './context';
import {
  validateDataDestinationCreate,
  validateDataDestinationUpdate,
  validateDataSourceCreate,
  validateDataSourceUpdate,
} from './dataSourceRules';
import { FieldError } from './fieldError';
import { samePresetSpec } from './presetSpec';
import { validateTuningConfigMap } from './tuningConfigRules';
import { WebhookPanic } from './webhookPanic';

/**
 * `TuningSpec` rules of `api/<version>/workspace_validation.go`. Paths are
 * relative to `tuning`. KAITO does not check here that the preset can be
 * tuned (nor the SKU); neither does the simulator.
 */
export function validateTuningCreate(
  tuning: TuningSpec,
  namespace: string,
  version: KaitoApiVersion,
  ctx: AdmissionContext,
): FieldError {
  let errs = FieldError.none();
  const method = (tuning.method ?? '').toLowerCase();
  if (method !== 'lora' && method !== 'qlora') {
    errs = errs.also(FieldError.invalidValue(tuning.method ?? '', 'Method'));
  }
  const configField = tuning.config ?? '';
  const templates: Record<string, string> = {
    lora: DEFAULT_LORA_CONFIG,
    qlora: DEFAULT_QLORA_CONFIG,
  };
  const lookup = configField
    ? { namespace, name: configField }
    : { namespace: ctx.releaseNamespace, name: templates[method] ?? '' };
  const configErrs = validateTuningConfigMap(
    lookup.name ? ctx.getConfigMap(lookup.namespace, lookup.name) : undefined,
    { namespace: lookup.namespace, configField },
    method,
    version,
  );
  if (!configErrs.empty) {
    errs = errs.also(
      FieldError.generic(
        `Failed to evaluate validateConfigMap: ${configErrs.toString()}`,
        'Config',
      ),
    );
  }
  const rules = { checkUrls: version === 'v1beta1' };
  errs = errs.also(
    tuning.input
      ? validateDataSourceCreate(tuning.input, rules).viaField('Input')
      : FieldError.missing('Input'),
    tuning.output
      ? validateDataDestinationCreate(tuning.output).viaField('Output')
      : FieldError.missing('Output'),
  );
  if (!tuning.preset) {
    errs = errs.also(FieldError.missing('Preset'));
  } else if (!ctx.models.isValidPreset(tuning.preset.name ?? '')) {
    errs = errs.also(
      FieldError.invalidValue(
        `Unsupported tuning preset name ${tuning.preset.name ?? ''}`,
        'presetName',
      ),
    );
  }
  return errs;
}

/** `TuningSpec.validateUpdate`; v1alpha1 lacks the guard for a missing old spec and panics. */
export function validateTuningUpdate(
  tuning: TuningSpec,
  old: TuningSpec | undefined,
  version: KaitoApiVersion,
): FieldError {
  if (!old) {
    if (version === 'v1alpha1') {
      throw new WebhookPanic(
        'invalid memory address or nil pointer dereference (TuningSpec.validateUpdate: old tuning is nil)',
      );
    }
    return FieldError.none();
  }
  let errs = FieldError.none().also(
    tuning.input
      ? validateDataSourceUpdate(tuning.input, old.input, true).viaField(
          'Input',
        )
      : FieldError.missing('Input'),
    tuning.output
      ? validateDataDestinationUpdate(tuning.output).viaField('Output')
      : FieldError.missing('Output'),
  );
  if (!samePresetSpec(tuning.preset, old.preset)) {
    errs = errs.also(FieldError.generic('Preset cannot be changed', 'Preset'));
  }
  if (
    (tuning.method ?? '').toLowerCase() !== (old.method ?? '').toLowerCase()
  ) {
    errs = errs.also(FieldError.generic('Method cannot be changed', 'Method'));
  }
  return errs;
}
