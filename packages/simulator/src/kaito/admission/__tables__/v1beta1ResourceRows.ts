/**
 * api/v1beta1/workspace_validation_test.go: TestResourceSpecValidateCreate,
 * TestValidateMIGModelFit, TestValidatePartition, TestResourceSpecValidateUpdate.
 */
import { gfdNode } from './preconditions';
import {
  ADMITTED,
  BYO,
  denied,
  NAP,
  napResource,
  preset,
  resource,
  schemaInvalid,
  SUPPORTED_SKUS,
  TRANSFORMERS,
  tuning,
  workspace,
  type TableRow,
} from './tableRow';

const source = 'api/v1beta1/workspace_validation_test.go' as const;
const A10 = 'Standard_NV36ads_A10_v5';

const create = (
  goCase: string,
  row: Omit<TableRow, 'source' | 'goTest' | 'goCase'>,
): TableRow => ({
  source,
  goTest: 'TestResourceSpecValidateCreate',
  goCase,
  ...row,
});

const inference = (
  name: string,
  res: Record<string, unknown>,
  spec: Record<string, unknown>,
  annotations?: Record<string, string>,
) =>
  workspace(
    name,
    { resource: res, inference: spec },
    annotations ? { annotations } : {},
  );

const byoInference = (
  name: string,
  matchLabels: Record<string, string>,
  presetName: string,
  extra: { count?: number; annotations?: Record<string, string>; secret?: string } = {},
) =>
  inference(
    name,
    { count: extra.count ?? 1, labelSelector: { matchLabels } },
    preset(presetName, extra.secret ? { modelAccessSecret: extra.secret } : undefined),
    extra.annotations,
  );

const NO_NODES = 'No nodes found matching the specified label selector: ';

