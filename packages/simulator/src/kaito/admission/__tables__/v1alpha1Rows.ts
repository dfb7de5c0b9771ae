/**
 * api/v1alpha1/workspace_validation_test.go, sent as kaito.sh/v1alpha1: the
 * API server calls KAITO's webhook in the version the client used, and
 * v1alpha1's rules are its own (older) ones: the memory check runs for
 * vLLM too, models are looked up by exact registered name, the default
 * inference template is read and needs `max-model-len` for multi-node or
 * small multi-GPU SKUs, and there are no BYO, annotation or URL rules.
 */
import { KAITO_TEST_NAMESPACE } from './preconditions';
import {
  ADMITTED,
  DNS1123_LABEL_ERROR,
  DNS1123_SUBDOMAIN_ERROR,
  denied,
  NAP,
  napResource,
  preset,
  resource,
  schemaInvalid,
  SUPPORTED_SKUS,
  TRANSFORMERS,
  tuning,
  webhookCrash,
  workspace,
  type TableRow,
} from './tableRow';

const source = 'api/v1alpha1/workspace_validation_test.go' as const;

const row = (
  goTest: string,
  goCase: string,
  rest: Omit<TableRow, 'source' | 'goTest' | 'goCase' | 'version'>,
): TableRow => ({ source, goTest, goCase, version: 'v1alpha1', ...rest });

const alpha = (
  name: string,
  fields: Record<string, unknown>,
  meta: { annotations?: Record<string, string>; namespace?: string } = {},
) => ({ ...workspace(name, fields, meta), apiVersion: 'kaito.sh/v1alpha1' });

const inference = (
  name: string,
  spec: Record<string, unknown>,
  res: Record<string, unknown> = napResource(name),
  meta: { annotations?: Record<string, string>; namespace?: string } = {},
) => alpha(name, { resource: res, inference: spec }, meta);

const MAX_MODEL_LEN =
  'missing field(s): max-model-len is required in the vllm section of inference_config.yaml when using multi-GPU instances with <20GB of memory per GPU or distributed inference';

const resourceCreate = (
  goCase: string,
  size: string,
  name: string,
  res: Record<string, unknown>,
  spec: Record<string, unknown>,
  expect: TableRow['expect'],
  note?: string,
) =>
  row('TestResourceSpecValidateCreate', goCase, {
    setup: { ...NAP, testValidationSize: size },
    workspace: inference(name, spec, res),
    expect,
    ...(note ? { note } : {}),
  });

const TEST_PRESET = preset('test-validation');

