/**
 * api/v1beta1/workspace_validation_test.go: TestTuningSpecValidateCreate,
 * TestTuningSpecValidateUpdate, TestDataSourceValidateCreate/Update,
 * TestDataDestinationValidateCreate/Update. Data sources and destinations
 * are a tuning workspace's `input` and `output`.
 */
import {
  ADMITTED,
  denied,
  NAP,
  napResource,
  schemaInvalid,
  tuning,
  workspace,
  type TableRow,
} from './tableRow';

const source = 'api/v1beta1/workspace_validation_test.go' as const;

const tuningWs = (name: string, spec: Record<string, unknown>) =>
  workspace(name, { resource: napResource(name), tuning: spec });

const row = (
  goTest: string,
  goCase: string,
  rest: Omit<TableRow, 'source' | 'goTest' | 'goCase' | 'setup'>,
): TableRow => ({ source, goTest, goCase, setup: NAP, ...rest });

const NO_INPUT_DATA =
  'Exactly one of URLs, Volume, or Image must be specified: tuning.Input.Image, tuning.Input.URLs, tuning.Input.Volume';
const NO_PUSH_SECRET =
  'missing field(s): tuning.Output.Must specify imagePushSecret with destination image';

export const tuningCreateRows: TableRow[] = [
  row('TestTuningSpecValidateCreate', 'All fields valid', {
    workspace: tuningWs('tc-valid', tuning()),
    expect: ADMITTED,
  }),
  row('TestTuningSpecValidateCreate', 'Verify QLoRA Config', {
    workspace: tuningWs('tc-qlora', tuning({ method: 'qlora' })),
    expect: ADMITTED,
  }),
  row('TestTuningSpecValidateCreate', 'Missing Input', {
    workspace: tuningWs('tc-no-input', {
      output: { image: 'kaito.azurecr.io/test:0.0.0' },
      preset: { name: 'test-validation' },
      method: 'lora',
    }),
    expect: schemaInvalid('tc-no-input', 'tuning.input: Required value'),
    note: 'The CRD requires tuning.input.',
  }),
  row('TestTuningSpecValidateCreate', 'Missing Output', {
    workspace: tuningWs('tc-no-output', {
      input: { name: 'valid-input' },
      preset: { name: 'test-validation' },
      method: 'lora',
    }),
    expect: schemaInvalid('tc-no-output', 'tuning.output: Required value'),
    note: 'The CRD requires tuning.output.',
  }),
  row('TestTuningSpecValidateCreate', 'Missing Preset', {
    workspace: tuningWs('tc-no-preset', {
      input: { name: 'valid-input' },
      output: { image: 'kaito.azurecr.io/test:0.0.0' },
      method: 'lora',
    }),
    expect: denied(
      NO_INPUT_DATA,
      'missing field(s): tuning.Output.Must specify imagePushSecret with destination image, tuning.Preset',
    ),
  }),
  row('TestTuningSpecValidateCreate', 'Invalid Preset', {
    workspace: tuningWs('tc-bad-preset', {
      input: { name: 'valid-input' },
      output: { image: 'kaito.azurecr.io/test:0.0.0' },
      preset: { name: 'invalid-preset' },
      method: 'lora',
    }),
    expect: denied(
      NO_INPUT_DATA,
      'invalid value: Unsupported tuning preset name invalid-preset: tuning.presetName',
      NO_PUSH_SECRET,
    ),
  }),
  row('TestTuningSpecValidateCreate', 'Invalid Method', {
    workspace: tuningWs('tc-bad-method', {
      input: { name: 'valid-input' },
      output: { image: 'kaito.azurecr.io/test:0.0.0' },
      preset: { name: 'test-validation' },
      method: 'invalid-method',
    }),
    expect: denied(
      NO_INPUT_DATA,
      "Failed to evaluate validateConfigMap: ConfigMap '' specified in 'config' not found in namespace 'kube-system': config: tuning.Config",
      'invalid value: invalid-method: tuning.Method',
      NO_PUSH_SECRET,
    ),
  }),
  row('TestTuningSpecValidateCreate', 'Invalid Input Source Casing', {
    workspace: tuningWs(
      'tc-input-case',
      tuning({
        input: { name: 'valid-input', image: 'kaito.azurecr.io/INPUT:0.0.0' },
        output: { image: 'kaito.azurecr.io/output:0.0.0', imagePushSecret: 'secret' },
      }),
    ),
    expect: denied(
      'invalid value: Unable to parse input image reference: invalid reference format: repository name (INPUT) must be lowercase: tuning.Input.Image',
    ),
  }),
  row('TestTuningSpecValidateCreate', 'Invalid Output Destination Casing', {
    workspace: tuningWs(
      'tc-output-case',
      tuning({
        input: { name: 'valid-input', image: 'kaito.azurecr.io/input:0.0.0' },
        output: { image: 'kaito.azurecr.io/OUTPUT:0.0.0', imagePushSecret: 'secret' },
      }),
    ),
    expect: denied(
      'invalid value: Unable to parse output image reference: invalid reference format: repository name (OUTPUT) must be lowercase: tuning.Output.Image',
    ),
  }),
];