export const resourceCreateRows: TableRow[] = [
  create('Valid Resource', {
    setup: { ...NAP, testValidationSize: '152Gi' },
    workspace: inference(
      'rc-valid',
      napResource('rc-valid', { instanceType: 'Standard_ND96asr_v4' }),
      preset('test-validation'),
    ),
    expect: ADMITTED,
    note: 'Standard_ND96asr_v4 is not in the SKU table; on Azure an N-series name passes, and with NAP and vLLM the memory check is left to the estimator.',
  }),
  create('Valid Resource - SKU Capacity == Model Requirement', {
    setup: { ...NAP, testValidationSize: '16Gi' },
    workspace: inference('rc-equal', napResource('rc-equal'), preset('test-validation')),
    expect: ADMITTED,
  }),
  create('Invalid SKU', {
    setup: NAP,
    workspace: inference(
      'rc-bad-sku',
      napResource('rc-bad-sku', { instanceType: 'Standard_invalid_sku' }),
      { template: {} },
    ),
    expect: denied(
      `invalid value: Unsupported instance type Standard_invalid_sku. Supported SKUs: ${SUPPORTED_SKUS}: resource.instanceType`,
    ),
  }),
  create('Only Template set', {
    setup: NAP,
    workspace: inference('rc-template', napResource('rc-template'), { template: {} }),
    expect: ADMITTED,
  }),
  create('N-Prefix SKU', {
    setup: NAP,
    workspace: inference(
      'rc-n-prefix',
      napResource('rc-n-prefix', { instanceType: 'Standard_Nsku' }),
      { template: {} },
    ),
    expect: ADMITTED,
  }),
  create('D-Prefix SKU', {
    setup: NAP,
    workspace: inference(
      'rc-d-prefix',
      napResource('rc-d-prefix', { instanceType: 'Standard_Dsku' }),
      { template: {} },
    ),
    expect: ADMITTED,
  }),
  create('Tuning validation with single node', {
    setup: NAP,
    workspace: workspace('rc-tuning-one', {
      resource: napResource('rc-tuning-one'),
      tuning: tuning(),
    }),
    expect: ADMITTED,
  }),
  create('Tuning validation with multinode', {
    setup: NAP,
    workspace: workspace('rc-tuning-two', {
      resource: napResource('rc-tuning-two', { count: 2 }),
      tuning: tuning(),
    }),
    expect: denied(
      'invalid value: Tuning does not currently support multinode configurations. Please set the node count to 1. Future support with DeepSpeed will allow this.: resource.count',
    ),
  }),
  create('Invalid Preset Name', {
    setup: NAP,
    workspace: inference(
      'rc-bad-preset',
      napResource('rc-bad-preset', { count: 2 }),
      preset('Invalid-Preset-Name'),
    ),
    expect: denied(
      'invalid value: Unsupported inference preset name Invalid-Preset-Name: inference.presetName',
    ),
    note: 'The resource rules pass an unknown preset (as the Go case checks) and leave it to the inference rules, which deny it.',
  }),
  create('vLLM + Distributed Inference', {
    setup: NAP,
    workspace: inference(
      'rc-distributed',
      napResource('rc-distributed', { count: 4 }),
      preset('test-validation-download', { modelAccessSecret: 'test-secret' }),
    ),
    expect: ADMITTED,
    note: 'With a modelAccessSecret: the inference rules require one for this downloaded, gated test model.',
  }),
  // BYO (Bring Your Own) Node Tests
  create('Valid single A100 node with sufficient GPU memory', {
    setup: BYO,
    nodes: [
      gfdNode('node-a100-1', { gpu: 'a100' }, {
        product: 'NVIDIA-A100-SXM4-80GB',
        count: '1',
        memory: '81920',
      }),
    ],
    workspace: byoInference('rc-byo-a100', { gpu: 'a100' }, 'test-validation-static'),
    expect: ADMITTED,
  }),
  create('Valid multiple H100 nodes with uniform configuration', {
    setup: BYO,
    nodes: ['node-h100-1', 'node-h100-2'].map(name =>
      gfdNode(name, { gpu: 'h100' }, {
        product: 'NVIDIA-H100-SXM5-94GB',
        count: '2',
        memory: '96256',
      }),
    ),
    workspace: byoInference('rc-byo-h100', { gpu: 'h100' }, 'test-validation-static', {
      count: 2,
    }),
    expect: ADMITTED,
  }),
  create('Invalid - no nodes matching label selector in BYO', {
    setup: BYO,
    workspace: byoInference('rc-byo-none', { gpu: 'nonexistent' }, 'test-validation-static'),
    expect: denied(NO_NODES),
  }),
  ...(
    [
      ['Invalid - missing GPU product label', 'node-missing-gpu-product', { count: '1', memory: '16384' }],
      ['Invalid - missing GPU count label', 'node-missing-gpu-count', { product: 'NVIDIA-V100-SXM2-16GB', memory: '16384' }],
      ['Invalid - missing GPU memory label', 'node-missing-gpu-memory', { product: 'NVIDIA-V100-SXM2-16GB', count: '1' }],
    ] as const
  ).map(([goCase, node, gpu], i) =>
    create(goCase, {
      setup: BYO,
      nodes: [gfdNode(node, { gpu: `v100-missing-${i}` }, gpu)],
      workspace: byoInference(
        `rc-byo-missing-${i}`,
        { gpu: `v100-missing-${i}` },
        'test-validation-static',
      ),
      expect: denied(
        `Failed to get GPU config from nvidia labels on node ${node}: missing required nvidia.com labels on node ${node}: `,
      ),
      note: 'Each case labels its node and selector gpu=v100; here the value is per row, so rows do not see each other’s nodes.',
    }),
  ),
  create('Invalid - non-uniform GPU products', {
    setup: BYO,
    nodes: [
      gfdNode('node-v100', { workload: 'gpu' }, {
        product: 'NVIDIA-V100-SXM2-16GB',
        count: '1',
        memory: '16384',
      }),
      gfdNode('node-a100', { workload: 'gpu' }, {
        product: 'NVIDIA-A100-SXM4-80GB',
        count: '1',
        memory: '81920',
      }),
    ],
    workspace: byoInference('rc-byo-mixed', { workload: 'gpu' }, 'test-validation-static', {
      count: 2,
    }),
    // Nodes are listed by name, so node-a100 comes first.
    expect: denied(
      'Non-uniform GPU product: node node-v100 has NVIDIA-V100-SXM2-16GB GPUs, but previous node has NVIDIA-A100-SXM4-80GB GPUs, all nodes must have the same GPU product for homogeneous placement: ',
    ),
  }),
  create('Invalid - insufficient GPU memory for non-distributed model', {
    setup: BYO,
    nodes: [
      gfdNode('node-t4', { gpu: 't4' }, {
        product: 'NVIDIA-T4-16GB',
        count: '1',
        memory: '8192',
      }),
    ],
    workspace: byoInference('rc-byo-small', { gpu: 't4' }, 'test-validation-static', {
      annotations: TRANSFORMERS,
    }),
    expect: denied(
      'Runtime validation: model  does not support inference with Huggingface Transformers runtime: ',
      'invalid value: Insufficient total GPU memory: Instance type  has a total of 8Gi, but preset test-validation-static requires at least 16Gi: resource.instanceType',
    ),
    note: 'The inference rules also refuse the transformers runtime for this test model, which has no Transformers parameters (its metadata has no name, hence the double space).',
  }),
  create('Valid - distributed model on nodes with sufficient combined memory', {
    setup: BYO,
    nodes: ['node-v100-1', 'node-v100-2'].map(name =>
      gfdNode(name, { gpu: 'v100-pair' }, {
        product: 'NVIDIA-V100-SXM2-16GB',
        count: '1',
        memory: '16384',
      }),
    ),
    workspace: byoInference('rc-byo-pair', { gpu: 'v100-pair' }, 'test-validation-download', {
      count: 2,
      secret: 'test-secret',
    }),
    expect: ADMITTED,
    note: 'With a modelAccessSecret, which the inference rules require for this gated test model.',
  }),
  create('Invalid - missing labelSelector for BYO mode', {
    setup: BYO,
    workspace: byoInference('rc-byo-empty', {}, 'test-validation-static'),
    expect: ({ systemNode }) =>
      denied(
        `Failed to get GPU config from nvidia labels on node ${systemNode}: missing required nvidia.com labels on node ${systemNode}: `,
      ),
    note: 'Empty matchLabels select every node. The Go case runs on an empty fake cluster ("No nodes found"); an AKS cluster has its system node, which has no GPU labels.',
  }),
  create('Invalid - matchLabels only contains reserved KAITO labels', {
    setup: BYO,
    workspace: byoInference(
      'rc-byo-reserved',
      { 'kaito.sh/workspace': 'ws1', 'kaito.sh/workspacenamespace': 'ns1' },
      'test-validation-static',
    ),
    expect: denied(
      'invalid value: matchLabels must contain at least one non-reserved label: resource.labelSelector.matchLabels',
    ),
  }),
  create('Deprecated Model', {
    setup: NAP,
    workspace: inference('rc-deprecated', napResource('rc-deprecated'), preset('phi-2')),
    expect: denied(
      'Model phi-2 is deprecated and no longer supported: resource.presetName',
      'invalid value: Unsupported inference preset name phi-2: inference.presetName',
    ),
  }),
  create('Empty TotalSafeTensorFileSize skips GPU memory validation', {
    setup: { ...NAP, testValidationSize: '' },
    workspace: inference(
      'rc-size-empty',
      napResource('rc-size-empty'),
      preset('test-validation'),
      TRANSFORMERS,
    ),
    expect: ADMITTED,
  }),
  create('Malformed TotalSafeTensorFileSize returns validation error', {
    setup: { ...NAP, testValidationSize: 'not-a-quantity' },
    workspace: inference(
      'rc-size-bad',
      napResource('rc-size-bad'),
      preset('test-validation'),
      TRANSFORMERS,
    ),
    expect: denied(
      "invalid value: invalid TotalSafeTensorFileSize \"not-a-quantity\" for preset test-validation: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': resource.TotalSafeTensorFileSize",
    ),
  }),
  create('Valid TotalSafeTensorFileSize with sufficient memory passes', {
    setup: { ...NAP, testValidationSize: '1Gi' },
    workspace: inference(
      'rc-size-ok',
      napResource('rc-size-ok'),
      preset('test-validation'),
      TRANSFORMERS,
    ),
    expect: ADMITTED,
  }),
];