export const v1alpha1ResourceRows: TableRow[] = [
  resourceCreate(
    'Valid Resource',
    '152Gi',
    'a-rc-valid',
    napResource('a-rc-valid', { instanceType: 'Standard_ND96asr_v4' }),
    TEST_PRESET,
    ADMITTED,
  ),
  resourceCreate(
    'Valid Resource - SKU Capacity == Model Requirement',
    '16Gi',
    'a-rc-equal',
    napResource('a-rc-equal'),
    TEST_PRESET,
    ADMITTED,
  ),
  resourceCreate(
    'Insufficient total GPU memory',
    '32Gi',
    'a-rc-small',
    napResource('a-rc-small'),
    TEST_PRESET,
    denied(
      'invalid value: Insufficient total GPU memory: Instance type Standard_NV36ads_A10_v5 has a total of 24Gi, but preset test-validation requires at least 32Gi: resource.instanceType',
    ),
    'v1alpha1 checks GPU memory with the vLLM runtime too.',
  ),
  resourceCreate(
    'GPU count not validated (removed after mem estimator)',
    '30Gi',
    'a-rc-a100',
    napResource('a-rc-a100', { instanceType: 'Standard_NC24ads_A100_v4' }),
    TEST_PRESET,
    ADMITTED,
  ),
  resourceCreate(
    'Invalid SKU',
    '',
    'a-rc-bad-sku',
    napResource('a-rc-bad-sku', { instanceType: 'Standard_invalid_sku' }),
    { template: {} },
    denied(
      `invalid value: Unsupported instance type Standard_invalid_sku. Supported SKUs: ${SUPPORTED_SKUS}: resource.instanceType`,
    ),
  ),
  resourceCreate('Only Template set', '', 'a-rc-template', napResource('a-rc-template'), { template: {} }, ADMITTED),
  resourceCreate(
    'N-Prefix SKU',
    '',
    'a-rc-n',
    napResource('a-rc-n', { instanceType: 'Standard_Nsku' }),
    { template: {} },
    ADMITTED,
  ),
  resourceCreate(
    'D-Prefix SKU',
    '',
    'a-rc-d',
    napResource('a-rc-d', { instanceType: 'Standard_Dsku' }),
    { template: {} },
    ADMITTED,
  ),
  row('TestResourceSpecValidateCreate', 'Tuning validation with single node', {
    setup: NAP,
    workspace: alpha('a-rc-tuning-one', { resource: napResource('a-rc-tuning-one'), tuning: tuning() }),
    expect: ADMITTED,
  }),
  row('TestResourceSpecValidateCreate', 'Tuning validation with multinode', {
    setup: NAP,
    workspace: alpha('a-rc-tuning-two', {
      resource: napResource('a-rc-tuning-two', { count: 2 }),
      tuning: tuning(),
    }),
    expect: denied(
      'invalid value: Tuning does not currently support multinode configurations. Please set the node count to 1. Future support with DeepSpeed will allow this.: resource.count',
    ),
  }),
  resourceCreate(
    'Invalid Preset Name',
    '',
    'a-rc-bad-preset',
    napResource('a-rc-bad-preset', { count: 2 }),
    preset('Invalid-Preset-Name'),
    denied(
      'invalid value: Unsupported inference preset name Invalid-Preset-Name: inference.presetName',
      MAX_MODEL_LEN,
    ),
    'Count 2 also makes the v1alpha1 webhook require max-model-len, which the default inference template lacks.',
  ),
  resourceCreate(
    'Deprecated Model',
    '',
    'a-rc-deprecated',
    napResource('a-rc-deprecated'),
    preset('phi-2'),
    denied(
      'Model phi-2 is deprecated and no longer supported: resource.presetName',
      'invalid value: Unsupported inference preset name phi-2: inference.presetName',
    ),
  ),
  resourceCreate(
    'Empty TotalSafeTensorFileSize skips GPU memory validation',
    '',
    'a-rc-size-empty',
    napResource('a-rc-size-empty'),
    TEST_PRESET,
    ADMITTED,
  ),
  resourceCreate(
    'Malformed TotalSafeTensorFileSize returns validation error',
    'not-a-quantity',
    'a-rc-size-bad',
    napResource('a-rc-size-bad'),
    TEST_PRESET,
    denied(
      "invalid value: invalid TotalSafeTensorFileSize \"not-a-quantity\" for preset test-validation: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': resource.TotalSafeTensorFileSize",
    ),
  ),
  resourceCreate(
    'Valid TotalSafeTensorFileSize with sufficient memory passes',
    '1Gi',
    'a-rc-size-ok',
    napResource('a-rc-size-ok'),
    TEST_PRESET,
    ADMITTED,
  ),
];

const templated = (name: string, res: Record<string, unknown>) =>
  inference(name, { template: {} }, res);

const A10 = 'Standard_NV36ads_A10_v5';

export const v1alpha1ResourceUpdateRows: TableRow[] = [
  row('TestResourceSpecValidateUpdate', 'Immutable Count', {
    setup: NAP,
    before: {
      workspace: templated('a-ru-count', resource('a-ru-count', { instanceType: A10, count: 5 })),
      restore: true,
    },
    workspace: templated('a-ru-count', resource('a-ru-count', { instanceType: A10, count: 10 })),
    expect: denied('field is immutable: resource.count'),
    note: 'With the same instanceType on both sides: a v1alpha1 write without one gets the CRD default. Restored: creating count 5 through v1alpha1 needs an inference ConfigMap with max-model-len.',
  }),
  row('TestResourceSpecValidateUpdate', 'Immutable InstanceType', {
    setup: NAP,
    before: {
      workspace: templated('a-ru-type', resource('a-ru-type', { instanceType: 'old_type' })),
      restore: true,
    },
    workspace: templated('a-ru-type', resource('a-ru-type', { instanceType: 'new_type' })),
    expect: denied('field is immutable: resource.instanceType'),
  }),
  row('TestResourceSpecValidateUpdate', 'Immutable LabelSelector', {
    setup: NAP,
    before: {
      workspace: templated('a-ru-labels', {
        instanceType: A10,
        labelSelector: { matchLabels: { key2: 'value2' } },
      }),
    },
    workspace: templated('a-ru-labels', {
      instanceType: A10,
      labelSelector: { matchLabels: { key1: 'value1' } },
    }),
    expect: denied('field is immutable: resource.labelSelector'),
  }),
  row('TestResourceSpecValidateUpdate', 'Valid Update', {
    setup: NAP,
    before: {
      workspace: templated('a-ru-same', {
        count: 5,
        instanceType: 'same_type',
        labelSelector: { matchLabels: { key: 'value' } },
      }),
      restore: true,
    },
    workspace: templated('a-ru-same', {
      count: 5,
      instanceType: 'same_type',
      labelSelector: { matchLabels: { key: 'value' } },
    }),
    expect: ADMITTED,
  }),
];

