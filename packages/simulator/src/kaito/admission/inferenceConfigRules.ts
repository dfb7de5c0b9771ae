import { findSku } from '../catalog';
import { DEFAULT_INFERENCE_CONFIG } from '../constants';
import type { Workspace } from '../workspace';
import type { AdmissionContext, KaitoApiVersion } from './context';
import { FieldError } from './fieldError';
import { atoi } from './goStrconv';
import {
  goTag,
  isMap,
  mapEntries,
  parseGoYaml,
  scalarText,
  typeErrorLine,
  unmarshalErrors,
  type GoYaml,
} from './goYaml';
import type { Runtime } from './runtime';

/**
 * `Workspace.validateInferenceConfig` (`inference_config_validation.go`),
 * vLLM only. v1beta1 checks a ConfigMap named in `inference.config` and
 * caps `max-model-len` at the model's context window; v1alpha1 also checks
 * the release namespace's default template and requires `max-model-len` on
 * multi-GPU SKUs with under 20GiB per GPU and on multi-node workspaces.
 * Paths are top-level.
 */

/** `yaml.Unmarshal(text, &InferenceConfig{VLLM map[string]string})` */
function unmarshalInferenceConfig(
  text: string,
  version: KaitoApiVersion,
): { vllm: Record<string, string> } | { error: string } {
  const parsed = parseGoYaml(text);
  if ('error' in parsed) return parsed;
  const yaml: GoYaml = parsed;
  const vllm: Record<string, string> = {};
  const errors: string[] = [];
  const root = yaml.root;
  if (root && goTag(root) !== '!!null') {
    if (!isMap(root)) {
      errors.push(typeErrorLine(yaml, root, `${version}.InferenceConfig`));
    } else {
      const section = mapEntries(root).find(([key]) => key === 'vllm')?.[1];
      if (section && goTag(section) !== '!!null') {
        if (!isMap(section)) {
          errors.push(typeErrorLine(yaml, section, 'map[string]string'));
        } else {
          for (const [key, value] of mapEntries(section)) {
            if (!value || goTag(value) === '!!null') {
              vllm[key] = '';
            } else if (goTag(value) === '!!map' || goTag(value) === '!!seq') {
              errors.push(typeErrorLine(yaml, value, 'string'));
            } else {
              vllm[key] = scalarText(value);
            }
          }
        }
      }
    }
  }
  return errors.length ? { error: unmarshalErrors(errors) } : { vllm };
}

function configMapErrors(
  ws: Workspace,
  name: string,
  namespace: string,
  ctx: AdmissionContext,
  version: KaitoApiVersion,
): { vllm: Record<string, string> } | { error: FieldError } {
  const cm = ctx.getConfigMap(namespace, name);
  if (!cm) {
    return {
      error: FieldError.generic(
        `ConfigMap '${name}' specified in 'config' not found in namespace '${namespace}'`,
        'config',
      ),
    };
  }
  const text = (cm.data as Record<string, string> | undefined)?.[
    'inference_config.yaml'
  ];
  if (text === undefined) {
    return { error: FieldError.missing('inference_config.yaml in ConfigMap') };
  }
  const parsed = unmarshalInferenceConfig(text, version);
  if ('error' in parsed) {
    return {
      error: FieldError.generic(
        `Failed to parse inference_config.yaml: ${parsed.error}`,
        'inference_config.yaml',
      ),
    };
  }
  void ws;
  return parsed;
}

/** v1beta1 */
export function validateInferenceConfig(
  ws: Workspace,
  runtime: Runtime,
  ctx: AdmissionContext,
): FieldError {
  const name = ws.inference?.config ?? '';
  if (runtime !== 'vllm' || name === '') return FieldError.none();
  const namespace = ws.metadata.namespace ?? '';
  const read = configMapErrors(ws, name, namespace, ctx, 'v1beta1');
  if ('error' in read) return read.error;
  const raw = read.vllm['max-model-len'];
  const preset = ws.inference?.preset;
  if (raw === undefined || raw.trim() === '' || !preset) {
    return FieldError.none();
  }
  const presetName = (preset.name ?? '').toLowerCase();
  if (!ctx.models.isValidPreset(presetName)) return FieldError.none();
  const lookup = ctx.models.getModelByName(
    presetName,
    preset.presetOptions?.modelAccessSecret ?? '',
    namespace,
  );
  if ('error' in lookup) {
    return FieldError.invalidValue(
      `failed to get model preset: ${lookup.error}`,
      'preset',
    );
  }
  const limit = lookup.model.modelTokenLimit;
  if (limit <= 0) return FieldError.none();
  const value = atoi(raw.trim());
  if ('error' in value) {
    return FieldError.invalidValue(
      `max-model-len must be an integer: ${value.error}`,
      'max-model-len',
    );
  }
  if (value.value > limit) {
    return FieldError.invalidValue(
      `max-model-len ${value.value} exceeds model's maximum supported context window ${limit} (ModelTokenLimit)`,
      'max-model-len',
    );
  }
  return FieldError.none();
}

const GIB = 2 ** 30;

/** v1alpha1 */
export function validateInferenceConfigV1alpha1(
  ws: Workspace,
  runtime: Runtime,
  ctx: AdmissionContext,
): FieldError {
  if (runtime !== 'vllm') return FieldError.none();
  const configured = ws.inference?.config ?? '';
  const name = configured || DEFAULT_INFERENCE_CONFIG;
  const namespace = configured
    ? ws.metadata.namespace ?? ''
    : ctx.releaseNamespace;
  const read = configMapErrors(ws, name, namespace, ctx, 'v1alpha1');
  if ('error' in read) return read.error;
  let required = false;
  const sku = findSku(ws.resource?.instanceType ?? '');
  if (sku) {
    const perGpuBytes = Math.floor((sku.gpuMemoryGiB * GIB) / sku.gpuCount);
    if (sku.gpuCount > 1 && perGpuBytes < 20 * GIB) required = true;
  }
  if ((ws.resource?.count ?? 0) > 1) required = true;
  if (required && !read.vllm['max-model-len']) {
    return FieldError.missing(
      'max-model-len is required in the vllm section of inference_config.yaml when using multi-GPU instances with <20GB of memory per GPU or distributed inference',
    );
  }
  return FieldError.none();
}
