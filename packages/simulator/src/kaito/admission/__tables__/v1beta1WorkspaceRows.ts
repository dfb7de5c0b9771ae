/**
 * api/v1beta1/workspace_validation_test.go: TestWorkspaceValidateCreate,
 * TestWorkspaceValidateName, the annotation tests, TestWorkspaceValidateNAPFeatureGate
 * and TestWorkspaceValidateUpdate.
 */
import { gfdNode } from './preconditions';
import {
  ADMITTED,
  BYO,
  denied,
  DNS1123_LABEL_ERROR,
  DNS1123_SUBDOMAIN_ERROR,
  NAP,
  napResource,
  preset,
  resource,
  schemaInvalid,
  SUPPORTED_SKUS,
  workspace,
  type TableRow,
} from './tableRow';

const source = 'api/v1beta1/workspace_validation_test.go' as const;

const MISSING_INSTANCE_TYPE =
  'missing field(s): resource.instanceType, resource.instanceType is required when node auto-provisioning is enabled';

const row = (
  goTest: string,
  goCase: string,
  rest: Omit<TableRow, 'source' | 'goTest' | 'goCase'>,
): TableRow => ({ source, goTest, goCase, ...rest });

export const workspaceCreateRows: TableRow[] = [
  row('TestWorkspaceValidateCreate', 'Neither Inference nor Tuning specified', {
    setup: NAP,
    workspace: workspace('wc-neither', { resource: napResource('wc-neither') }),
    expect: denied('Either Inference or Tuning must be specified, not neither: spec'),
  }),
  row('TestWorkspaceValidateCreate', 'Both Inference and Tuning specified', {
    setup: NAP,
    workspace: workspace('wc-both', {
      resource: napResource('wc-both'),
      inference: {},
      tuning: {},
    }),
    expect: schemaInvalid(
      'wc-both',
      'tuning.input: Required value',
      'tuning.output: Required value',
    ),
    note: 'The CRD requires tuning.input and tuning.output, so the API server refuses the empty tuning before the webhook.',
  }),
  row('TestWorkspaceValidateCreate', 'Only Inference specified', {
    setup: NAP,
    workspace: workspace('wc-inference', {
      resource: napResource('wc-inference'),
      inference: {},
    }),
    expect: denied(
      'missing field(s): inference.Preset or Template must be specified',
    ),
    note: 'The Go case checks only the inference-xor-tuning rule; the whole webhook also needs a preset or a template.',
  }),
  row('TestWorkspaceValidateCreate', 'Only Tuning specified', {
    setup: NAP,
    workspace: workspace('wc-tuning', {
      resource: napResource('wc-tuning'),
      tuning: { input: {} },
    }),
    expect: schemaInvalid('wc-tuning', 'tuning.output: Required value'),
    note: 'The CRD requires tuning.output.',
  }),
  row('TestWorkspaceValidateCreate', 'Unsupported node image family annotation', {
    setup: NAP,
    workspace: workspace(
      'wc-image-family',
      { resource: napResource('wc-image-family'), inference: {} },
      { annotations: { 'kaito.sh/node-image-family': 'CustomLinux' } },
    ),
    expect: denied(
      'invalid value: unsupported node image family "CustomLinux", supported values are azurelinux, ubuntu: spec.metadata.annotations["kaito.sh/node-image-family"]',
      'missing field(s): inference.Preset or Template must be specified',
    ),
  }),
];

const named = (name: string) =>
  workspace(name, {
    resource: napResource(name),
    inference: preset('test-validation-static'),
  });

export const workspaceNameRows: TableRow[] = [
  row('TestWorkspaceValidateName', 'Valid name', {
    setup: NAP,
    workspace: named('valid-name'),
    expect: ADMITTED,
  }),
  row('TestWorkspaceValidateName', 'Name with invalid characters', {
    setup: NAP,
    workspace: named('phi-3.5-mini'),
    expect: denied(`invalid value: ${DNS1123_LABEL_ERROR}: name`),
  }),
  row('TestWorkspaceValidateName', 'Name start with invalid character', {
    setup: NAP,
    workspace: named('-mini'),
    expect: schemaInvalid(
      '-mini',
      `metadata.name: Invalid value: "-mini": ${DNS1123_SUBDOMAIN_ERROR}`,
    ),
    note: 'The API server validates metadata.name (a DNS subdomain) before webhooks run.',
  }),
];