const adapters = (count: number, options: { name?: () => string; strength?: string } = {}) =>
  Array.from({ length: count }, (_, k) => ({
    source: {
      name: options.name ? options.name() : `Adapter-${k + 1}`,
      image: `fake.kaito.com/kaito-image:0.0.${k + 1}`,
    },
    ...(options.strength ? { strength: options.strength } : {}),
  }));

const STRENGTH = 'Runtime validation: vLLM does not support adapter strength: ';
const publicPreset = (name: string) => ({
  preset: { name, accessMode: 'public' },
});

const inferenceCreate = (
  goCase: string,
  name: string,
  spec: Record<string, unknown>,
  expect: TableRow['expect'],
  annotations?: Record<string, string>,
) =>
  row('TestInferenceSpecValidateCreate', goCase, {
    setup: NAP,
    workspace: inference(name, spec, napResource(name), annotations ? { annotations } : {}),
    expect,
  });

export const v1alpha1InferenceRows: TableRow[] = [
  inferenceCreate(
    'Invalid Preset Name',
    'a-ic-bad',
    preset('Invalid-Preset-Name'),
    denied('invalid value: Unsupported inference preset name Invalid-Preset-Name: inference.presetName'),
  ),
  inferenceCreate('Only Template set', 'a-ic-template', { template: {} }, ADMITTED),
  inferenceCreate(
    'Preset and Template Unset',
    'a-ic-neither',
    {},
    denied('missing field(s): inference.Preset or Template must be specified'),
  ),
  inferenceCreate(
    'Preset and Template Set',
    'a-ic-both',
    { ...TEST_PRESET, template: {} },
    denied('Preset and Template cannot be set at the same time: '),
  ),
  inferenceCreate(
    'Private Access Without Image',
    'a-ic-private',
    { preset: { name: 'test-validation', accessMode: 'private', presetOptions: {} } },
    denied('When AccessMode is private, an image must be provided in PresetOptions: '),
  ),
  inferenceCreate(
    'Private Preset With Public AccessMode',
    'a-ic-private-preset',
    preset('private-test-validation'),
    denied(
      'This preset only supports private AccessMode, AccessMode must be private to continue: ',
    ),
  ),
  inferenceCreate(
    'Adapeters more than 10',
    'a-ic-eleven',
    { ...publicPreset('test-validation'), adapters: adapters(11, { strength: '0.5' }) },
    denied('Number of Adapters exceeds the maximum limit, maximum of 10 allowed: ', STRENGTH),
  ),
  inferenceCreate(
    'Valid with adapters/vllm',
    'a-ic-adapters',
    { ...publicPreset('test-validation'), adapters: adapters(2) },
    ADMITTED,
  ),
  inferenceCreate(
    'Valid with adapters/transformers',
    'a-ic-adapters-tfs',
    { ...publicPreset('test-validation'), adapters: adapters(2, { strength: '0.5' }) },
    ADMITTED,
    TRANSFORMERS,
  ),
  inferenceCreate(
    'Valid with volume adapters/vllm',
    'a-ic-volumes',
    {
      ...publicPreset('test-validation'),
      adapters: [1, 2].map(i => ({
        source: {
          name: `adapter-${i}`,
          volumeSource: { persistentVolumeClaim: { claimName: `pvc-adapter-${i}` } },
        },
      })),
    },
    ADMITTED,
  ),
  inferenceCreate(
    'Adapters with strength/vllm',
    'a-ic-strength',
    { ...publicPreset('test-validation'), adapters: adapters(2, { strength: '0.5' }) },
    denied(STRENGTH),
  ),
  inferenceCreate(
    'Adapters names are duplicated',
    'a-ic-dups',
    {
      ...publicPreset('test-validation'),
      adapters: adapters(2, { name: () => 'Adapter', strength: '0.5' }),
    },
    denied('Duplicate adapter source name found: Adapter: ', STRENGTH),
  ),
  inferenceCreate('Valid Preset', 'a-ic-valid', publicPreset('test-validation'), ADMITTED),
];

const IMAGE = 'fake.kaito.com/kaito-image:0.0.1';
const BAD_NAME = `invalid value: ${DNS1123_SUBDOMAIN_ERROR}: inference.adapters.source.name`;

const adapterRow = (
  goCase: string,
  name: string,
  adapter: Record<string, unknown>,
  expect: TableRow['expect'],
) =>
  row('TestAdapterSpecValidateCreateorUpdate', goCase, {
    setup: NAP,
    before: { workspace: inference(name, TEST_PRESET) },
    workspace: inference(name, { ...TEST_PRESET, adapters: [adapter] }),
    expect,
  });

