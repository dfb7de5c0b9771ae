/**
 * KAITO v0.12's model lookup as its webhook sees it:
 * `plugin.KaitoModelRegister` (`pkg/utils/plugin/plugin.go`), `models.GetModelByName`
 * (`presets/workspace/models/vllm_model.go`) and the metadata of
 * `supported_models.yaml`.
 *
 * - A preset name is valid when it is registered, a legacy short name, or
 *   looks like a Hugging Face ID (`a/b`).
 * - `GetModelByName` resolves a legacy name to its HF ID, then registers the
 *   model from KAITO's embedded model catalog (`model_catalog.yaml`, here the
 *   shared catalog of `@kaito-backstage/plugin-kaito-common`). Catalog
 *   models are downloaded at run time and need no token at admission.
 *   An ID outside the catalog would be fetched from Hugging Face; the
 *   simulator has no Hugging Face and answers as it does for a repository
 *   it cannot see (401 without a token, 404 with one).
 * - `MustGet` (the v1alpha1 webhook) only finds what is registered under
 *   exactly that name: the extra models configured (as KAITO's tests
 *   register theirs) and models registered by earlier lookups.
 */
import { kaitoPresets } from '@kaito-backstage/plugin-kaito-common';

/** The `model.PresetParam` fields admission reads, with the model's capabilities. */
export interface ModelParams {
  /** `Metadata.Name`, printed by runtime validation (empty for test models). */
  metadataName: string;
  /** `TotalSafeTensorFileSize`, a quantity string; empty skips the memory checks. */
  totalSafeTensorFileSize: string;
  modelTokenLimit: number;
  downloadAtRuntime: boolean;
  downloadAuthRequired: boolean;
  /** `Transformers.BaseCommand` is set: the preset runs on the transformers runtime. */
  transformers: boolean;
  /** `VLLM.DisallowLoRA` */
  disallowLoRA: boolean;
  /** `VLLM.ModelName` */
  vllmModelName: string;
  supportDistributedInference: boolean;
  /** v1alpha1 `ImageAccessMode` ('private' presets need a private image). */
  imageAccessMode: string;
}

/**
 * A model registered by name, as KAITO's validation tests register theirs
 * (`RegisterValidationTestModels`); unset fields take the zero values those
 * Go test models have.
 */
export interface RegisteredModel extends Partial<ModelParams> {
  name: string;
}

/** `plugin.LegacyBuiltinToCatalog` (v0.12.0). */
const LEGACY_BUILTIN_TO_CATALOG: Record<string, string> = {
  'phi-4': 'microsoft/phi-4',
  'phi-4-mini-instruct': 'microsoft/phi-4-mini-instruct',
  'llama-3.1-8b-instruct': 'meta-llama/llama-3.1-8b-instruct',
  'llama-3.3-70b-instruct': 'meta-llama/llama-3.3-70b-instruct',
  'deepseek-r1-distill-llama-8b': 'deepseek-ai/deepseek-r1-distill-llama-8b',
  'deepseek-r1-distill-qwen-14b': 'deepseek-ai/deepseek-r1-distill-qwen-14b',
  'deepseek-r1-0528': 'deepseek-ai/deepseek-r1-0528',
  'deepseek-v3-0324': 'deepseek-ai/deepseek-v3-0324',
  'phi-3-mini-4k-instruct': 'microsoft/phi-3-mini-4k-instruct',
  'phi-3-mini-128k-instruct': 'microsoft/phi-3-mini-128k-instruct',
  'phi-3-medium-4k-instruct': 'microsoft/phi-3-medium-4k-instruct',
  'phi-3-medium-128k-instruct': 'microsoft/phi-3-medium-128k-instruct',
  'phi-3.5-mini-instruct': 'microsoft/phi-3.5-mini-instruct',
  'qwen2.5-coder-7b-instruct': 'qwen/qwen2.5-coder-7b-instruct',
  'qwen2.5-coder-32b-instruct': 'qwen/qwen2.5-coder-32b-instruct',
  'gpt-oss-20b': 'openai/gpt-oss-20b',
  'gpt-oss-120b': 'openai/gpt-oss-120b',
  'gemma-3-4b-instruct': 'google/gemma-3-4b-it',
  'gemma-3-27b-instruct': 'google/gemma-3-27b-it',
  'mistral-7b': 'mistralai/mistral-7b-v0.3',
  'mistral-7b-instruct': 'mistralai/mistral-7b-instruct-v0.3',
  'ministral-3-3b-instruct': 'mistralai/ministral-3-3b-instruct-2512',
  'ministral-3-8b-instruct': 'mistralai/ministral-3-8b-instruct-2512',
  'ministral-3-14b-instruct': 'mistralai/ministral-3-14b-instruct-2512',
  'mistral-large-3-675b-instruct':
    'mistralai/mistral-large-3-675b-instruct-2512',
};

