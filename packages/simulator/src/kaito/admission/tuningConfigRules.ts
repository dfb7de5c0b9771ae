import { posix } from 'node:path';
import type { KubeObject } from '../../kube/api';
import type { KaitoApiVersion } from './context';
import { FieldError } from './fieldError';
import {
  goTag,
  goTypeOf,
  isMap,
  mapEntries,
  parseGoYaml,
  typeErrorLine,
  unmarshalErrors,
  type GoYaml,
  type Node,
} from './goYaml';

/**
 * The tuning ConfigMap checks of `api/<version>/tuning_config_validation.go`:
 * key `training_config.yaml`, known sections only, quantization consistent
 * with the method, `output_dir` under `/mnt`. As in KAITO, each section is
 * re-marshalled and its keys looked up at its top level
 * (`utils.SearchRawExtension`).
 */
const SECTIONS = [
  'ModelConfig',
  'QuantizationConfig',
  'LoraConfig',
  'TrainingArguments',
  'DatasetConfig',
  'DataCollator',
];

const dataOf = (cm: KubeObject) =>
  (cm.data as Record<string, string> | undefined)?.['training_config.yaml'];

/** `validateTuningConfigMapSchema` */
function validateSchema(cm: KubeObject): FieldError {
  const data = dataOf(cm);
  if (data === undefined) {
    return FieldError.missing('training_config.yaml in ConfigMap');
  }
  const yaml = parseGoYaml(data);
  if ('error' in yaml) {
    return FieldError.invalidValue(yaml.error, 'training_config.yaml');
  }
  if (yaml.root && goTag(yaml.root) !== '!!null' && !isMap(yaml.root)) {
    return FieldError.invalidValue(
      unmarshalErrors([
        typeErrorLine(yaml, yaml.root, 'map[string]interface {}'),
      ]),
      'training_config.yaml',
    );
  }
  const config = yaml.root
    ? mapEntries(yaml.root).find(([k]) => k === 'training_config')?.[1]
    : undefined;
  if (!config || !isMap(config)) {
    return FieldError.invalidValue(
      "Expected 'training_config' key to contain a map",
      'training_config.yaml',
    );
  }
  for (const [section] of mapEntries(config)) {
    if (!SECTIONS.includes(section)) {
      return FieldError.invalidValue(
        `Unrecognized section: ${section}`,
        'training_config.yaml',
      );
    }
  }
  return FieldError.none();
}

/** `UnmarshalTrainingConfig`: the sections present (value nodes), or the parse error. */
function trainingSections(
  cm: KubeObject,
  version: KaitoApiVersion,
): { yaml: GoYaml; sections: Map<string, Node | null> } | { error: FieldError } {
  const { name, namespace } = cm.metadata;
  const data = dataOf(cm);
  if (data === undefined) {
    return {
      error: FieldError.generic(
        `ConfigMap '${name}' does not contain 'training_config.yaml' in namespace '${namespace}'`,
        'config',
      ),
    };
  }
  const parseError = (detail: string) => ({
    error: FieldError.generic(
      `Failed to parse 'training_config.yaml' in ConfigMap '${name}' in namespace '${namespace}': ${detail}`,
      'config',
    ),
  });
  const yaml = parseGoYaml(data);
  if ('error' in yaml) return parseError(yaml.error);
  const sections = new Map<string, Node | null>();
  const root = yaml.root;
  if (!root || goTag(root) === '!!null') return { yaml, sections };
  if (!isMap(root)) {
    return parseError(
      unmarshalErrors([typeErrorLine(yaml, root, `${version}.Config`)]),
    );
  }
  const config = mapEntries(root).find(([k]) => k === 'training_config')?.[1];
  if (!config || goTag(config) === '!!null') return { yaml, sections };
  if (!isMap(config)) {
    return parseError(
      unmarshalErrors([
        typeErrorLine(yaml, config, 'map[string]interface {}'),
      ]),
    );
  }
  for (const [key, value] of mapEntries(config)) {
    if (SECTIONS.includes(key)) sections.set(key, value);
  }
  return { yaml, sections };
}

/**
 * `utils.SearchRawExtension(section, key)`: the section's value must
 * unmarshal into a map; only its top-level keys are searched.
 */