export const v1alpha1AdapterRows: TableRow[] = [
  adapterRow('Missing Source', 'a-ad-no-source', { strength: '0.5' }, webhookCrash()),
  adapterRow(
    'Missing Source Name',
    'a-ad-no-name',
    { source: { image: IMAGE }, strength: '0.5' },
    denied('missing field(s): inference.Name of Adapter field must be specified'),
  ),
  adapterRow(
    'Invalid Strength, not a number',
    'a-ad-nan',
    { source: { name: 'Adapter-1', image: IMAGE }, strength: 'invalid' },
    denied(
      `Invalid strength value for Adapter 'Adapter-1': strconv.ParseFloat: parsing "invalid": invalid syntax: inference.adapter`,
      BAD_NAME,
    ),
  ),
  adapterRow(
    'Invalid Strength, larger than 1',
    'a-ad-big',
    { source: { name: 'Adapter-1', image: IMAGE }, strength: '1.5' },
    denied("Strength value for Adapter 'Adapter-1' must be between 0 and 1: inference.adapter", BAD_NAME),
  ),
  adapterRow(
    'Invalid Source Name, longer than 253',
    'a-ad-long',
    { source: { name: 'Adapter1'.repeat(32), image: IMAGE }, strength: '0.5' },
    denied(
      `invalid value: must be no more than 253 characters, ${DNS1123_SUBDOMAIN_ERROR}: inference.adapters.source.name`,
    ),
  ),
  adapterRow('Valid Adapter', 'a-ad-valid', { source: { name: 'adapter-1', image: IMAGE } }, ADMITTED),
  adapterRow(
    'Valid Adapter with Volume source',
    'a-ad-volume',
    {
      source: { name: 'adapter-1', volumeSource: { persistentVolumeClaim: { claimName: 'test-pvc' } } },
      strength: '0.5',
    },
    ADMITTED,
  ),
  adapterRow(
    'Missing both Image and Volume',
    'a-ad-no-data',
    { source: { name: 'adapter-1' }, strength: '0.5' },
    denied(
      'Either Image or Volume must be specified for adapter source: inference.adapters.source',
      'Exactly one of URLs, Volume, or Image must be specified: inference.Adapters.Image, inference.Adapters.URLs, inference.Adapters.Volume',
    ),
  ),
  adapterRow(
    'Adapter with unsupported URLs source',
    'a-ad-urls',
    { source: { name: 'adapter-1', urls: ['https://example.com/adapter.bin'] }, strength: '0.5' },
    denied(
      'Either Image or Volume must be specified for adapter source: inference.adapters.source',
      'URLs are not supported as adapter source: inference.adapters.source.urls',
    ),
  ),
];

const SET_UNSET = 'field cannot be unset/set if it was set/unset: inference.template';

export const v1alpha1InferenceUpdateRows: TableRow[] = [
  row('TestInferenceSpecValidateUpdate', 'Preset Immutable', {
    setup: NAP,
    before: { workspace: inference('a-iu-preset', preset('old-preset')), restore: true },
    workspace: inference('a-iu-preset', preset('new-preset')),
    expect: denied('field is immutable: inference.preset'),
  }),
  row('TestInferenceSpecValidateUpdate', 'Template Unset', {
    setup: NAP,
    before: { workspace: inference('a-iu-unset', { template: {} }) },
    workspace: inference('a-iu-unset', {}),
    expect: denied(SET_UNSET),
  }),
  row('TestInferenceSpecValidateUpdate', 'Template Set', {
    setup: NAP,
    before: { workspace: inference('a-iu-set', {}), restore: true },
    workspace: inference('a-iu-set', { template: {} }),
    expect: denied(SET_UNSET),
  }),
  row('TestInferenceSpecValidateUpdate', 'Template Set', {
    setup: NAP,
    before: { workspace: inference('a-iu-set-adapters', {}), restore: true },
    workspace: inference('a-iu-set-adapters', {
      template: {},
      adapters: [
        { source: { name: 'Adapter-1', image: 'fake.kaito.com/kaito-image:0.0.1' } },
        { source: { name: 'Adapter-1', image: 'fake.kaito.com/kaito-image:0.0.6' } },
      ],
    }),
    expect: denied('Duplicate adapter source name found: Adapter-1: ', SET_UNSET, BAD_NAME),
    note: 'The second case of the Go table named "Template Set".',
  }),
  row('TestInferenceSpecValidateUpdate', 'Valid Update', {
    setup: NAP,
    before: { workspace: inference('a-iu-valid', { template: {} }) },
    workspace: inference('a-iu-valid', { template: {} }),
    expect: ADMITTED,
  }),
];