const TUNING_NOTE =
  'The Go case leaves out input and output; the CRD requires them, so the API server refuses the update before the webhook.';

export const tuningUpdateRows: TableRow[] = [
  row('TestTuningSpecValidateUpdate', 'No changes', {
    before: {
      workspace: tuningWs('tu-same', {
        input: { name: 'input1' },
        output: { image: 'kaito.azurecr.io/test:0.0.0' },
        preset: { name: 'test-validation' },
        method: 'lora',
      }),
      restore: true,
    },
    workspace: tuningWs('tu-same', {
      input: { name: 'input1' },
      output: { image: 'kaito.azurecr.io/test:0.0.0' },
      preset: { name: 'test-validation' },
      method: 'lora',
    }),
    expect: ADMITTED,
  }),
  row('TestTuningSpecValidateUpdate', 'Preset changed', {
    before: {
      workspace: tuningWs('tu-preset', { preset: { name: 'test-validation' } }),
      restore: true,
    },
    workspace: tuningWs('tu-preset', { preset: { name: 'invalid-preset' } }),
    expect: schemaInvalid(
      'tu-preset',
      'tuning.input: Required value',
      'tuning.output: Required value',
    ),
    note: TUNING_NOTE,
  }),
  row('TestTuningSpecValidateUpdate', 'Method changed', {
    before: { workspace: tuningWs('tu-method', { method: 'lora' }), restore: true },
    workspace: tuningWs('tu-method', { method: 'qlora' }),
    expect: schemaInvalid(
      'tu-method',
      'tuning.input: Required value',
      'tuning.output: Required value',
    ),
    note: TUNING_NOTE,
  }),
];

const LOCAL = 'data source URL must not target a loopback, private, or link-local address';

// ParseNormalizedNamed checks case before syntax: `!ValidImage` is `library/!ValidImage`, which has capitals.
const inputRow = (
  goCase: string,
  name: string,
  input: Record<string, unknown>,
  expect: TableRow['expect'],
) =>
  row('TestDataSourceValidateCreate', goCase, {
    workspace: tuningWs(name, tuning({ input })),
    expect,
  });

const urlDenied = (reason: string) =>
  denied(`invalid value: ${reason}: tuning.Input.URLs`);

export const dataSourceCreateRows: TableRow[] = [
  inputRow('URLs specified only', 'ds-urls', { urls: ['http://example.com/data'] }, ADMITTED),
  inputRow(
    'Unsupported URL scheme',
    'ds-ftp',
    { urls: ['ftp://example.com/data'] },
    urlDenied('data source URL must use HTTP or HTTPS'),
  ),
  inputRow('Loopback URL', 'ds-loopback', { urls: ['http://127.0.0.1/data'] }, urlDenied(LOCAL)),
  inputRow('Private URL', 'ds-private', { urls: ['http://10.0.0.1/data'] }, urlDenied(LOCAL)),
  inputRow(
    'Link-local URL',
    'ds-link-local',
    { urls: ['http://169.254.169.254/latest/meta-data'] },
    urlDenied(LOCAL),
  ),
  inputRow('IPv6 loopback URL', 'ds-ipv6', { urls: ['http://[::1]/data'] }, urlDenied(LOCAL)),
  inputRow(
    'Metadata hostname URL',
    'ds-metadata',
    { urls: ['http://metadata.google.internal/computeMetadata/v1'] },
    urlDenied('data source URL must not target a local or metadata endpoint'),
  ),
  inputRow('Volume specified only', 'ds-volume', { volumeSource: {} }, ADMITTED),
  inputRow(
    'Image specified only',
    'ds-image',
    { image: 'aimodels.azurecr.io/data-image:latest' },
    ADMITTED,
  ),
  inputRow(
    'Image without URL Specified',
    'ds-image-short',
    { image: 'data-image:latest', imagePullSecrets: ['imagePushSecret'] },
    ADMITTED,
  ),
  inputRow(
    'Image without Tag Specified',
    'ds-image-untagged',
    { image: 'aimodels.azurecr.io/data-image', imagePullSecrets: ['imagePushSecret'] },
    ADMITTED,
  ),
  inputRow(
    'Invalid image',
    'ds-image-bad',
    { image: '!ValidImage', imagePullSecrets: ['imagePushSecret'] },
    denied(
      'invalid value: Unable to parse input image reference: invalid reference format: repository name (library/!ValidImage) must be lowercase: tuning.Input.Image',
    ),
  ),
  inputRow('None specified', 'ds-none', {}, denied(NO_INPUT_DATA)),
  inputRow(
    'URLs and Volume specified',
    'ds-urls-volume',
    { urls: ['http://example.com/data'], volumeSource: {} },
    denied(NO_INPUT_DATA),
  ),
  inputRow(
    'All fields specified',
    'ds-all',
    { urls: ['http://example.com/data'], image: 'aimodels.azurecr.io/data-image:latest' },
    denied(NO_INPUT_DATA),
  ),
];