function searchSection(
  yaml: GoYaml,
  section: Node | null,
  key: string,
): { value?: Node | null; found: boolean } | { error: string } {
  if (!section || goTag(section) === '!!null') return { found: false };
  if (!isMap(section)) {
    return {
      error: `failed to unmarshal runtime.RawExtension: ${unmarshalErrors([
        // Re-marshalled on its own, the section starts at line 1.
        typeErrorLine(
          { ...yaml, line: () => 1 },
          section,
          'map[string]interface {}',
        ),
      ])}`,
    };
  }
  const entry = mapEntries(section).find(([k]) => k === key);
  return entry ? { found: true, value: entry[1] } : { found: false };
}

/** `validateNilOrBool` */
function nilOrBoolError(node: Node | null | undefined): string | undefined {
  const tag = goTag(node);
  if (tag === '!!null' || tag === '!!bool') return undefined;
  return `value must be either nil or a boolean, got type ${goTypeOf(node)}`;
}

const isTrue = (node: Node | null | undefined) =>
  goTag(node) === '!!bool' && (node as unknown as { value: boolean }).value;

/** `validateMethodViaConfigMap` */
function validateMethod(
  cm: KubeObject,
  method: string,
  version: KaitoApiVersion,
): FieldError {
  const read = trainingSections(cm, version);
  if ('error' in read) return read.error;
  const name = cm.metadata.name;
  const qloraMissing = () =>
    FieldError.missing(
      `For method 'qlora', either 'load_in_4bit' or 'load_in_8bit' must be true in ConfigMap '${name}'`,
      'QuantizationConfig',
    );
  if (!read.sections.has('QuantizationConfig')) {
    return method === 'qlora' ? qloraMissing() : FieldError.none();
  }
  const section = read.sections.get('QuantizationConfig')!;
  const in4 = searchSection(read.yaml, section, 'load_in_4bit');
  if ('error' in in4) return FieldError.invalidValue(in4.error, 'load_in_4bit');
  const in8 = searchSection(read.yaml, section, 'load_in_8bit');
  if ('error' in in8) return FieldError.invalidValue(in8.error, 'load_in_8bit');
  for (const [key, hit] of [
    ['load_in_4bit', in4],
    ['load_in_8bit', in8],
  ] as const) {
    const error = hit.found ? nilOrBoolError(hit.value) : undefined;
    if (error) return FieldError.invalidValue(error, key);
  }
  const four = isTrue(in4.value);
  const eight = isTrue(in8.value);
  if (four && eight) {
    return FieldError.generic(
      `Cannot set both 'load_in_4bit' and 'load_in_8bit' to true in ConfigMap '${name}'`,
      'QuantizationConfig',
    );
  }
  if (method === 'lora' && (four || eight)) {
    return FieldError.generic(
      `For method 'lora', 'load_in_4bit' or 'load_in_8bit' in ConfigMap '${name}' must not be true`,
      'QuantizationConfig',
    );
  }
  if (method === 'qlora' && !four && !eight) return qloraMissing();
  return FieldError.none();
}

/** `validateTrainingArgsViaConfigMap` */
function validateTrainingArgs(
  cm: KubeObject,
  version: KaitoApiVersion,
): FieldError {
  const read = trainingSections(cm, version);
  if ('error' in read) return read.error;
  if (!read.sections.has('TrainingArguments')) return FieldError.none();
  const { name, namespace } = cm.metadata;
  const hit = searchSection(
    read.yaml,
    read.sections.get('TrainingArguments')!,
    'output_dir',
  );
  if ('error' in hit) {
    return FieldError.generic(
      `Failed to parse 'output_dir' in ConfigMap '${name}' in namespace '${namespace}': ${hit.error}`,
      'output_dir',
    );
  }
  if (!hit.found) return FieldError.none();
  if (goTag(hit.value) !== '!!str') {
    return FieldError.invalidValue(
      `output_dir is not a string in ConfigMap '${name}' in namespace '${namespace}'`,
      'output_dir',
    );
  }
  const dir = String((hit.value as unknown as { value: unknown }).value);
  const clean = posix.normalize(posix.join('/mnt', dir)).replace(/(.)\/$/, '$1');
  if (clean === '/mnt' || !clean.startsWith('/mnt')) {
    return FieldError.invalidValue(
      `Invalid output_dir specified: '${dir}', must be a directory`,
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
  version: KaitoApiVersion,
): FieldError {
  if (!cm) {
    return FieldError.generic(
      `ConfigMap '${lookup.configField}' specified in 'config' not found in namespace '${lookup.namespace}'`,
      'config',
    );
  }
  return validateSchema(cm).also(
    validateMethod(cm, method, version),
    validateTrainingArgs(cm, version),
  );
}