export const v1alpha1WorkspaceRows: TableRow[] = [
  row('TestWorkspaceValidateCreate', 'Neither Inference nor Tuning specified', {
    setup: NAP,
    workspace: alpha('a-wc-neither', { resource: napResource('a-wc-neither') }),
    expect: denied('Either Inference or Tuning must be specified, not neither: spec'),
  }),
  row('TestWorkspaceValidateCreate', 'Both Inference and Tuning specified', {
    setup: NAP,
    workspace: alpha('a-wc-both', { resource: napResource('a-wc-both'), inference: {}, tuning: {} }),
    expect: schemaInvalid('a-wc-both', 'tuning.input: Required value', 'tuning.output: Required value'),
    note: 'The CRD requires tuning.input and tuning.output.',
  }),
  row('TestWorkspaceValidateCreate', 'Only Inference specified', {
    setup: NAP,
    workspace: alpha('a-wc-inference', { resource: napResource('a-wc-inference'), inference: {} }),
    expect: denied('missing field(s): inference.Preset or Template must be specified'),
    note: 'The whole webhook also needs a preset or a template.',
  }),
  row('TestWorkspaceValidateCreate', 'Only Tuning specified', {
    setup: NAP,
    workspace: alpha('a-wc-tuning', { resource: napResource('a-wc-tuning'), tuning: { input: {} } }),
    expect: schemaInvalid('a-wc-tuning', 'tuning.output: Required value'),
    note: 'The CRD requires tuning.output.',
  }),
  row('TestWorkspaceValidateCreate', 'Unsupported node image family annotation', {
    setup: NAP,
    workspace: alpha(
      'a-wc-family',
      { resource: napResource('a-wc-family'), inference: {} },
      { annotations: { 'kaito.sh/node-image-family': 'CustomLinux' } },
    ),
    expect: denied(
      'invalid value: unsupported node image family "CustomLinux", supported values are azurelinux, ubuntu: spec.metadata.annotations["kaito.sh/node-image-family"]',
      'missing field(s): inference.Preset or Template must be specified',
    ),
  }),
  ...(
    [
      ['Valid name', 'valid-name', ADMITTED],
      ['Name with invalid characters', 'phi-3.5-mini', denied(`invalid value: ${DNS1123_LABEL_ERROR}: name`)],
      [
        'Name start with invalid character',
        '-mini',
        schemaInvalid('-mini', `metadata.name: Invalid value: "-mini": ${DNS1123_SUBDOMAIN_ERROR}`),
      ],
    ] as const
  ).map(([goCase, name, expect]) =>
    row('TestWorkspaceValidateName', goCase, {
      setup: NAP,
      workspace: inference(name, preset('test-validation-static')),
      expect,
    }),
  ),
  row('TestWorkspaceValidateUpdate', 'Inference toggled on', {
    setup: NAP,
    before: { workspace: alpha('a-wu-on', {}), restore: true },
    workspace: alpha('a-wu-on', { inference: {} }),
    expect: webhookCrash(),
    note: 'The Go case calls only the toggle rule. The whole v1alpha1 update then validates the new inference against a nil old one and panics (v1beta1 has a guard).',
  }),
  row('TestWorkspaceValidateUpdate', 'Inference toggled off', {
    setup: NAP,
    before: { workspace: alpha('a-wu-off', { inference: { preset: {} } }), restore: true },
    workspace: alpha('a-wu-off', {}),
    expect: denied('Inference field cannot be toggled once set: spec.inference'),
  }),
  row('TestWorkspaceValidateUpdate', 'Tuning toggled on', {
    setup: NAP,
    before: { workspace: alpha('a-wu-tuning-on', {}), restore: true },
    workspace: alpha('a-wu-tuning-on', { tuning: { input: {} } }),
    expect: schemaInvalid('a-wu-tuning-on', 'tuning.output: Required value'),
    note: 'The CRD requires tuning.output.',
  }),
  row('TestWorkspaceValidateUpdate', 'Tuning toggled off', {
    setup: NAP,
    before: { workspace: alpha('a-wu-tuning-off', { tuning: { input: {} } }), restore: true },
    workspace: alpha('a-wu-tuning-off', {}),
    expect: denied('Tuning field cannot be toggled once set: spec.tuning'),
  }),
  row('TestWorkspaceValidateUpdate', 'No toggling', {
    setup: NAP,
    before: {
      workspace: alpha('a-wu-same', {
        tuning: { input: {}, output: { volumeSource: {} } },
      }),
      restore: true,
    },
    workspace: alpha('a-wu-same', { tuning: { input: {}, output: { volumeSource: {} } } }),
    expect: ADMITTED,
    note: 'With an output on both sides, which the CRD requires.',
  }),
];