const inputUpdateRow = (
  goCase: string,
  name: string,
  oldInput: Record<string, unknown>,
  newInput: Record<string, unknown>,
  expect: TableRow['expect'],
) =>
  row('TestDataSourceValidateUpdate', goCase, {
    before: { workspace: tuningWs(name, tuning({ input: oldInput })), restore: true },
    workspace: tuningWs(name, tuning({ input: newInput })),
    expect,
  });

export const dataSourceUpdateRows: TableRow[] = [
  inputUpdateRow(
    'No changes',
    'dsu-same',
    {
      urls: ['http://example.com/data1', 'http://example.com/data2'],
      image: 'data-image:latest',
      imagePullSecrets: ['secret1', 'secret2'],
    },
    {
      urls: ['http://example.com/data2', 'http://example.com/data1'],
      image: 'data-image:latest',
      imagePullSecrets: ['secret2', 'secret1'],
    },
    ADMITTED,
  ),
  inputUpdateRow(
    'Name changed',
    'dsu-name',
    { name: 'original-dataset' },
    { name: 'new-dataset' },
    denied(
      'invalid value: During tuning Name field cannot be changed once set: tuning.Input.Name',
    ),
  ),
  inputUpdateRow(
    'Invalid image',
    'dsu-image',
    {},
    { image: '!ValidImage', imagePullSecrets: ['imagePushSecret'] },
    denied(
      'invalid value: Unable to parse input image reference: invalid reference format: repository name (library/!ValidImage) must be lowercase: tuning.Input.Image',
    ),
  ),
];

const NO_OUTPUT =
  'missing field(s): tuning.Output.Exactly one of Volume or Image must be specified';

const outputRow = (
  goCase: string,
  name: string,
  output: Record<string, unknown>,
  expect: TableRow['expect'],
) =>
  row('TestDataDestinationValidateCreate', goCase, {
    workspace: tuningWs(name, tuning({ output })),
    expect,
  });

export const dataDestinationCreateRows: TableRow[] = [
  outputRow('No fields specified', 'dd-none', {}, denied(NO_OUTPUT)),
  outputRow('Volume specified only', 'dd-volume', { volumeSource: {} }, ADMITTED),
  outputRow(
    'Image specified only',
    'dd-image',
    { image: 'aimodels.azurecr.io/data-image:latest', imagePushSecret: 'imagePushSecret' },
    ADMITTED,
  ),
  outputRow(
    'Image without URL Specified',
    'dd-image-short',
    { image: 'data-image:latest', imagePushSecret: 'imagePushSecret' },
    ADMITTED,
  ),
  outputRow(
    'Image without Tag Specified',
    'dd-image-untagged',
    { image: 'aimodels.azurecr.io/data-image', imagePushSecret: 'imagePushSecret' },
    ADMITTED,
  ),
  outputRow(
    'Invalid image',
    'dd-image-bad',
    { image: '!ValidImage', imagePushSecret: 'imagePushSecret' },
    denied(
      'invalid value: Unable to parse output image reference: invalid reference format: repository name (library/!ValidImage) must be lowercase: tuning.Output.Image',
    ),
  ),
  outputRow(
    'Both fields specified',
    'dd-both',
    {
      volumeSource: {},
      image: 'aimodels.azurecr.io/data-image:latest',
      imagePushSecret: 'imagePushSecret',
    },
    denied(NO_OUTPUT),
  ),
];

export const dataDestinationUpdateRows: TableRow[] = [
  row('TestDataDestinationValidateUpdate', 'No changes', {
    before: {
      workspace: tuningWs(
        'ddu-same',
        tuning({ output: { image: 'old-image:latest', imagePushSecret: 'old-secret' } }),
      ),
    },
    workspace: tuningWs(
      'ddu-same',
      tuning({ output: { image: 'old-image:latest', imagePushSecret: 'old-secret' } }),
    ),
    expect: ADMITTED,
  }),
  row('TestDataDestinationValidateUpdate', 'Invalid image', {
    before: { workspace: tuningWs('ddu-image', tuning({ output: {} })), restore: true },
    workspace: tuningWs(
      'ddu-image',
      tuning({ output: { image: '!ValidImage', imagePushSecret: 'imagePushSecret' } }),
    ),
    expect: denied(
      'invalid value: Unable to parse output image reference: invalid reference format: repository name (library/!ValidImage) must be lowercase: tuning.Output.Image',
    ),
  }),
];
