import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import {
  condition,
  inferenceWorkspace,
  startTestSimulator,
  tuningWorkspace,
  WS,
  type TestSimulator,
} from './wiring/__testUtils__/simulatorHarness';

jest.setTimeout(60_000);

const PREFIX =
  'admission webhook "validation.workspace.kaito.sh" denied the request: validation failed: ';
const A10 = 'Standard_NV36ads_A10_v5';

const withTuning = (
  name: string,
  tuning: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) =>
  tuningWorkspace(name, {
    tuning: { ...tuningWorkspace(name).tuning, ...tuning },
    ...extra,
  });
const withInference = (
  name: string,
  inference: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) =>
  inferenceWorkspace(name, {
    inference: { preset: { name: 'phi-3-mini-128k-instruct' }, ...inference },
    ...extra,
  });
const adapter = (name: string, extra: Record<string, unknown> = {}) => ({
  source: { name, image: `myregistry.azurecr.io/adapters/${name}:1` },
  ...extra,
});

/**
 * KAITO's validating webhook, rule by rule (kaito.md §1.6), through
 * @kubernetes/client-node: each denial is the API server's 400 BadRequest
 * with KAITO's (knative FieldError) wording, naming the field.
 */
describe('validation.workspace.kaito.sh', () => {
  let sim: TestSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator({ timeScale: 1000 });
    await sim.createNamespace('ml');
    const cm = (name: string, yaml: string, key = 'training_config.yaml') =>
      sim.core.createNamespacedConfigMap({
        namespace: 'ml',
        body: { metadata: { name }, data: { [key]: yaml } },
      });
    await cm('lora-style', 'training_config:\n  LoraConfig:\n    r: 8\n');
    await cm(
      'odd-section',
      'training_config:\n  QuantizationConfig:\n    load_in_4bit: true\n  Foo:\n    bar: 1\n',
    );
    await cm(
      'huge-context',
      'vllm:\n  max-model-len: 999999\n',
      'inference_config.yaml',
    );
  });

  afterAll(() => sim?.close());

  const create = (body: object) =>
    sim.custom
      .createNamespacedCustomObject({ ...WS, namespace: 'ml', body })
      .then(
        () => undefined,
        e => e,
      );

  it.each<[string, object, string]>([
    [
      'name is a DNS-1123 label',
      inferenceWorkspace('has.dots'),
      "invalid value: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?'): name",
    ],
    [
      'inference or tuning, not neither',
      { ...inferenceWorkspace('neither'), inference: undefined },
      'Either Inference or Tuning must be specified, not neither: spec',
    ],
    [
      'inference or tuning, not both',
      { ...inferenceWorkspace('both'), tuning: tuningWorkspace('both').tuning },
      'Either Inference or Tuning must be specified, but not both: spec',
    ],
    [
      'NAP needs instanceType',
      inferenceWorkspace('no-sku', {
        resource: { labelSelector: { matchLabels: { apps: 'x' } } },
      }),
      'missing field(s): spec.instanceType is required when node auto-provisioning is enabled, spec.resource.instanceType',
    ],
    [
      'instanceType from the SKU table',
      inferenceWorkspace('cpu-sku', {
        resource: {
          instanceType: 'Standard_E4s_v5',
          labelSelector: { matchLabels: { apps: 'x' } },
        },
      }),
      'invalid value: Unsupported instance type Standard_E4s_v5. Supported SKUs: [',
    ],
    [
      'GPU partitioning needs BYO',
      inferenceWorkspace('mig', {
        resource: {
          instanceType: 'Standard_NC24ads_A100_v4',
          labelSelector: { matchLabels: { apps: 'x' } },
          partition: { mode: 'mig', profile: '1g.10gb' },
        },
      }),
      'GPU partitioning is only supported with BYO nodes (disableNodeAutoProvisioning=true): resource.partition',
    ],
    [
      'labelSelector: matchLabels or In only',
      inferenceWorkspace('notin', {
        resource: {
          instanceType: 'Standard_NC24ads_A100_v4',
          labelSelector: {
            matchExpressions: [
              { key: 'apps', operator: 'NotIn', values: ['a'] },
            ],
          },
        },
      }),
      'invalid value: operator "NotIn" cannot be converted into the old label selector format: resource.labelSelector',
    ],
    [
      'labelSelector: not only reserved keys',
      inferenceWorkspace('reserved', {
        resource: {
          instanceType: 'Standard_NC24ads_A100_v4',
          labelSelector: { matchLabels: { 'kaito.sh/workspace': 'x' } },
        },
      }),
      'invalid value: matchLabels must contain at least one non-reserved label: resource.labelSelector.matchLabels',
    ],
    [
      'known inference preset',
      withInference('unknown-model', { preset: { name: 'foo-7b' } }),
      'invalid value: Unsupported inference preset name foo-7b: inference.presetName',
    ],
    [
      'no deprecated preset',
      withInference('old-model', { preset: { name: 'phi-2' } }),
      'Model phi-2 is deprecated and no longer supported: resource.presetName',
    ],
    [
      'GPU memory check (transformers runtime)',
      withInference(
        'too-big',
        { preset: { name: 'qwen2.5-coder-32b-instruct' } },
        {
          metadata: {
            name: 'too-big',
            annotations: { 'kaito.sh/runtime': 'transformers' },
          },
          resource: {
            instanceType: A10,
            labelSelector: { matchLabels: { apps: 'x' } },
          },
        },
      ),
      // resource.Quantity prints 61.03Gi (not a whole number of bytes) in milli-bytes.
      'Multi-node distributed inference is not supported with Huggingface Transformers runtime: \ninvalid value: Insufficient total GPU memory: Instance type Standard_NV36ads_A10_v5 has a total of 24Gi, but preset qwen2.5-coder-32b-instruct requires at least 65530463518720m: resource.instanceType',
    ],
    [
      'at most 10 adapters',
      withInference('many-adapters', {
        adapters: Array.from({ length: 11 }, (_, i) => adapter(`a${i}`)),
      }),
      'Number of Adapters exceeds the maximum limit, maximum of 10 allowed',
    ],
    [
      'unique adapter names',
      withInference('dup-adapters', {
        adapters: [adapter('same'), adapter('same')],
      }),
      'Duplicate adapter source name found: same',
    ],
    [
      'inference config exists',
      withInference('no-config', { config: 'missing-cm' }),
      "ConfigMap 'missing-cm' specified in 'config' not found in namespace 'ml': config",
    ],
    [
      'max-model-len within the model',
      withInference('huge-context', { config: 'huge-context' }),
      "invalid value: max-model-len 999999 exceeds model's maximum supported context window 131072 (ModelTokenLimit): max-model-len",
    ],
    [
      'node image family',
      inferenceWorkspace('win', {
        metadata: {
          name: 'win',
          annotations: { 'kaito.sh/node-image-family': 'windows' },
        },
      }),
      'invalid value: unsupported node image family "windows", supported values are azurelinux, ubuntu: spec.metadata.annotations["kaito.sh/node-image-family"]',
    ],
    [
      'tuning: count <= 1',
      tuningWorkspace('two-nodes', {
        resource: {
          instanceType: 'Standard_NC24ads_A100_v4',
          count: 2,
          labelSelector: { matchLabels: { apps: 'x' } },
        },
      }),
      'invalid value: Tuning does not currently support multinode configurations. Please set the node count to 1. Future support with DeepSpeed will allow this.: resource.count',
    ],
    [
      'tuning: no partition',
      tuningWorkspace('tune-mig', {
        resource: {
          instanceType: 'Standard_NC24ads_A100_v4',
          partition: { mode: 'mig' },
          labelSelector: { matchLabels: { apps: 'x' } },
        },
      }),
      'invalid value: GPU partitioning is not supported for tuning workloads: resource.partition',
    ],
    [
      'tuning: lora or qlora',
      withTuning('full-ft', { method: 'full' }),
      'invalid value: full: tuning.Method',
    ],
    [
      'tuning: known preset',
      withTuning('tune-unknown', { preset: { name: 'foo-7b' } }),
      'invalid value: Unsupported tuning preset name foo-7b: tuning.presetName',
    ],
    [
      'tuning: exactly one input',
      withTuning('two-inputs', {
        input: {
          urls: ['https://example.com/a.jsonl'],
          image: 'myregistry.azurecr.io/data:1',
        },
      }),
      'Exactly one of URLs, Volume, or Image must be specified: tuning.Input.Image, tuning.Input.URLs, tuning.Input.Volume',
    ],
    [
      'tuning: no local URLs',
      withTuning('local-url', {
        input: { urls: ['http://localhost:8000/data.jsonl'] },
      }),
      'invalid value: data source URL must not target a local or metadata endpoint: tuning.Input.URLs',
    ],
    [
      'tuning: image output needs imagePushSecret',
      withTuning('no-push-secret', {
        output: { image: 'myregistry.azurecr.io/adapter:1' },
      }),
      'missing field(s): tuning.Output.Must specify imagePushSecret with destination image',
    ],
    [
      'tuning: exactly one output',
      withTuning('no-output', { output: {} }),
      'missing field(s): tuning.Output.Exactly one of Volume or Image must be specified',
    ],
    [
      'tuning: config ConfigMap exists',
      withTuning('no-tuning-config', { config: 'my-config' }),
      "Failed to evaluate validateConfigMap: ConfigMap 'my-config' specified in 'config' not found in namespace 'ml': config: tuning.Config",
    ],
    [
      'tuning: qlora config quantizes',
      withTuning('qlora-unquantized', { config: 'lora-style' }),
      "For method 'qlora', either 'load_in_4bit' or 'load_in_8bit' must be true in ConfigMap 'lora-style'",
    ],
    [
      'tuning: known config sections',
      withTuning('odd-config', { config: 'odd-section' }),
      'Unrecognized section: Foo: training_config.yaml',
    ],
  ])('%s', async (_rule, body, message) => {
    const error = await create(body);
    expect(error).toBeDefined();
    expect(error.code).toBe(400);
    const status = JSON.parse(error.body);
    expect(status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'BadRequest',
      code: 400,
    });
    expect(status.message.startsWith(PREFIX)).toBe(true);
    expect(status.message).toContain(message);
  });

  it('lets an unknown N-series SKU through, as KAITO on Azure does; the estimator then fails (#2114)', async () => {
    expect(
      await create(
        inferenceWorkspace('retired-sku', {
          resource: {
            instanceType: 'Standard_NC6s_v3',
            labelSelector: { matchLabels: { apps: 'x' } },
          },
        }),
      ),
    ).toBeUndefined();
    const ws = await sim.waitForWorkspace('ml', 'retired-sku', w =>
      /Unsupported SKU/.test(condition(w, 'ResourceReady')?.message ?? ''),
    );
    expect(condition(ws, 'ResourceReady').message).toContain(
      "(last reconcile error: Unsupported SKU 'Standard_NC6s_v3' for cloud provider)",
    );
  });

  it('admits a gated preset without modelAccessSecret (v0.12 reads no token requirement from its model catalog)', async () => {
    expect(
      await create(
        withInference('gated', { preset: { name: 'llama-3.1-8b-instruct' } }),
      ),
    ).toBeUndefined();
  });

  it('defaults a v1alpha1 workspace to the A100 SKU (the v1alpha1 CRD default)', async () => {
    // A tuning workspace: v1alpha1 inference presets crash KAITO v0.12's webhook (see the table test).
    const body = {
      ...tuningWorkspace('alpha', {
        resource: { labelSelector: { matchLabels: { apps: 'alpha' } } },
      }),
      apiVersion: 'kaito.sh/v1alpha1',
    };
    await sim.custom.createNamespacedCustomObject({
      ...WS,
      version: 'v1alpha1',
      namespace: 'ml',
      body,
    });
    const ws = await sim.workspace('ml', 'alpha');
    expect(ws.resource).toMatchObject({
      instanceType: 'Standard_NC24ads_A100_v4',
      count: 1,
    });
  });

  describe('updates', () => {
    const update = async (name: string, change: (ws: any) => void) => {
      for (let attempt = 0; ; attempt++) {
        const ws = await sim.workspace('ml', name);
        change(ws);
        const result = await sim.custom
          .replaceNamespacedCustomObject({
            ...WS,
            namespace: 'ml',
            name,
            body: ws,
          })
          .then(
            () => undefined,
            e => e,
          );
        if (result?.code !== 409 || attempt > 5) return result;
      }
    };

    beforeAll(async () => {
      await create(withInference('serve', { adapters: [adapter('first')] }));
      await create(tuningWorkspace('tune'));
    });

    it.each<[string, string, (ws: any) => void, string]>([
      [
        'instanceType is immutable',
        'serve',
        ws => (ws.resource.instanceType = 'Standard_NC48ads_A100_v4'),
        'instanceType cannot be changed once set when node auto-provisioning is enabled: resource.instanceType',
      ],
      [
        'labelSelector is immutable',
        'serve',
        ws => (ws.resource.labelSelector = { matchLabels: { apps: 'other' } }),
        'field is immutable: resource.labelSelector',
      ],
      [
        'count is immutable',
        'serve',
        ws => (ws.resource.count = 2),
        'field is immutable: resource.count',
      ],
      [
        'inference.preset is immutable',
        'serve',
        ws => (ws.inference.preset = { name: 'phi-4-mini-instruct' }),
        'field is immutable: inference.preset',
      ],
      [
        'inference cannot become tuning',
        'serve',
        ws => {
          ws.tuning = tuningWorkspace('x').tuning;
          delete ws.inference;
        },
        'Inference field cannot be toggled once set: spec.inference\nTuning field cannot be toggled once set: spec.tuning',
      ],
      [
        'adapters: no URL sources',
        'serve',
        ws =>
          (ws.inference.adapters = [
            { source: { name: 'web', urls: ['https://example.com/a'] } },
          ]),
        'Either Image or Volume must be specified for adapter source: inference.adapters.source\nURLs are not supported as adapter source: inference.adapters.source.urls',
      ],
      [
        'adapters: strength between 0 and 1',
        'serve',
        ws => (ws.inference.adapters = [adapter('strong', { strength: '2' })]),
        "Strength value for Adapter 'strong' must be between 0 and 1: inference.adapter",
      ],
      [
        'tuning.method is immutable',
        'tune',
        ws => (ws.tuning.method = 'lora'),
        'Method cannot be changed: tuning.Method',
      ],
      [
        'tuning.preset is immutable',
        'tune',
        ws => (ws.tuning.preset = { name: 'phi-3.5-mini-instruct' }),
        'Preset cannot be changed: tuning.Preset',
      ],
      [
        'tuning.input.name is immutable',
        'tune',
        ws => (ws.tuning.input.name = 'other-data'),
        'invalid value: During tuning Name field cannot be changed once set: tuning.Input.Name',
      ],
    ])('%s', async (_rule, name, change, message) => {
      const error = await update(name, change);
      expect(error?.code).toBe(400);
      expect(JSON.parse(error.body).message).toBe(`${PREFIX}${message}`);
    });

    it('accepts changes to the mutable fields (adapters, tuning output)', async () => {
      expect(
        await update(
          'serve',
          ws =>
            (ws.inference.adapters = [
              adapter('first'),
              adapter('second', { strength: '0.5' }),
            ]),
        ),
      ).toBeUndefined();
      expect(
        await update(
          'tune',
          ws =>
            (ws.tuning.output.image =
              'myregistry.azurecr.io/adapters/tune:0.0.2'),
        ),
      ).toBeUndefined();
    });
  });

  it('reads like a real denial in kubectl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kaito-admission-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      YAML.stringify({
        ...withTuning('kubectl-bad', { method: 'full' }),
        metadata: { name: 'kubectl-bad', namespace: 'ml' },
      }),
    );
    const result = await sim.kubectl('apply', '-f', file);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      `Error from server (BadRequest): error when creating "${file}": ${PREFIX}`,
    );
    expect(result.stderr).toContain('invalid value: full: tuning.Method');
  });
});