const annotated = (name: string, annotations?: Record<string, string>) =>
  workspace(
    name,
    { resource: napResource(name), inference: preset('test-validation-static') },
    annotations ? { annotations } : {},
  );

const annotationRow = (
  goCase: string,
  name: string,
  annotations: Record<string, string> | undefined,
  expect: TableRow['expect'],
) =>
  row('TestWorkspaceValidatePerformanceModeAnnotation', goCase, {
    setup: NAP,
    workspace: annotated(name, annotations),
    expect,
  });

export const annotationRows: TableRow[] = [
  annotationRow('no annotation is valid', 'pm-none', undefined, ADMITTED),
  annotationRow('balanced is valid', 'pm-balanced', { 'kaito.sh/performance-mode': 'balanced' }, ADMITTED),
  annotationRow('interactivity is valid', 'pm-interactive', { 'kaito.sh/performance-mode': 'interactivity' }, ADMITTED),
  annotationRow('throughput is valid', 'pm-throughput', { 'kaito.sh/performance-mode': 'throughput' }, ADMITTED),
  annotationRow(
    'unknown value is invalid',
    'pm-fast',
    { 'kaito.sh/performance-mode': 'fast' },
    denied(
      'invalid value: "fast" is not a valid performance mode; choose one of: balanced, interactivity, throughput: metadata.annotations[kaito.sh/performance-mode]',
    ),
  ),
  annotationRow('use local weights true is valid', 'lw-true', { 'kaito.sh/use-local-weights': 'true' }, ADMITTED),
  annotationRow('use local weights false is valid', 'lw-false', { 'kaito.sh/use-local-weights': 'false' }, ADMITTED),
  annotationRow(
    'use local weights non-boolean is invalid',
    'lw-yes',
    { 'kaito.sh/use-local-weights': 'yes' },
    denied(
      'invalid value: "yes" must be "true" or "false": metadata.annotations[kaito.sh/use-local-weights]',
    ),
  ),
];

const NODE_CLASS_NOTE =
  'The simulator runs azure-gpu-provisioner (karpenter is not modelled), where the annotation is inert; the karpenter-only cases are not ported.';

export const nodeClassRows: TableRow[] = [
  ...(
    [
      ['no annotation is valid', 'nc-none', undefined],
      ['empty annotation falls back to the default', 'nc-empty', ''],
      ['KAITO-managed NodeClass is valid', 'nc-managed', 'image-family-azure-linux'],
      ['annotation is ignored when the provisioner is not karpenter', 'nc-ignored', 'someone-elses-nodeclass'],
    ] as const
  ).map(([goCase, name, value]) =>
    row('TestWorkspaceValidateNodeClassNameAnnotation', goCase, {
      setup: NAP,
      workspace: annotated(
        name,
        value === undefined ? undefined : { 'kaito.sh/node-class-name': value },
      ),
      expect: ADMITTED,
      note: NODE_CLASS_NOTE,
    }),
  ),
  row(
    'TestWorkspaceValidateNodeClassNameAnnotation',
    'unchanged pre-existing annotation is allowed on update',
    {
      setup: NAP,
      before: {
        workspace: annotated('nc-legacy', { 'kaito.sh/node-class-name': 'legacy-nodeclass' }),
      },
      workspace: annotated('nc-legacy', { 'kaito.sh/node-class-name': 'legacy-nodeclass' }),
      expect: ADMITTED,
      note: NODE_CLASS_NOTE,
    },
  ),
];

const v100 = gfdNode('test-node', { gpu: 'v100' }, {
  product: 'NVIDIA-V100-SXM2-16GB',
  count: '1',
  memory: '16384',
});