const tuningWs = (name: string, spec: Record<string, unknown>) =>
  alpha(name, { resource: napResource(name), tuning: spec });

const NO_INPUT_DATA =
  'Exactly one of URLs, Volume, or Image must be specified: tuning.Input.Image, tuning.Input.URLs, tuning.Input.Volume';
const NO_PUSH_SECRET =
  'missing field(s): tuning.Output.Must specify imagePushSecret with destination image';
const BAD_INPUT_IMAGE =
  'invalid value: Unable to parse input image reference: invalid reference format: repository name (library/!ValidImage) must be lowercase: tuning.Input.Image';
const BAD_OUTPUT_IMAGE =
  'invalid value: Unable to parse output image reference: invalid reference format: repository name (library/!ValidImage) must be lowercase: tuning.Output.Image';

const tuningRow = (
  goTest: string,
  goCase: string,
  name: string,
  spec: Record<string, unknown>,
  expect: TableRow['expect'],
  before?: { spec: Record<string, unknown>; restore?: boolean },
) =>
  row(goTest, goCase, {
    setup: NAP,
    ...(before
      ? { before: { workspace: tuningWs(name, before.spec), restore: before.restore } }
      : {}),
    workspace: tuningWs(name, spec),
    expect,
  });

const out = { image: 'kaito.azurecr.io/test:0.0.0' };

