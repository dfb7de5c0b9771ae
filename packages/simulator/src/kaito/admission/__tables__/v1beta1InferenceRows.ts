/**
 * api/v1beta1/workspace_validation_test.go: TestInferenceSpecValidateCreate,
 * TestAdapterSpecValidateCreateorUpdate, TestInferenceSpecValidateUpdate,
 * TestInferenceConfigMapValidation.
 */
import { KAITO_TEST_NAMESPACE } from './preconditions';
import {
  ADMITTED,
  DNS1123_SUBDOMAIN_ERROR,
  denied,
  NAP,
  napResource,
  preset,
  resource,
  TRANSFORMERS,
  webhookCrash,
  workspace,
  type TableRow,
} from './tableRow';

const source = 'api/v1beta1/workspace_validation_test.go' as const;

const inference = (
  name: string,
  spec: Record<string, unknown>,
  meta: { annotations?: Record<string, string>; namespace?: string } = {},
  res: Record<string, unknown> = napResource(name),
) => workspace(name, { resource: res, inference: spec }, meta);

const adapters = (
  count: number,
  options: { name?: (i: number) => string; strength?: string } = {},
) =>
  Array.from({ length: count }, (_, k) => {
    const i = k + 1;
    return {
      source: {
        name: options.name ? options.name(i) : `Adapter-${i}`,
        image: `fake.kaito.com/kaito-image:0.0.${i}`,
      },
      ...(options.strength ? { strength: options.strength } : {}),
    };
  });

const createRow = (
  goCase: string,
  row: Omit<TableRow, 'source' | 'goTest' | 'goCase' | 'setup'>,
): TableRow => ({
  source,
  goTest: 'TestInferenceSpecValidateCreate',
  goCase,
  setup: NAP,
  ...row,
});

const STRENGTH = 'Runtime validation: vLLM does not support adapter strength: ';

export const inferenceCreateRows: TableRow[] = [
  createRow('Invalid Preset Name', {
    workspace: inference('ic-bad-name', preset('Invalid-Preset-Name')),
    expect: denied(
      'invalid value: Unsupported inference preset name Invalid-Preset-Name: inference.presetName',
    ),
  }),
  createRow('Only Template set', {
    workspace: inference('ic-template', { template: {} }),
    expect: ADMITTED,
  }),
  createRow('Preset and Template Unset', {
    workspace: inference('ic-neither', {}),
    expect: denied(
      'missing field(s): inference.Preset or Template must be specified',
    ),
  }),
  createRow('Preset and Template Set', {
    workspace: inference('ic-both', {
      ...preset('test-validation'),
      template: {},
    }),
    expect: denied('Preset and Template cannot be set at the same time: '),
  }),
  createRow('Adapeters more than 10', {
    workspace: inference('ic-eleven', {
      ...preset('test-validation'),
      adapters: adapters(11, { strength: '0.5' }),
    }),
    expect: denied(
      'Number of Adapters exceeds the maximum limit, maximum of 10 allowed: ',
      STRENGTH,
    ),
    note: 'The adapters have a strength, which vLLM (the default runtime) refuses too.',
  }),
  createRow('Valid with adapters/vllm', {
    workspace: inference('ic-adapters', {
      ...preset('test-validation'),
      adapters: adapters(2),
    }),
    expect: ADMITTED,
  }),
  createRow('Valid with adapters/transformers', {
    workspace: inference(
      'ic-adapters-tfs',
      { ...preset('test-validation'), adapters: adapters(2, { strength: '0.5' }) },
      { annotations: TRANSFORMERS },
    ),
    expect: ADMITTED,
  }),
  createRow('Valid with volume adapters/vllm', {
    workspace: inference('ic-volume-adapters', {
      ...preset('test-validation'),
      adapters: [1, 2].map(i => ({
        source: {
          name: `adapter-${i}`,
          volumeSource: {
            persistentVolumeClaim: { claimName: `pvc-adapter-${i}` },
          },
        },
      })),
    }),
    expect: ADMITTED,
  }),
  createRow('Adapters with strength/vllm', {
    workspace: inference('ic-strength', {
      ...preset('test-validation'),
      adapters: adapters(2, { strength: '0.5' }),
    }),
    expect: denied(STRENGTH),
  }),
  createRow('Adapters names are duplicated', {
    workspace: inference('ic-dup-adapters', {
      ...preset('test-validation'),
      adapters: adapters(2, { name: () => 'Adapter', strength: '0.5' }),
    }),
    expect: denied('Duplicate adapter source name found: Adapter: ', STRENGTH),
  }),
  createRow('Valid Preset', {
    workspace: inference('ic-valid', preset('test-validation')),
    expect: ADMITTED,
  }),
  createRow('Config specified with valid ConfigMap', {
    workspace: inference(
      'ic-config',
      { ...preset('test-validation'), config: 'valid-config' },
      { namespace: KAITO_TEST_NAMESPACE },
    ),
    expect: ADMITTED,
    note: 'In the namespace holding the test ConfigMaps: the full webhook reads the ConfigMap (vLLM).',
  }),
  createRow('download model at runtime with access secret', {
    workspace: inference(
      'ic-download-secret',
      preset('test-validation-download', { modelAccessSecret: 'test-secret' }),
    ),
    expect: ADMITTED,
  }),
  createRow('download model at runtime but no access secret', {
    workspace: inference('ic-download', preset('test-validation-download')),
    expect: denied(
      'This preset requires authentication and needs a modelAccessSecret with HF_TOKEN key under presetOptions to download the model: ',
    ),
  }),
  createRow('Preset with model weights packaged but with access secret', {
    workspace: inference(
      'ic-packaged-secret',
      preset('test-validation', { modelAccessSecret: 'test-secret' }),
    ),
    expect: denied(
      'This preset does not require a modelAccessSecret with HF_TOKEN key under presetOptions: ',
    ),
  }),
];

