/**
 * test/e2e/webhook_test.go ("Workspace Validation Webhook"): each `By`
 * step as a row, with KAITO's real catalog presets, the manifests of its
 * e2e utils (`GenerateInferenceWorkspaceManifest` sets the transformers
 * runtime, the `...WithVLLM` variant vLLM) and a registry standing in for
 * the e2e environment's.
 */
import { KAITO_TEST_NAMESPACE } from './preconditions';
import {
  ADMITTED,
  denied,
  NAP,
  schemaInvalid,
  SUPPORTED_SKUS,
  workspace,
  type TableRow,
} from './tableRow';

const source = 'test/e2e/webhook_test.go' as const;
const REGISTRY = 'kaitoe2e.azurecr.io';
const LABELS = { matchLabels: { 'kaito-workspace': 'webhook-e2e-test' } };
const VLLM = { 'kaito.sh/runtime': 'vllm' };
const TFS = { 'kaito.sh/runtime': 'transformers' };

const inference = (
  name: string,
  runtime: Record<string, string>,
  instanceType: string,
  presetName: string,
  extra: Record<string, unknown> = {},
  labelSelector: Record<string, unknown> = LABELS,
) =>
  workspace(
    name,
    {
      resource: { count: 1, instanceType, labelSelector },
      inference: { preset: { name: presetName }, ...extra },
    },
    { namespace: KAITO_TEST_NAMESPACE, annotations: runtime },
  );

const testAdapters1 = [
  {
    source: {
      name: 'e2e-adapter',
      image: `${REGISTRY}/e2e-adapter:0.0.1`,
      imagePullSecrets: ['e2e-acr-secret'],
    },
    strength: '1.0',
  },
];
const phi4Adapter = [
  {
    source: {
      name: 'adapter-phi-3-mini-pycoder',
      image: `${REGISTRY}/adapter-phi-3-mini-pycoder:0.0.1`,
      imagePullSecrets: ['e2e-acr-secret'],
    },
  },
];

const testDataSource = {
  name: 'phi-4-mini-instruct',
  image: `${REGISTRY}/e2e-test:0.0.1`,
};
const testDataDestination = {
  image: `${REGISTRY}/e2e-test:0.0.1`,
  imagePushSecret: 'e2e-registry-secret',
};

const tuning = (name: string, spec: Record<string, unknown>) =>
  workspace(
    name,
    {
      resource: { count: 1, instanceType: 'Standard_NV72ads_A10_v5', labelSelector: LABELS },
      tuning: spec,
    },
    { namespace: KAITO_TEST_NAMESPACE },
  );

const row = (
  goTest: string,
  goCase: string,
  rest: Omit<TableRow, 'source' | 'goTest' | 'goCase' | 'setup'>,
): TableRow => ({ source, goTest, goCase, setup: NAP, ...rest });

const A10X2 = 'Standard_NV72ads_A10_v5';

const validVllm = (name: string) => inference(name, VLLM, A10X2, 'phi-4-mini-instruct');
const validTuning = (name: string) =>
  tuning(name, {
    method: 'lora',
    input: testDataSource,
    output: testDataDestination,
    preset: { name: 'phi-4' },
  });