export const v1alpha1TuningRows: TableRow[] = [
  tuningRow('TestTuningSpecValidateCreate', 'All fields valid', 'a-tc-valid', tuning(), ADMITTED),
  tuningRow('TestTuningSpecValidateCreate', 'Verify QLoRA Config', 'a-tc-qlora', tuning({ method: 'qlora' }), ADMITTED),
  tuningRow(
    'TestTuningSpecValidateCreate',
    'Missing Input',
    'a-tc-no-input',
    { output: out, preset: { name: 'test-validation' }, method: 'lora' },
    schemaInvalid('a-tc-no-input', 'tuning.input: Required value'),
  ),
  tuningRow(
    'TestTuningSpecValidateCreate',
    'Missing Output',
    'a-tc-no-output',
    { input: { name: 'valid-input' }, preset: { name: 'test-validation' }, method: 'lora' },
    schemaInvalid('a-tc-no-output', 'tuning.output: Required value'),
  ),
  tuningRow(
    'TestTuningSpecValidateCreate',
    'Missing Preset',
    'a-tc-no-preset',
    { input: { name: 'valid-input' }, output: out, method: 'lora' },
    denied(
      NO_INPUT_DATA,
      'missing field(s): tuning.Output.Must specify imagePushSecret with destination image, tuning.Preset',
    ),
  ),
  tuningRow(
    'TestTuningSpecValidateCreate',
    'Invalid Preset',
    'a-tc-bad-preset',
    { input: { name: 'valid-input' }, output: out, preset: { name: 'invalid-preset' }, method: 'lora' },
    denied(
      NO_INPUT_DATA,
      'invalid value: Unsupported tuning preset name invalid-preset: tuning.presetName',
      NO_PUSH_SECRET,
    ),
  ),
  tuningRow(
    'TestTuningSpecValidateCreate',
    'Invalid Method',
    'a-tc-bad-method',
    { input: { name: 'valid-input' }, output: out, preset: { name: 'test-validation' }, method: 'invalid-method' },
    denied(
      NO_INPUT_DATA,
      "Failed to evaluate validateConfigMap: ConfigMap '' specified in 'config' not found in namespace 'kube-system': config: tuning.Config",
      'invalid value: invalid-method: tuning.Method',
      NO_PUSH_SECRET,
    ),
  ),
  tuningRow(
    'TestTuningSpecValidateCreate',
    'Invalid Input Source Casing',
    'a-tc-input-case',
    tuning({
      input: { name: 'valid-input', image: 'kaito.azurecr.io/INPUT:0.0.0' },
      output: { image: 'kaito.azurecr.io/output:0.0.0', imagePushSecret: 'secret' },
    }),
    denied(
      'invalid value: Unable to parse input image reference: invalid reference format: repository name (INPUT) must be lowercase: tuning.Input.Image',
    ),
  ),
  tuningRow(
    'TestTuningSpecValidateCreate',
    'Invalid Output Destination Casing',
    'a-tc-output-case',
    tuning({
      input: { name: 'valid-input', image: 'kaito.azurecr.io/input:0.0.0' },
      output: { image: 'kaito.azurecr.io/OUTPUT:0.0.0', imagePushSecret: 'secret' },
    }),
    denied(
      'invalid value: Unable to parse output image reference: invalid reference format: repository name (OUTPUT) must be lowercase: tuning.Output.Image',
    ),
  ),
  tuningRow(
    'TestTuningSpecValidateUpdate',
    'No changes',
    'a-tu-same',
    { input: { name: 'input1' }, output: out, preset: { name: 'test-validation' }, method: 'lora' },
    ADMITTED,
    {
      spec: { input: { name: 'input1' }, output: out, preset: { name: 'test-validation' }, method: 'lora' },
      restore: true,
    },
  ),
  tuningRow(
    'TestTuningSpecValidateUpdate',
    'Preset changed',
    'a-tu-preset',
    { preset: { name: 'invalid-preset' } },
    schemaInvalid('a-tu-preset', 'tuning.input: Required value', 'tuning.output: Required value'),
    { spec: { preset: { name: 'test-validation' } }, restore: true },
  ),
  tuningRow(
    'TestTuningSpecValidateUpdate',
    'Method changed',
    'a-tu-method',
    { method: 'qlora' },
    schemaInvalid('a-tu-method', 'tuning.input: Required value', 'tuning.output: Required value'),
    { spec: { method: 'lora' }, restore: true },
  ),
  ...(
    [
      ['URLs specified only', 'a-ds-urls', { urls: ['http://example.com/data'] }, ADMITTED],
      ['Volume specified only', 'a-ds-volume', { volumeSource: {} }, ADMITTED],
      ['Image specified only', 'a-ds-image', { image: 'aimodels.azurecr.io/data-image:latest' }, ADMITTED],
      [
        'Image without URL Specified',
        'a-ds-short',
        { image: 'data-image:latest', imagePullSecrets: ['imagePushSecret'] },
        ADMITTED,
      ],
      [
        'Image without Tag Specified',
        'a-ds-untagged',
        { image: 'aimodels.azurecr.io/data-image', imagePullSecrets: ['imagePushSecret'] },
        ADMITTED,
      ],
      [
        'Invalid image',
        'a-ds-bad',
        { image: '!ValidImage', imagePullSecrets: ['imagePushSecret'] },
        denied(BAD_INPUT_IMAGE),
      ],
      ['None specified', 'a-ds-none', {}, denied(NO_INPUT_DATA)],
      [
        'URLs and Volume specified',
        'a-ds-urls-volume',
        { urls: ['http://example.com/data'], volumeSource: {} },
        denied(NO_INPUT_DATA),
      ],
      [
        'All fields specified',
        'a-ds-all',
        { urls: ['http://example.com/data'], image: 'aimodels.azurecr.io/data-image:latest' },
        denied(NO_INPUT_DATA),
      ],
    ] as const
  ).map(([goCase, name, input, expect]) =>
    tuningRow('TestDataSourceValidateCreate', goCase, name, tuning({ input }), expect),
  ),
  tuningRow(
    'TestDataSourceValidateUpdate',
    'No changes',
    'a-dsu-same',
    tuning({
      input: {
        urls: ['http://example.com/data2', 'http://example.com/data1'],
        image: 'data-image:latest',
        imagePullSecrets: ['secret2', 'secret1'],
      },
    }),
    ADMITTED,
    {
      spec: tuning({
        input: {
          urls: ['http://example.com/data1', 'http://example.com/data2'],
          image: 'data-image:latest',
          imagePullSecrets: ['secret1', 'secret2'],
        },
      }),
      restore: true,
    },
  ),
  tuningRow(
    'TestDataSourceValidateUpdate',
    'Name changed',
    'a-dsu-name',
    tuning({ input: { name: 'new-dataset' } }),
    denied('invalid value: During tuning Name field cannot be changed once set: tuning.Input.Name'),
    { spec: tuning({ input: { name: 'original-dataset' } }), restore: true },
  ),
  tuningRow(
    'TestDataSourceValidateUpdate',
    'Invalid image',
    'a-dsu-image',
    tuning({ input: { image: '!ValidImage', imagePullSecrets: ['imagePushSecret'] } }),
    denied(BAD_INPUT_IMAGE),
    { spec: tuning({ input: {} }), restore: true },
  ),
  ...(
    [
      ['No fields specified', 'a-dd-none', {}, denied('missing field(s): tuning.Output.Exactly one of Volume or Image must be specified')],
      ['Volume specified only', 'a-dd-volume', { volumeSource: {} }, ADMITTED],
      ['Image specified only', 'a-dd-image', { image: 'aimodels.azurecr.io/data-image:latest', imagePushSecret: 'imagePushSecret' }, ADMITTED],
      ['Image without URL Specified', 'a-dd-short', { image: 'data-image:latest', imagePushSecret: 'imagePushSecret' }, ADMITTED],
      ['Image without Tag Specified', 'a-dd-untagged', { image: 'aimodels.azurecr.io/data-image', imagePushSecret: 'imagePushSecret' }, ADMITTED],
      ['Invalid image', 'a-dd-bad', { image: '!ValidImage', imagePushSecret: 'imagePushSecret' }, denied(BAD_OUTPUT_IMAGE)],
      [
        'Both fields specified',
        'a-dd-both',
        { volumeSource: {}, image: 'aimodels.azurecr.io/data-image:latest', imagePushSecret: 'imagePushSecret' },
        denied('missing field(s): tuning.Output.Exactly one of Volume or Image must be specified'),
      ],
    ] as const
  ).map(([goCase, name, output, expect]) =>
    tuningRow('TestDataDestinationValidateCreate', goCase, name, tuning({ output }), expect),
  ),
  tuningRow(
    'TestDataDestinationValidateUpdate',
    'No changes',
    'a-ddu-same',
    tuning({ output: { image: 'old-image:latest', imagePushSecret: 'old-secret' } }),
    ADMITTED,
    { spec: tuning({ output: { image: 'old-image:latest', imagePushSecret: 'old-secret' } }) },
  ),
  tuningRow(
    'TestDataDestinationValidateUpdate',
    'Invalid image',
    'a-ddu-image',
    tuning({ output: { image: '!ValidImage', imagePushSecret: 'imagePushSecret' } }),
    denied(BAD_OUTPUT_IMAGE),
    { spec: tuning({ output: {} }), restore: true },
  ),
];

