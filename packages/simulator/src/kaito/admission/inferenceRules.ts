import { MAX_ADAPTERS } from '../constants';
import type { InferenceSpec } from '../workspace';
import { duplicateAdapterNames, validateAdapter } from './adapterRules';
import type { AdmissionContext, KaitoApiVersion } from './context';
import { FieldError } from './fieldError';
import type { ModelParams } from './models';
import { samePresetSpec } from './presetSpec';
import type { Runtime } from './runtime';
import { WebhookPanic } from './webhookPanic';

/**
 * `InferenceSpec` rules of `api/<version>/workspace_validation.go`. Paths
 * are relative to `inference` (the caller adds it with `viaField`).
 */

/** `PresetParam.Validate(RuntimeContext)` of `pkg/model/interface.go`. */
function runtimeErrors(
  params: ModelParams,
  runtime: Runtime,
  inference: InferenceSpec,
): string | undefined {
  const adapters = inference.adapters ?? [];
  const errs: string[] = [];
  if (runtime === 'transformers') {
    if (!params.transformers) {
      errs.push(
        `model ${params.metadataName} does not support inference with Huggingface Transformers runtime`,
      );
    }
  } else {
    if (adapters.length > 0 && params.disallowLoRA) {
      errs.push(
        `vLLM does not support LoRA adapters for this model: ${params.vllmModelName}`,
      );
    }
    if (adapters.some(a => a.strength !== undefined)) {
      errs.push('vLLM does not support adapter strength');
    }
  }
  return errs.length ? errs.join('; ') : undefined;
}

function presenceErrors(inference: InferenceSpec): FieldError {
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
  return errs;
}

function adapterCountAndNames(inference: InferenceSpec): FieldError {
  const adapters = inference.adapters ?? [];
  let errs = FieldError.none();
  if (adapters.length > MAX_ADAPTERS) {
    errs = errs.also(
      FieldError.generic(
        `Number of Adapters exceeds the maximum limit, maximum of ${MAX_ADAPTERS} allowed`,
      ),
    );
  }
  return adapters.length > 0 ? errs.also(duplicateAdapterNames(adapters)) : errs;
}

const unsupportedPreset = (name: string) =>
  FieldError.invalidValue(
    `Unsupported inference preset name ${name}`,
    'presetName',
  );

/** v1beta1 `InferenceSpec.validateCreate` */
export function validateInferenceCreate(
  inference: InferenceSpec,
  runtime: Runtime,
  namespace: string,
  ctx: AdmissionContext,
): FieldError {
  let errs = presenceErrors(inference);
  const preset = inference.preset;
  if (preset) {
    const name = preset.name ?? '';
    if (!ctx.models.isValidPreset(name)) {
      return errs.also(unsupportedPreset(name));
    }
    const secret = preset.presetOptions?.modelAccessSecret ?? '';
    const lookup = ctx.models.getModelByName(name, secret, namespace);
    if ('error' in lookup) {
      return errs.also(
        FieldError.invalidValue(
          `failed to get model preset: ${lookup.error}`,
          'preset',
        ),
      );
    }
    const params = lookup.model;
    const runtimeError = runtimeErrors(params, runtime, inference);
    if (runtimeError) {
      errs = errs.also(
        FieldError.generic(`Runtime validation: ${runtimeError}`),
      );
    }
    if (params.downloadAtRuntime) {
      if (params.downloadAuthRequired && !secret) {
        errs = errs.also(
          FieldError.generic(
            'This preset requires authentication and needs a modelAccessSecret with HF_TOKEN key under presetOptions to download the model',
          ),
        );
      }
    } else if (secret) {
      errs = errs.also(
        FieldError.generic(
          'This preset does not require a modelAccessSecret with HF_TOKEN key under presetOptions',
        ),
      );
    }
  }
  return errs.also(adapterCountAndNames(inference));
}

/** v1alpha1 `InferenceSpec.validateCreate`: models by exact registered name, private access mode rules. */
export function validateInferenceCreateV1alpha1(
  inference: InferenceSpec,
  runtime: Runtime,
  ctx: AdmissionContext,
): FieldError {
  let errs = presenceErrors(inference);
  const preset = inference.preset;
  if (preset) {
    const name = preset.name ?? '';
    if (!ctx.models.isValidPreset(name)) {
      return errs.also(unsupportedPreset(name));
    }
    const params = ctx.models.mustGet(name);
    if (!params) {
      throw new WebhookPanic(
        `invalid memory address or nil pointer dereference (KaitoModelRegister.MustGet(${JSON.stringify(
          name,
        )}) is nil)`,
      );
    }
    if (params.imageAccessMode === 'private' && preset.accessMode !== 'private') {
      errs = errs.also(
        FieldError.generic(
          'This preset only supports private AccessMode, AccessMode must be private to continue',
        ),
      );
    }
    const runtimeError = runtimeErrors(params, runtime, inference);
    if (runtimeError) {
      errs = errs.also(
        FieldError.generic(`Runtime validation: ${runtimeError}`),
      );
    }
    if (preset.accessMode === 'private' && !preset.presetOptions?.image) {
      errs = errs.also(
        FieldError.generic(
          'When AccessMode is private, an image must be provided in PresetOptions',
        ),
      );
    }
  }
  return errs.also(adapterCountAndNames(inference));
}

/** `InferenceSpec.validateUpdate`; v1alpha1 lacks v1beta1's guard for a missing old spec and panics. */
export function validateInferenceUpdate(
  inference: InferenceSpec,
  old: InferenceSpec | undefined,
  version: KaitoApiVersion,
): FieldError {
  if (!old) {
    if (version === 'v1alpha1') {
      throw new WebhookPanic(
        'invalid memory address or nil pointer dereference (InferenceSpec.validateUpdate: old inference is nil)',
      );
    }
    return FieldError.none();
  }
  let errs = FieldError.none();
  if (!samePresetSpec(inference.preset, old.preset)) {
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
  const rules = { checkUrls: version === 'v1beta1' };
  for (const adapter of adapters) {
    errs = errs.also(validateAdapter(adapter, rules));
  }
  return adapters.length > 0 ? errs.also(duplicateAdapterNames(adapters)) : errs;
}