const MIG = { ...BYO, featureGates: { enableMIG: true } };

const migWorkspace = (
  name: string,
  presetName: string,
  profile: string,
  annotations?: Record<string, string>,
) =>
  inference(
    name,
    resource(name, { count: 1, partition: { mode: 'mig', profile } }),
    preset(presetName),
    annotations,
  );

export const migModelFitRows: TableRow[] = [
  {
    source,
    goTest: 'TestValidateMIGModelFit',
    goCase: 'model fits within the MIG slice',
    setup: { ...MIG, testValidationSize: '8Gi' },
    workspace: migWorkspace('mig-fits', 'test-validation', '2g.24gb'),
    expect: ADMITTED,
  },
  {
    source,
    goTest: 'TestValidateMIGModelFit',
    goCase: 'model exceeds the MIG slice',
    setup: MIG,
    workspace: migWorkspace('mig-too-big', 'test-large-model', '1g.10gb'),
    expect: denied(
      'invalid value: Model test-large-model requires at least 131Gi for weights, which exceeds the 1g.10gb MIG slice capacity of 10Gi: resource.partition',
    ),
  },
  {
    source,
    goTest: 'TestValidateMIGModelFit',
    goCase: 'bypass annotation allows an oversized model',
    setup: MIG,
    workspace: migWorkspace('mig-bypass', 'test-large-model', '1g.10gb', {
      'kaito.sh/bypass-resource-checks': 'true',
    }),
    expect: ADMITTED,
  },
];