export const napFeatureGateRows: TableRow[] = [
  row('TestWorkspaceValidateNAPFeatureGate', 'NAP enabled - instanceType required', {
    setup: NAP,
    workspace: workspace('test-workspace-nap-enabled', {
      resource: resource('test-workspace-nap-enabled', { count: 1 }),
      inference: preset('test-validation-static'),
    }),
    expect: denied(
      `invalid value: Unsupported instance type . Supported SKUs: ${SUPPORTED_SKUS}: resource.instanceType`,
      'missing field(s): spec.instanceType is required when node auto-provisioning is enabled, spec.resource.instanceType',
    ),
  }),
  row('TestWorkspaceValidateNAPFeatureGate', 'NAP enabled - instanceType provided (valid)', {
    setup: NAP,
    workspace: workspace('test-workspace-nap-enabled-valid', {
      resource: napResource('test-workspace-nap-enabled-valid'),
      inference: preset('test-validation-static'),
    }),
    expect: ADMITTED,
  }),
  row('TestWorkspaceValidateNAPFeatureGate', 'NAP disabled - instanceType must be empty', {
    setup: BYO,
    nodes: [v100],
    workspace: workspace('test-workspace-nap-disabled', {
      resource: {
        instanceType: 'Standard_NV36ads_A10_v5',
        count: 1,
        labelSelector: { matchLabels: { gpu: 'v100' } },
      },
      inference: preset('test-validation-static'),
    }),
    expect: denied(
      'invalid value: instanceType must be empty when node auto-provisioning is disabled (BYO scenario): spec.resource.instanceType',
    ),
  }),
  row('TestWorkspaceValidateNAPFeatureGate', 'NAP disabled - instanceType empty (valid)', {
    setup: BYO,
    nodes: [v100],
    workspace: workspace('test-workspace-nap-disabled-valid', {
      resource: { count: 1, labelSelector: { matchLabels: { gpu: 'v100' } } },
      inference: preset('test-validation-static'),
    }),
    expect: ADMITTED,
  }),
];

const bare = (name: string, fields: Record<string, unknown> = {}) =>
  workspace(name, fields);

export const workspaceUpdateRows: TableRow[] = [
  row('TestWorkspaceValidateUpdate', 'Inference toggled on', {
    setup: NAP,
    before: { workspace: bare('wu-inference-on'), restore: true },
    workspace: bare('wu-inference-on', { inference: {} }),
    expect: denied(
      'Inference field cannot be toggled once set: spec.inference',
      MISSING_INSTANCE_TYPE,
    ),
    note: 'Neither object has a resource, as in the Go case; with NAP the update is also refused for the missing instanceType.',
  }),
  row('TestWorkspaceValidateUpdate', 'Inference toggled off', {
    setup: NAP,
    before: { workspace: bare('wu-inference-off', { inference: { preset: {} } }), restore: true },
    workspace: bare('wu-inference-off'),
    expect: denied(
      'Inference field cannot be toggled once set: spec.inference',
      MISSING_INSTANCE_TYPE,
    ),
  }),
  row('TestWorkspaceValidateUpdate', 'Tuning toggled on', {
    setup: NAP,
    before: { workspace: bare('wu-tuning-on'), restore: true },
    workspace: bare('wu-tuning-on', { tuning: { input: {} } }),
    expect: schemaInvalid('wu-tuning-on', 'tuning.output: Required value'),
    note: 'The CRD requires tuning.output, so the API server refuses the update first.',
  }),
  row('TestWorkspaceValidateUpdate', 'Tuning toggled off', {
    setup: NAP,
    before: { workspace: bare('wu-tuning-off', { tuning: { input: {} } }), restore: true },
    workspace: bare('wu-tuning-off'),
    expect: denied(
      'Tuning field cannot be toggled once set: spec.tuning',
      MISSING_INSTANCE_TYPE,
    ),
  }),
  row('TestWorkspaceValidateUpdate', 'No toggling', {
    setup: NAP,
    before: {
      workspace: bare('test-workspace', {
        resource: napResource('test-workspace'),
        tuning: {
          input: {},
          output: { image: 'test-image:latest', imagePushSecret: 'secret' },
        },
      }),
      restore: true,
    },
    workspace: bare('test-workspace', {
      resource: napResource('test-workspace'),
      tuning: {
        input: {},
        output: { image: 'test-image:latest', imagePushSecret: 'secret' },
      },
    }),
    expect: ADMITTED,
  }),
  row(
    'TestWorkspaceValidateUpdate',
    'Upgrade scenario - v0.7 workspace with instanceType when disableNAP=true',
    {
      setup: BYO,
      before: {
        workspace: bare('v07-workspace', {
          resource: {
            instanceType: 'Standard_NV36ads_A10_v5',
            count: 1,
            labelSelector: { matchLabels: { gpu: 'nvidia' } },
          },
          inference: preset('test-validation-static'),
        }),
        restore: true,
      },
      workspace: bare('v07-workspace', {
        resource: { count: 1, labelSelector: { matchLabels: { gpu: 'nvidia' } } },
        inference: preset('test-validation-static'),
      }),
      expect: ADMITTED,
    },
  ),
];