export const e2eRows: TableRow[] = [
  row('It should validate the workspace resource spec at creation', 'Creating a workspace with invalid instancetype', {
    workspace: inference('webhook-bad-sku', TFS, 'Standard_Bad', 'phi-4'),
    expect: denied(
      `invalid value: Unsupported instance type Standard_Bad. Supported SKUs: ${SUPPORTED_SKUS}: resource.instanceType`,
    ),
  }),
  row('It should validate the workspace inference spec at creation', 'Creating a workspace with invalid preset name', {
    workspace: inference('webhook-bad-preset', TFS, 'Standard_NC6', 'invalid-name'),
    expect: denied('invalid value: Unsupported inference preset name invalid-name: inference.presetName'),
  }),
  row('It should validate the workspace inference adapters at creation', 'Creating a vllm workspace with adapter strength', {
    workspace: inference('webhook-vllm-strength', VLLM, A10X2, 'phi-4-mini-instruct', {
      adapters: testAdapters1,
    }),
    expect: denied('Runtime validation: vLLM does not support adapter strength: '),
  }),
  row('It should validate the workspace inference adapters at creation', 'Creating a vllm workspace without adapter strength', {
    workspace: inference('webhook-vllm-adapter', VLLM, A10X2, 'phi-4-mini-instruct', {
      adapters: phi4Adapter,
    }),
    expect: ADMITTED,
  }),
  row('It should validate the workspace inference adapters at creation', 'Creating a transformers workspace with adapter strength', {
    workspace: inference('webhook-tfs-strength', TFS, A10X2, 'phi-3-mini-128k-instruct', {
      adapters: testAdapters1,
    }),
    expect: ADMITTED,
  }),
  row('It should validate the workspace inference adapters at creation', 'Creating a workspace with adapter missing both image and volume', {
    workspace: inference('webhook-adapter-no-data', TFS, A10X2, 'phi-4', {
      adapters: [{ source: { name: 'invalid-adapter' }, strength: '1.0' }],
    }),
    expect: ADMITTED,
    note: 'KAITO v0.12 checks adapter sources on update only, so the create is admitted; the e2e step still passes because Eventually retries the Create, which then fails with AlreadyExists.',
  }),
  row('It should validate the workspace inference configfile', 'Creating a 2gpu transformers workspace without configfile', {
    workspace: inference('webhook-tfs-2gpu', TFS, A10X2, 'phi-4'),
    expect: ADMITTED,
  }),
  row('It should validate the workspace inference configfile', 'Creating a 2gpu workspace with correct configfile', {
    workspace: inference('webhook-vllm-config', VLLM, A10X2, 'phi-4-mini-instruct', {
      config: 'inference-config-webhook',
    }),
    expect: ADMITTED,
  }),
  row('It should validate the workspace tuning spec at creation', 'Creating a workspace with nil input', {
    workspace: tuning('webhook-nil-input', {
      method: 'lora',
      output: testDataDestination,
      preset: { name: 'phi-4' },
    }),
    expect: schemaInvalid('webhook-nil-input', 'tuning.input: Required value'),
    note: 'Refused by the CRD schema (tuning.input is required) before the webhook.',
  }),
  row('It should validate the workspace tuning spec at creation', 'Creating a workspace with nil output', {
    workspace: tuning('webhook-nil-output', {
      method: 'lora',
      input: testDataSource,
      preset: { name: 'phi-4' },
    }),
    expect: schemaInvalid('webhook-nil-output', 'tuning.output: Required value'),
    note: 'Refused by the CRD schema (tuning.output is required) before the webhook.',
  }),
  row('It should validate the workspace tuning spec at creation', 'Creating a workspace with nil preset', {
    workspace: tuning('webhook-nil-preset', {
      method: 'lora',
      input: testDataSource,
      output: testDataDestination,
    }),
    expect: denied('missing field(s): tuning.Preset'),
  }),
  row('It should validate the workspace resource spec at update', 'Creating a valid workspace', {
    workspace: validVllm('webhook-resource-update'),
    expect: ADMITTED,
  }),
  row('It should validate the workspace resource spec at update', 'Updating the label selector', {
    before: { workspace: validVllm('webhook-update-labels') },
    workspace: inference('webhook-update-labels', VLLM, A10X2, 'phi-4-mini-instruct', {}, {}),
    expect: denied('field is immutable: resource.labelSelector'),
  }),
  row('It should validate the workspace resource spec at update', 'Updating the InstanceType', {
    before: { workspace: validVllm('webhook-update-sku') },
    workspace: inference('webhook-update-sku', VLLM, 'Standard_NV6', 'phi-4-mini-instruct', {}, {}),
    expect: denied(
      'field is immutable: resource.labelSelector',
      'instanceType cannot be changed once set when node auto-provisioning is enabled: resource.instanceType',
    ),
    note: 'The e2e steps modify the same object, so the empty label selector of the previous step is still there.',
  }),
  row('It should validate the workspace tuning spec at update', 'Creating a valid tuning workspace', {
    workspace: validTuning('webhook-tuning-update'),
    expect: ADMITTED,
  }),
  row('It should validate the workspace tuning spec at update', 'Updating the tuning preset', {
    before: { workspace: validTuning('webhook-update-preset') },
    workspace: tuning('webhook-update-preset', {
      method: 'lora',
      input: testDataSource,
      output: testDataDestination,
      preset: { name: 'gpt-oss-20b' },
    }),
    expect: denied('Preset cannot be changed: tuning.Preset'),
  }),
  row('It should validate the workspace tuning spec at update', 'Updating the Method', {
    before: { workspace: validTuning('webhook-update-method') },
    workspace: tuning('webhook-update-method', {
      method: 'qlora',
      input: testDataSource,
      output: testDataDestination,
      preset: { name: 'gpt-oss-20b' },
    }),
    expect: denied('Method cannot be changed: tuning.Method', 'Preset cannot be changed: tuning.Preset'),
    note: 'The e2e steps modify the same object, so the preset of the previous step is still changed.',
  }),
  row('It should validate the workspace inference spec at update', 'Creating a valid workspace', {
    workspace: validVllm('webhook-inference-update'),
    expect: ADMITTED,
  }),
  row('It should validate the workspace inference spec at update', 'Updating the preset spec', {
    before: { workspace: validVllm('webhook-update-inference') },
    workspace: inference('webhook-update-inference', VLLM, A10X2, 'phi-4'),
    expect: denied('field is immutable: inference.preset'),
  }),
];