const PARTITIONS = {
  ...BYO,
  featureGates: { enableMIG: true, enableAccelerator: true },
};

const partitionRow = (
  goCase: string,
  name: string,
  partition: Record<string, unknown>,
  expect: TableRow['expect'],
  note?: string,
): TableRow => ({
  source,
  goTest: 'TestValidatePartition',
  goCase,
  setup: PARTITIONS,
  workspace: inference(name, resource(name, { partition }), { template: {} }),
  expect,
  ...(note ? { note } : {}),
});

export const partitionRows: TableRow[] = [
  partitionRow('accelerator with valid count', 'part-acc', { mode: 'accelerator', count: 2 }, ADMITTED),
  partitionRow(
    'accelerator missing count',
    'part-acc-nocount',
    { mode: 'accelerator' },
    denied('missing field(s): resource.partition.count'),
  ),
  partitionRow(
    'accelerator with profile set',
    'part-acc-profile',
    { mode: 'accelerator', count: 2, profile: '1g.10gb' },
    denied('invalid value: profile is not valid for accelerator mode: resource.partition.profile'),
  ),
  partitionRow('mig with valid profile', 'part-mig', { mode: 'mig', profile: '1g.10gb' }, ADMITTED),
  partitionRow(
    'mig with count set',
    'part-mig-count',
    { mode: 'mig', profile: '1g.10gb', count: 2 },
    denied('invalid value: count is only valid for accelerator mode: resource.partition.count'),
  ),
  partitionRow(
    'unsupported mode',
    'part-bogus',
    { mode: 'bogus' },
    schemaInvalid(
      'part-bogus',
      'resource.partition.mode: Unsupported value: "bogus": supported values: "mig", "accelerator"',
      '<nil>: Invalid value: "": "resource.partition.mode" must validate all the schemas (allOf). None validated',
    ),
    "The CRD's enum (an allOf of two) refuses the mode before the webhook runs.",
  ),
];

const update = (
  goCase: string,
  row: Omit<TableRow, 'source' | 'goTest' | 'goCase'>,
): TableRow => ({
  source,
  goTest: 'TestResourceSpecValidateUpdate',
  goCase,
  ...row,
});

/** An inference workspace with a custom template (no model lookups on update). */
const templated = (name: string, res: Record<string, unknown>) =>
  inference(name, res, { template: {} });

const MISSING_INSTANCE_TYPE =
  'missing field(s): resource.instanceType, resource.instanceType is required when node auto-provisioning is enabled';

