import { posix } from 'node:path';
import YAML from 'yaml';
import type { KubeObject } from '../../kube/api';
import { FieldError } from './fieldError';

/**
 * The tuning ConfigMap checks of `api/v1beta1/tuning_config_validation.go`:
 * key `training_config.yaml`, known sections only, quantization consistent
 * with the method, `output_dir` under `/mnt`.
 */
const SECTIONS = [
  'ModelConfig',
  'QuantizationConfig',
  'LoraConfig',
  'TrainingArguments',
  'DatasetConfig',
  'DataCollator',
];

type Parsed = Record<string, unknown>;

function goTypeName(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'int' : 'float64';
  if (Array.isArray(value)) return '[]interface {}';
  if (value && typeof value === 'object')
    return 'map[interface {}]interface {}';
  return typeof value;
}

/** `utils.SearchRawExtension`: depth-first search for a key. */
function searchKey(
  value: unknown,
  key: string,
): { found: boolean; value?: unknown } {
  if (!value || typeof value !== 'object') return { found: false };
  if (!Array.isArray(value) && key in (value as Parsed)) {
    return { found: true, value: (value as Parsed)[key] };
  }
  for (const child of Object.values(value as Parsed)) {
    const hit = searchKey(child, key);
    if (hit.found) return hit;
  }
  return { found: false };
}

function validateSchema(data: string | undefined): FieldError {
  if (data === undefined)
    return FieldError.missing('training_config.yaml in ConfigMap');
  let raw: unknown;
  try {
    raw = YAML.parse(data);
  } catch (e) {
    return FieldError.invalidValue(
      (e as Error).message,
      'training_config.yaml',
    );
  }
  const config = (raw as Parsed | null)?.training_config;
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    return FieldError.invalidValue(
      "Expected 'training_config' key to contain a map",
      'training_config.yaml',
    );
  }
  for (const section of Object.keys(config)) {
    if (!SECTIONS.includes(section)) {
      return FieldError.invalidValue(
        `Unrecognized section: ${section}`,
        'training_config.yaml',
      );
    }
  }
  return FieldError.none();
}

function parseTrainingConfig(cm: KubeObject): {
  config?: Parsed;
  error?: FieldError;
} {
  const name = cm.metadata.name;
  const namespace = cm.metadata.namespace;
  const data = (cm.data as Record<string, string> | undefined)?.[
    'training_config.yaml'
  ];
  if (data === undefined) {
    return {
      error: FieldError.generic(
        `ConfigMap '${name}' does not contain 'training_config.yaml' in namespace '${namespace}'`,
        'config',
      ),
    };
  }
  try {
    const parsed = YAML.parse(data) as Parsed | null;
    return { config: (parsed?.training_config as Parsed | undefined) ?? {} };
  } catch (e) {
    return {
      error: FieldError.generic(
        `Failed to parse 'training_config.yaml' in ConfigMap '${name}' in namespace '${namespace}': ${
          (e as Error).message
        }`,
        'config',
      ),
    };
  }
}

function validateMethod(cm: KubeObject, method: string): FieldError {
  const { config, error } = parseTrainingConfig(cm);
  if (error) return error;
  const name = cm.metadata.name;
  const quant = config!.QuantizationConfig;
  if (quant === undefined) {
    return method === 'qlora'
      ? FieldError.missing(
          `For method 'qlora', either 'load_in_4bit' or 'load_in_8bit' must be true in ConfigMap '${name}'`,
          'QuantizationConfig',
        )
      : FieldError.none();
  }
  const in4 = searchKey(quant, 'load_in_4bit').value;
  const in8 = searchKey(quant, 'load_in_8bit').value;
  for (const [key, value] of [
    ['load_in_4bit', in4],
    ['load_in_8bit', in8],
  ] as const) {
    if (value !== undefined && value !== null && typeof value !== 'boolean') {
      return FieldError.invalidValue(
        `value must be either nil or a boolean, got type ${goTypeName(value)}`,
        key,
      );
    }
  }
  if (in4 === true && in8 === true) {
    return FieldError.generic(
      `Cannot set both 'load_in_4bit' and 'load_in_8bit' to true in ConfigMap '${name}'`,
      'QuantizationConfig',
    );
  }
  if (method === 'lora' && (in4 === true || in8 === true)) {
    return FieldError.generic(
      `For method 'lora', 'load_in_4bit' or 'load_in_8bit' in ConfigMap '${name}' must not be true`,
      'QuantizationConfig',
    );
  }
  if (method === 'qlora' && in4 !== true && in8 !== true) {
    return FieldError.missing(
      `For method 'qlora', either 'load_in_4bit' or 'load_in_8bit' must be true in ConfigMap '${name}'`,
      'QuantizationConfig',
    );
  }
  return FieldError.none();
}

function validateTrainingArgs(cm: KubeObject): FieldError {
  const { config, error } = parseTrainingConfig(cm);
  if (error) return error;
  const args = config!.TrainingArguments;
  if (args === undefined) return FieldError.none();
  const outputDir = searchKey(args, 'output_dir');
  if (!outputDir.found) return FieldError.none();
  const { name, namespace } = cm.metadata;
  if (typeof outputDir.value !== 'string') {
    return FieldError.invalidValue(
      `output_dir is not a string in ConfigMap '${name}' in namespace '${namespace}'`,
      'output_dir',
    );
  }
  const clean = posix
    .normalize(posix.join('/mnt', outputDir.value))
    .replace(/\/$/, '');
  if (clean === '/mnt' || !clean.startsWith('/mnt')) {
    return FieldError.invalidValue(
      `Invalid output_dir specified: '${outputDir.value}', must be a directory`,
      'output_dir',
    );
  }
  return FieldError.none();
}

/** `TuningSpec.validateConfigMap`: the error KAITO wraps as `tuning.Config`. */
export function validateTuningConfigMap(
  cm: KubeObject | undefined,
  lookup: { namespace: string; configField: string },
  method: string,
): FieldError {
  if (!cm) {
    return FieldError.generic(
      `ConfigMap '${lookup.configField}' specified in 'config' not found in namespace '${lookup.namespace}'`,
      'config',
    );
  }
  const data = (cm.data as Record<string, string> | undefined)?.[
    'training_config.yaml'
  ];
  return validateSchema(data).also(
    validateMethod(cm, method),
    validateTrainingArgs(cm),
  );
}