const configRow = (
  goCase: string,
  name: string,
  instanceType: string,
  count: number,
  config: string,
  expect: TableRow['expect'],
) =>
  row('TestInferenceConfigMapValidation', goCase, {
    setup: NAP,
    workspace: inference(
      name,
      { ...TEST_PRESET, config },
      resource(name, { instanceType, count }),
      { namespace: KAITO_TEST_NAMESPACE },
    ),
    expect,
  });

export const v1alpha1ConfigRows: TableRow[] = [
  configRow(
    'Single Instance, Multi-GPU with >=20GB per GPU and max-model-len set (no error)',
    'a-cm-multi-gpu-set',
    'Standard_NV72ads_A10_v5',
    1,
    'valid-config-with-max-model-len',
    ADMITTED,
  ),
  configRow(
    'Single Instance, Single-GPU (no max-model-len required)',
    'a-cm-single',
    'Standard_NV36ads_A10_v5',
    1,
    'invalid-config-without-max-model-len',
    ADMITTED,
  ),
  configRow(
    'Single Instance, Multi-GPU with >=20GB per GPU (no max-model-len required)',
    'a-cm-multi-gpu',
    'Standard_NC48ads_A100_v4',
    1,
    'invalid-config-without-max-model-len',
    ADMITTED,
  ),
  configRow(
    'Multi Instances, distributed inference and max-model-len missing',
    'a-cm-multi-node',
    'Standard_NV36ads_A10_v5',
    2,
    'invalid-config-without-max-model-len',
    denied(MAX_MODEL_LEN),
  ),
  configRow(
    'Multi Instances, distributed inference and max-model-len set',
    'a-cm-multi-node-set',
    'Standard_NV36ads_A10_v5',
    2,
    'valid-config-with-max-model-len',
    ADMITTED,
  ),
];

/**
 * The v1beta1 URL cases sent as v1alpha1: the host checks are v1beta1's
 * only, so the older webhook admits them.
 */
export const v1alpha1UrlScopeRows: TableRow[] = (
  [
    ['Unsupported URL scheme', 'a-url-ftp', 'ftp://example.com/data'],
    ['Loopback URL', 'a-url-loopback', 'http://127.0.0.1/data'],
    ['Metadata hostname URL', 'a-url-metadata', 'http://metadata.google.internal/computeMetadata/v1'],
  ] as const
).map(([goCase, name, url]) => ({
  source: 'api/v1beta1/workspace_validation_test.go',
  goTest: 'TestDataSourceValidateCreate',
  goCase,
  version: 'v1alpha1',
  setup: NAP,
  workspace: tuningWs(name, tuning({ input: { urls: [url] } })),
  expect: ADMITTED,
  note: 'Sent as v1alpha1, whose webhook has no data-source URL rule (v0.12 added it to v1beta1 only).',
}));