export const resourceUpdateRows: TableRow[] = [
  update('Immutable Count', {
    setup: NAP,
    before: {
      workspace: templated('ru-count', resource('ru-count', { count: 5 })),
      restore: true,
    },
    workspace: templated('ru-count', resource('ru-count', { count: 10 })),
    expect: denied('field is immutable: resource.count', MISSING_INSTANCE_TYPE),
    note: 'Neither side has an instanceType, as in the Go case, whose error (with NAP) includes the missing instanceType too.',
  }),
  update('NAP enabled - change instanceType (invalid)', {
    setup: NAP,
    before: {
      workspace: templated('ru-change', resource('ru-change', { instanceType: 'old_type', count: 1 })),
      restore: true,
    },
    workspace: templated('ru-change', resource('ru-change', { instanceType: 'new_type', count: 1 })),
    expect: denied(
      'instanceType cannot be changed once set when node auto-provisioning is enabled: resource.instanceType',
    ),
  }),
  update('NAP enabled - clear instanceType (invalid)', {
    setup: NAP,
    before: { workspace: templated('ru-clear', napResource('ru-clear')) },
    workspace: templated('ru-clear', resource('ru-clear', { count: 1 })),
    expect: denied(MISSING_INSTANCE_TYPE),
  }),
  update('NAP enabled - set instanceType initially (valid)', {
    setup: NAP,
    before: {
      workspace: templated('ru-set', resource('ru-set', { count: 1 })),
      restore: true,
    },
    workspace: templated('ru-set', napResource('ru-set')),
    expect: ADMITTED,
  }),
  update('NAP enabled - keep same instanceType (valid)', {
    setup: NAP,
    before: {
      workspace: templated('ru-same', resource('ru-same', { instanceType: 'same_type', count: 1 })),
      restore: true,
    },
    workspace: templated('ru-same', resource('ru-same', { instanceType: 'same_type', count: 1 })),
    expect: ADMITTED,
  }),
  update('NAP disabled - clear instanceType (valid upgrade path)', {
    setup: BYO,
    before: {
      workspace: templated(
        'ru-byo-clear',
        { instanceType: A10, count: 1, labelSelector: { matchLabels: { gpu: 'v100' } } },
      ),
      restore: true,
    },
    workspace: templated('ru-byo-clear', {
      count: 1,
      labelSelector: { matchLabels: { gpu: 'v100' } },
    }),
    expect: ADMITTED,
  }),
  update('NAP disabled - keep instanceType set (backward compatibility)', {
    setup: BYO,
    before: { workspace: templated('ru-byo-keep', napResource('ru-byo-keep')), restore: true },
    workspace: templated('ru-byo-keep', napResource('ru-byo-keep')),
    expect: ADMITTED,
  }),
  update('NAP disabled - change to different instanceType (invalid)', {
    setup: BYO,
    before: {
      workspace: templated('ru-byo-change', resource('ru-byo-change', { instanceType: 'old_type', count: 1 })),
      restore: true,
    },
    workspace: templated('ru-byo-change', resource('ru-byo-change', { instanceType: 'new_type', count: 1 })),
    expect: denied('invalid value: instanceType cannot be changed once set: resource.instanceType'),
  }),
  update('NAP disabled - instanceType already empty (valid)', {
    setup: BYO,
    before: {
      workspace: templated('ru-byo-empty', {
        count: 1,
        labelSelector: { matchLabels: { gpu: 'v100' } },
      }),
    },
    workspace: templated('ru-byo-empty', {
      count: 1,
      labelSelector: { matchLabels: { gpu: 'v100' } },
    }),
    expect: ADMITTED,
  }),
  update('Immutable LabelSelector', {
    setup: NAP,
    before: {
      workspace: templated('ru-labels', { labelSelector: { matchLabels: { key2: 'value2' } } }),
      restore: true,
    },
    workspace: templated('ru-labels', { labelSelector: { matchLabels: { key1: 'value1' } } }),
    expect: denied('field is immutable: resource.labelSelector', MISSING_INSTANCE_TYPE),
    note: 'Neither side has an instanceType, as in the Go case, whose error (with NAP) includes the missing instanceType too.',
  }),
  update('Valid Update with all fields unchanged', {
    setup: NAP,
    before: {
      workspace: templated('ru-unchanged', {
        count: 5,
        instanceType: 'same_type',
        labelSelector: { matchLabels: { key: 'value' } },
      }),
      restore: true,
    },
    workspace: templated('ru-unchanged', {
      count: 5,
      instanceType: 'same_type',
      labelSelector: { matchLabels: { key: 'value' } },
    }),
    expect: ADMITTED,
  }),
];