/**
 * Keys of `TransformerInferenceParameters`
 * (`transformer_runtime_inference_parameters.go`), matched against the
 * generated `Metadata.Name` (the lowercased last segment of the HF ID), so
 * e.g. `mistral-large-3-675b-instruct-2512` finds none.
 */
const TRANSFORMERS_MODELS = new Set([
  'phi-4',
  'phi-3-mini-4k-instruct',
  'phi-3-mini-128k-instruct',
  'phi-3-medium-4k-instruct',
  'phi-3-medium-128k-instruct',
  'phi-3.5-mini-instruct',
  'mistral-7b-v0.3',
  'mistral-7b-instruct-v0.3',
  'mistral-large-3-675b-instruct',
  'gemma-3-4b-it',
  'gemma-3-27b-it',
  'qwen2.5-coder-7b-instruct',
  'qwen2.5-coder-32b-instruct',
  'llama-3.1-8b-instruct',
  'llama-3.3-70b-instruct',
  'gpt-oss-20b',
  'gpt-oss-120b',
  'deepseek-r1-distill-llama-8b',
  'deepseek-r1-distill-qwen-14b',
  'deepseek-r1-0528',
  'deepseek-v3-0324',
]);

/** `supported_models.yaml` entries marked `deprecated: true` (v0.12.0). */
const DEPRECATED_MODELS = new Set(['phi-2']);

const HUGGING_FACE = 'https://huggingface.co';

/** What a Go test model without a field returns for it. */
const ZERO: ModelParams = {
  metadataName: '',
  totalSafeTensorFileSize: '',
  modelTokenLimit: 0,
  downloadAtRuntime: false,
  downloadAuthRequired: false,
  transformers: false,
  disallowLoRA: false,
  vllmModelName: '',
  supportDistributedInference: false,
  imageAccessMode: '',
};

/** The parameters `vLLMCompatibleModel.GetInferenceParameters` gives a catalog model. */
function catalogParams(huggingFaceId: string): ModelParams | undefined {
  const preset = kaitoPresets.find(
    p => !p.deprecated && p.huggingFaceId.toLowerCase() === huggingFaceId,
  );
  if (!preset) return undefined;
  const segments = preset.huggingFaceId.split('/');
  const metadataName = segments[segments.length - 1].toLowerCase();
  return {
    metadataName,
    totalSafeTensorFileSize: `${preset.modelWeightGiB}Gi`,
    modelTokenLimit: preset.contextLength,
    downloadAtRuntime: true,
    downloadAuthRequired: false,
    transformers: TRANSFORMERS_MODELS.has(metadataName),
    disallowLoRA: false,
    vllmModelName: metadataName,
    supportDistributedInference: true,
    imageAccessMode: '',
  };
}

export type ModelLookup = { model: ModelParams } | { error: string };

export class ModelRegistry {
  private readonly registered = new Map<string, ModelParams>();

  /**
   * @param extra models registered by name at start-up
   * @param hfToken the `HF_TOKEN` of a Secret, if it exists (`GetHFTokenFromSecret`)
   */
  constructor(
    extra: RegisteredModel[],
    private readonly hfToken: (
      namespace: string,
      secretName: string,
    ) => string | undefined,
  ) {
    for (const { name, ...params } of extra) {
      this.registered.set(name, { ...ZERO, ...params });
    }
  }

  /** `plugin.IsValidPreset` */
  isValidPreset(name: string): boolean {
    if (this.registered.has(name)) return true;
    if (name.toLowerCase() in LEGACY_BUILTIN_TO_CATALOG) return true;
    const slash = name.indexOf('/');
    return slash > 0 && slash < name.length - 1;
  }

  /** `KaitoModelRegister.MustGet`: exact name, registered models only. */
  mustGet(name: string): ModelParams | undefined {
    return this.registered.get(name);
  }

  /** `metadata.MustGet(name).Deprecated` (false when the name is not in `supported_models.yaml`). */
  isDeprecated(name: string): boolean {
    return DEPRECATED_MODELS.has(name);
  }

  /** `models.GetModelByName(ctx, name, secretName, namespace, client)` */
  getModelByName(
    name: string,
    secretName: string,
    namespace: string,
  ): ModelLookup {
    let modelName = name.toLowerCase();
    modelName = LEGACY_BUILTIN_TO_CATALOG[modelName] ?? modelName;
    const known = this.registered.get(modelName);
    if (known) return { model: known };
    if (!modelName.includes('/')) {
      return { error: `model is not registered: ${modelName}` };
    }
    const fromCatalog = catalogParams(modelName);
    if (fromCatalog) {
      this.registered.set(modelName, fromCatalog);
      return { model: fromCatalog };
    }
    const url = `${HUGGING_FACE}/api/models/${modelName}/tree/main?recursive=true`;
    const token = secretName
      ? this.hfToken(namespace || 'default', secretName)
      : undefined;
    return {
      error: token
        ? `error listing files: failed to fetch ${url}: status 404`
        : `error listing files: authentication required for accessing ${url}`,
    };
  }
}