/** Adapters are validated on UPDATE only: each row adds its adapter to a stored workspace. */
const adapterRow = (
  goCase: string,
  name: string,
  adapter: Record<string, unknown>,
  expect: TableRow['expect'],
  note?: string,
): TableRow => ({
  source,
  goTest: 'TestAdapterSpecValidateCreateorUpdate',
  goCase,
  setup: NAP,
  before: { workspace: inference(name, preset('test-validation')) },
  workspace: inference(name, { ...preset('test-validation'), adapters: [adapter] }),
  expect,
  ...(note ? { note } : {}),
});

const IMAGE = 'fake.kaito.com/kaito-image:0.0.1';
const LONG_NAME = 'Adapter1'.repeat(32);
const BAD_NAME = `invalid value: ${DNS1123_SUBDOMAIN_ERROR}: inference.adapters.source.name`;

export const adapterRows: TableRow[] = [
  adapterRow(
    'Missing Source',
    'ad-no-source',
    { strength: '0.5' },
    webhookCrash(),
    'The adapter rule reports the missing Source, then validateDuplicateName dereferences it: KAITO v0.12 panics and the API server reports the failed webhook call.',
  ),
  adapterRow(
    'Missing Source Name',
    'ad-no-name',
    { source: { image: IMAGE }, strength: '0.5' },
    denied('missing field(s): inference.Name of Adapter field must be specified'),
  ),
  adapterRow(
    'Invalid Strength, not a number',
    'ad-strength-nan',
    { source: { name: 'Adapter-1', image: IMAGE }, strength: 'invalid' },
    denied(
      `Invalid strength value for Adapter 'Adapter-1': strconv.ParseFloat: parsing "invalid": invalid syntax: inference.adapter`,
      BAD_NAME,
    ),
  ),
  adapterRow(
    'Invalid Strength, larger than 1',
    'ad-strength-big',
    { source: { name: 'Adapter-1', image: IMAGE }, strength: '1.5' },
    denied(
      "Strength value for Adapter 'Adapter-1' must be between 0 and 1: inference.adapter",
      BAD_NAME,
    ),
  ),
  adapterRow(
    'Invalid Source Name, longer than 253',
    'ad-long-name',
    { source: { name: LONG_NAME, image: IMAGE }, strength: '0.5' },
    denied(
      `invalid value: must be no more than 253 characters, ${DNS1123_SUBDOMAIN_ERROR}: inference.adapters.source.name`,
    ),
  ),
  adapterRow('Valid Adapter', 'ad-valid', { source: { name: 'adapter-1', image: IMAGE } }, ADMITTED),
  adapterRow(
    'Valid Adapter with Volume source',
    'ad-volume',
    {
      source: {
        name: 'adapter-1',
        volumeSource: { persistentVolumeClaim: { claimName: 'test-pvc' } },
      },
      strength: '0.5',
    },
    ADMITTED,
    'On update KAITO does not run the runtime checks, so a strength passes with vLLM.',
  ),
  adapterRow(
    'Missing both Image and Volume',
    'ad-no-data',
    { source: { name: 'adapter-1' }, strength: '0.5' },
    denied(
      'Either Image or Volume must be specified for adapter source: inference.adapters.source',
      'Exactly one of URLs, Volume, or Image must be specified: inference.Adapters.Image, inference.Adapters.URLs, inference.Adapters.Volume',
    ),
  ),
  adapterRow(
    'Adapter with unsupported URLs source',
    'ad-urls',
    {
      source: { name: 'adapter-1', urls: ['https://example.com/adapter.bin'] },
      strength: '0.5',
    },
    denied(
      'Either Image or Volume must be specified for adapter source: inference.adapters.source',
      'URLs are not supported as adapter source: inference.adapters.source.urls',
    ),
  ),
];

const updateRow = (
  goCase: string,
  row: Omit<TableRow, 'source' | 'goTest' | 'goCase' | 'setup'>,
): TableRow => ({
  source,
  goTest: 'TestInferenceSpecValidateUpdate',
  goCase,
  setup: NAP,
  ...row,
});

const SET_UNSET =
  'field cannot be unset/set if it was set/unset: inference.template';

export const inferenceUpdateRows: TableRow[] = [
  updateRow('Preset Immutable', {
    before: { workspace: inference('iu-preset', preset('old-preset')), restore: true },
    workspace: inference('iu-preset', preset('new-preset')),
    expect: denied('field is immutable: inference.preset'),
  }),
  updateRow('Template Unset', {
    before: { workspace: inference('iu-unset', { template: {} }) },
    workspace: inference('iu-unset', {}),
    expect: denied(SET_UNSET),
  }),
  updateRow('Template Set', {
    before: { workspace: inference('iu-set', {}), restore: true },
    workspace: inference('iu-set', { template: {} }),
    expect: denied(SET_UNSET),
  }),
  updateRow('Template Set', {
    before: { workspace: inference('iu-set-adapters', {}), restore: true },
    workspace: inference('iu-set-adapters', {
      template: {},
      adapters: [
        { source: { name: 'Adapter-1', image: 'fake.kaito.com/kaito-image:0.0.1' } },
        { source: { name: 'Adapter-1', image: 'fake.kaito.com/kaito-image:0.0.6' } },
      ],
    }),
    expect: denied(
      'Duplicate adapter source name found: Adapter-1: ',
      SET_UNSET,
      BAD_NAME,
    ),
    note: 'The Go table has two cases named "Template Set"; this is the second, with duplicate adapters.',
  }),
  updateRow('Valid Update', {
    before: { workspace: inference('iu-valid', { template: {} }) },
    workspace: inference('iu-valid', { template: {} }),
    expect: ADMITTED,
  }),
];

const configRow = (
  goCase: string,
  name: string,
  config: string,
  expect: TableRow['expect'],
): TableRow => ({
  source,
  goTest: 'TestInferenceConfigMapValidation',
  goCase,
  setup: NAP,
  workspace: inference(
    name,
    { ...preset('test-validation'), config },
    { namespace: KAITO_TEST_NAMESPACE },
    resource(name, { instanceType: 'Standard_NV72ads_A10_v5', count: 1 }),
  ),
  expect,
});

export const inferenceConfigRows: TableRow[] = [
  configRow(
    'Valid max-model-len within ModelTokenLimit',
    'cm-within',
    'valid-config-with-max-model-len',
    ADMITTED,
  ),
  configRow(
    'max-model-len exceeds ModelTokenLimit',
    'cm-exceeds',
    'invalid-config-exceeds-token-limit',
    denied(
      "invalid value: max-model-len 20480 exceeds model's maximum supported context window 4096 (ModelTokenLimit): max-model-len",
    ),
  ),
];
