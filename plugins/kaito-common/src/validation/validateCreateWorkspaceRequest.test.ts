import { KaitoValidationError } from './issues';
import { CreateWorkspaceRequest } from './requests';
import {
  assertValidCreateWorkspaceRequest,
  validateCreateWorkspaceRequest,
  WorkspaceValidationOptions,
} from './validateCreateWorkspaceRequest';
import { validationRules } from './rules';

const tuningRequest: CreateWorkspaceRequest = {
  entityRef: 'component:default/support-bot',
  cluster: 'aks-dev',
  namespace: 'ml',
  name: 'bot-tune',
  resource: { instanceType: 'Standard_NC24ads_A100_v4' },
  tuning: {
    preset: 'phi-3-mini-128k-instruct',
    method: 'qlora',
    input: {
      urls: [
        'https://huggingface.co/datasets/org/set/resolve/main/train.jsonl',
      ],
    },
    output: {
      image: 'myacr.azurecr.io/adapters/bot:v1',
      imagePushSecret: 'acr-push',
    },
  },
};

const inferenceRequest: CreateWorkspaceRequest = {
  entityRef: 'component:default/support-bot',
  cluster: 'aks-dev',
  namespace: 'ml',
  name: 'bot',
  resource: { instanceType: 'Standard_NV36ads_A10_v5' },
  inference: {
    preset: 'phi-3-mini-128k-instruct',
    adapters: [
      {
        name: 'bot-adapter',
        image: 'myacr.azurecr.io/adapters/bot:v1',
      },
    ],
  },
};

type Patch = (req: any) => void;

function tuning(patch: Patch): CreateWorkspaceRequest {
  const req = structuredClone(tuningRequest);
  patch(req);
  return req;
}

function inference(patch: Patch): CreateWorkspaceRequest {
  const req = structuredClone(inferenceRequest);
  patch(req);
  return req;
}

function withUrl(url: string) {
  return tuning(r => {
    r.tuning.input.urls = [url];
  });
}

interface Row {
  title: string;
  request: CreateWorkspaceRequest;
  options?: WorkspaceValidationOptions;
  field: string;
  rule: string;
}

const rows: Row[] = [
  // strict structure
  {
    title: 'a misspelt dryRun',
    request: tuning(r => (r.dryrun = true)),
    field: 'dryrun',
    rule: 'field.unknown',
  },
  {
    title: 'adapters under tuning',
    request: tuning(r => (r.tuning.adapters = [])),
    field: 'tuning.adapters',
    rule: 'field.unknown',
  },
  {
    title: 'a resource that is a string',
    request: tuning(r => (r.resource = 'big')),
    field: 'resource',
    rule: 'field.type',
  },
  // request shape and names
  {
    title: 'non-object request',
    request: 'nope' as any,
    field: '',
    rule: 'request.type',
  },
  {
    title: 'missing cluster',
    request: tuning(r => delete r.cluster),
    field: 'cluster',
    rule: 'field.required',
  },
  {
    title: 'dryRun not boolean',
    request: tuning(r => (r.dryRun = 'yes')),
    field: 'dryRun',
    rule: 'field.type',
  },
  {
    title: 'entity ref without kind',
    request: tuning(r => (r.entityRef = 'support-bot')),
    field: 'entityRef',
    rule: 'entity-ref.invalid',
  },
  {
    title: 'entity ref with invalid name',
    request: tuning(r => (r.entityRef = 'component:default/bad name!')),
    field: 'entityRef',
    rule: 'entity-ref.invalid',
  },
  {
    title: 'uppercase namespace',
    request: tuning(r => (r.namespace = 'ML')),
    field: 'namespace',
    rule: 'namespace.dns-label',
  },
  {
    title: 'name with underscore',
    request: tuning(r => (r.name = 'bot_tune')),
    field: 'name',
    rule: 'name.dns-label',
  },
  {
    title: 'name longer than 63',
    request: tuning(r => (r.name = 'a'.repeat(64))),
    field: 'name',
    rule: 'name.dns-label',
  },
  {
    title: 'name ending in a dash',
    request: tuning(r => (r.name = 'bot-')),
    field: 'name',
    rule: 'name.dns-label',
  },
  // mode
  {
    title: 'both tuning and inference',
    request: tuning(r => (r.inference = inferenceRequest.inference)),
    field: 'tuning',
    rule: 'workspace.exactly-one-of',
  },
  {
    title: 'neither tuning nor inference',
    request: tuning(r => delete r.tuning),
    field: 'inference',
    rule: 'workspace.exactly-one-of',
  },
  // resource
  {
    title: 'missing resource',
    request: tuning(r => delete r.resource),
    field: 'resource',
    rule: 'field.required',
  },
  {
    title: 'V100 SKU removed in v0.9',
    request: tuning(r => (r.resource.instanceType = 'Standard_NC6s_v3')),
    field: 'resource.instanceType',
    rule: 'resource.instance-type.unknown',
  },
  {
    title: 'T4 SKU removed in v0.12',
    request: inference(r => (r.resource.instanceType = 'Standard_NC4as_T4_v3')),
    field: 'resource.instanceType',
    rule: 'resource.instance-type.unknown',
  },
  {
    title: 'tuning without instanceType',
    request: tuning(r => delete r.resource.instanceType),
    field: 'resource.instanceType',
    rule: 'resource.instance-type.required',
  },
  {
    title: 'NAP without instanceType',
    request: inference(r => delete r.resource.instanceType),
    options: { nodeProvisioning: 'auto' },
    field: 'resource.instanceType',
    rule: 'resource.instance-type.required',
  },
  {
    title: 'BYO with instanceType',
    request: inference(r => (r.resource.labelSelector = { apps: 'gpu' })),
    options: { nodeProvisioning: 'byo' },
    field: 'resource.instanceType',
    rule: 'resource.instance-type.byo',
  },
  {
    title: 'BYO without labelSelector',
    request: inference(r => delete r.resource.instanceType),
    options: { nodeProvisioning: 'byo' },
    field: 'resource.labelSelector',
    rule: 'resource.label-selector.required',
  },
  {
    title: 'count 0',
    request: inference(r => (r.resource.count = 0)),
    field: 'resource.count',
    rule: 'resource.count.invalid',
  },
  {
    title: 'fractional count',
    request: inference(r => (r.resource.count = 1.5)),
    field: 'resource.count',
    rule: 'resource.count.invalid',
  },
  {
    title: 'tuning count 2',
    request: tuning(r => (r.resource.count = 2)),
    field: 'resource.count',
    rule: 'tuning.count.max-one',
  },
  {
    title: 'reserved kaito.sh label',
    request: inference(
      r => (r.resource.labelSelector = { 'kaito.sh/workspace': 'bot' }),
    ),
    field: 'resource.labelSelector["kaito.sh/workspace"]',
    rule: 'label.reserved-key',
  },
  {
    title: 'reserved karpenter.sh label',
    request: inference(
      r => (r.resource.labelSelector = { 'karpenter.sh/nodepool': 'kaito' }),
    ),
    field: 'resource.labelSelector["karpenter.sh/nodepool"]',
    rule: 'label.reserved-key',
  },
  {
    title: 'invalid label key',
    request: inference(r => (r.resource.labelSelector = { '-apps': 'gpu' })),
    field: 'resource.labelSelector["-apps"]',
    rule: 'label.key-invalid',
  },
  {
    title: 'invalid label value',
    request: inference(r => (r.resource.labelSelector = { apps: 'gpu pool' })),
    field: 'resource.labelSelector["apps"]',
    rule: 'label.value-invalid',
  },
  // presets
  {
    title: 'unknown preset',
    request: tuning(r => (r.tuning.preset = 'gpt-5')),
    field: 'tuning.preset',
    rule: 'preset.unknown',
  },
  {
    title: 'missing preset',
    request: inference(r => delete r.inference.preset),
    field: 'inference.preset',
    rule: 'field.required',
  },
  {
    title: 'deprecated preset',
    request: inference(r => (r.inference.preset = 'phi-2')),
    field: 'inference.preset',
    rule: 'preset.deprecated',
  },
  {
    title: 'deprecated Falcon for tuning',
    request: tuning(r => (r.tuning.preset = 'falcon-7b')),
    field: 'tuning.preset',
    rule: 'preset.deprecated',
  },
  {
    title: 'preset that cannot be tuned',
    request: tuning(r => (r.tuning.preset = 'gpt-oss-20b')),
    field: 'tuning.preset',
    rule: 'preset.not-tunable',
  },
  {
    title: 'gated preset without secret',
    request: inference(r => {
      r.inference.preset = 'llama-3.1-8b-instruct';
      r.resource.instanceType = 'Standard_NC24ads_A100_v4';
    }),
    field: 'inference.modelAccessSecret',
    rule: 'preset.model-access-secret-required',
  },
  {
    title: 'invalid model access secret name',
    request: inference(r => (r.inference.modelAccessSecret = 'HF Token')),
    field: 'inference.modelAccessSecret',
    rule: 'k8s-name.dns-subdomain',
  },
  // tuning method and config
  {
    title: 'unknown tuning method',
    request: tuning(r => (r.tuning.method = 'dora')),
    field: 'tuning.method',
    rule: 'tuning.method.invalid',
  },
  {
    title: 'missing tuning method',
    request: tuning(r => delete r.tuning.method),
    field: 'tuning.method',
    rule: 'field.required',
  },
  {
    title: 'invalid tuning config name',
    request: tuning(r => (r.tuning.config = 'Training_Config')),
    field: 'tuning.config',
    rule: 'k8s-name.dns-subdomain',
  },
  // tuning input
  {
    title: 'missing input',
    request: tuning(r => delete r.tuning.input),
    field: 'tuning.input',
    rule: 'field.required',
  },
  {
    title: 'input with urls and image',
    request: tuning(r => (r.tuning.input.image = 'myacr.azurecr.io/data:v1')),
    field: 'tuning.input',
    rule: 'tuning.input.exactly-one',
  },
  {
    title: 'input with nothing',
    request: tuning(r => (r.tuning.input = {})),
    field: 'tuning.input',
    rule: 'tuning.input.exactly-one',
  },
  {
    title: 'empty url list',
    request: tuning(r => (r.tuning.input.urls = [])),
    field: 'tuning.input.urls',
    rule: 'tuning.input.urls-empty',
  },
  {
    title: 'unparseable url',
    request: withUrl('not a url'),
    field: 'tuning.input.urls[0]',
    rule: 'url.invalid',
  },
  {
    title: 'ftp url',
    request: withUrl('ftp://example.com/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.scheme',
  },
  {
    title: 'file url',
    request: withUrl('file:///etc/passwd'),
    field: 'tuning.input.urls[0]',
    rule: 'url.scheme',
  },
  {
    title: 'localhost',
    request: withUrl('http://localhost:8080/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.localhost',
  },
  {
    title: 'sub.localhost',
    request: withUrl('http://data.localhost/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.localhost',
  },
  {
    title: 'loopback IPv4',
    request: withUrl('http://127.0.0.1/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.localhost',
  },
  {
    title: 'loopback in decimal',
    request: withUrl('http://2130706433/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.localhost',
  },
  {
    title: 'unspecified address',
    request: withUrl('http://0.0.0.0/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.localhost',
  },
  {
    title: 'loopback IPv6',
    request: withUrl('http://[::1]/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.localhost',
  },
  {
    title: '10/8',
    request: withUrl('http://10.0.0.5/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.private-host',
  },
  {
    title: '172.16/12',
    request: withUrl('https://172.20.1.1/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.private-host',
  },
  {
    title: '192.168/16',
    request: withUrl('http://192.168.1.10/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.private-host',
  },
  {
    title: 'shared address space',
    request: withUrl('http://100.64.0.1/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.private-host',
  },
  {
    title: 'IPv6 unique local',
    request: withUrl('http://[fd12:3456::1]/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.private-host',
  },
  {
    title: 'IPv4-mapped private IPv6',
    request: withUrl('http://[::ffff:10.0.0.1]/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.private-host',
  },
  {
    title: 'cluster service name',
    request: withUrl('http://datasets.ml.svc.cluster.local/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.private-host',
  },
  {
    title: 'single-label host',
    request: withUrl('http://datasets/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.private-host',
  },
  {
    title: 'link-local IPv4',
    request: withUrl('http://169.254.10.1/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.link-local',
  },
  {
    title: 'link-local IPv6',
    request: withUrl('http://[fe80::1]/train.jsonl'),
    field: 'tuning.input.urls[0]',
    rule: 'url.link-local',
  },
  {
    title: 'Azure IMDS',
    request: withUrl('http://169.254.169.254/metadata/instance'),
    field: 'tuning.input.urls[0]',
    rule: 'url.metadata-host',
  },
  {
    title: 'Azure WireServer',
    request: withUrl('http://168.63.129.16/machine'),
    field: 'tuning.input.urls[0]',
    rule: 'url.metadata-host',
  },
  {
    title: 'GCP metadata name',
    request: withUrl('http://metadata.google.internal/computeMetadata/v1/'),
    field: 'tuning.input.urls[0]',
    rule: 'url.metadata-host',
  },
  {
    title: 'AWS IMDS IPv6',
    request: withUrl('http://[fd00:ec2::254]/latest/'),
    field: 'tuning.input.urls[0]',
    rule: 'url.metadata-host',
  },
  {
    title: 'second url is checked too',
    request: tuning(r => r.tuning.input.urls.push('http://10.1.1.1/b.jsonl')),
    field: 'tuning.input.urls[1]',
    rule: 'url.private-host',
  },
  {
    title: 'invalid input image',
    request: tuning(r => (r.tuning.input = { image: 'My Image!' })),
    field: 'tuning.input.image',
    rule: 'image.invalid',
  },
  {
    title: 'invalid input pull secret',
    request: tuning(
      r =>
        (r.tuning.input = {
          image: 'myacr.azurecr.io/data:v1',
          imagePullSecrets: ['Bad_Secret'],
        }),
    ),
    field: 'tuning.input.imagePullSecrets[0]',
    rule: 'k8s-name.dns-subdomain',
  },
  {
    title: 'hostPath volume',
    request: tuning(
      r => (r.tuning.input = { volume: { hostPath: { path: '/' } } }),
    ),
    field: 'tuning.input.volume',
    rule: 'volume.unsupported',
  },
  {
    title: 'invalid claim name',
    request: tuning(
      r =>
        (r.tuning.input = {
          volume: { persistentVolumeClaim: { claimName: 'Data_Set' } },
        }),
    ),
    field: 'tuning.input.volume.persistentVolumeClaim.claimName',
    rule: 'k8s-name.dns-subdomain',
  },
  // tuning output
  {
    title: 'missing output',
    request: tuning(r => delete r.tuning.output),
    field: 'tuning.output',
    rule: 'field.required',
  },
  {
    title: 'output image and volume',
    request: tuning(
      r =>
        (r.tuning.output.volume = {
          persistentVolumeClaim: { claimName: 'results' },
        }),
    ),
    field: 'tuning.output',
    rule: 'tuning.output.exactly-one',
  },
  {
    title: 'output with nothing',
    request: tuning(r => (r.tuning.output = {})),
    field: 'tuning.output',
    rule: 'tuning.output.exactly-one',
  },
  {
    title: 'output image without push secret',
    request: tuning(r => delete r.tuning.output.imagePushSecret),
    field: 'tuning.output.imagePushSecret',
    rule: 'tuning.output.image-push-secret-required',
  },
  {
    title: 'push secret with a volume output',
    request: tuning(
      r =>
        (r.tuning.output = {
          imagePushSecret: 'acr-push',
          volume: { persistentVolumeClaim: { claimName: 'results' } },
        }),
    ),
    field: 'tuning.output.imagePushSecret',
    rule: 'tuning.output.push-secret-without-image',
  },
  {
    title: 'invalid output image',
    request: tuning(r => (r.tuning.output.image = 'UPPER/case')),
    field: 'tuning.output.image',
    rule: 'image.invalid',
  },
  // inference
  {
    title: 'unknown runtime',
    request: inference(r => (r.inference.runtime = 'tgi')),
    field: 'inference.runtime',
    rule: 'inference.runtime.invalid',
  },
  {
    title: 'transformers for a vLLM-only preset',
    request: inference(r => {
      r.inference.preset = 'phi-4-mini-instruct';
      r.inference.runtime = 'transformers';
    }),
    field: 'inference.runtime',
    rule: 'inference.runtime.unsupported',
  },
  {
    // supported_models.yaml says tfs, v0.12's code finds no transformers
    // parameters under the name `mistral-large-3-675b-instruct-2512`
    title: 'transformers for mistral-large-3 (no transformers parameters in v0.12)',
    request: inference(r => {
      r.inference.preset = 'mistral-large-3-675b-instruct';
      r.inference.runtime = 'transformers';
    }),
    field: 'inference.runtime',
    rule: 'inference.runtime.unsupported',
  },
  {
    title: 'transformers on two nodes',
    request: inference(r => {
      r.inference.runtime = 'transformers';
      r.resource.count = 2;
    }),
    field: 'resource.count',
    rule: 'inference.transformers.single-node',
  },
  {
    title: 'invalid inference config name',
    request: inference(r => (r.inference.config = 'vllm config')),
    field: 'inference.config',
    rule: 'k8s-name.dns-subdomain',
  },
  {
    title: 'eleven adapters',
    request: inference(
      r =>
        (r.inference.adapters = Array.from({ length: 11 }, (_, i) => ({
          name: `a${i}`,
          image: `myacr.azurecr.io/a${i}:v1`,
        }))),
    ),
    field: 'inference.adapters',
    rule: 'adapter.max',
  },
  {
    title: 'adapter name not a subdomain',
    request: inference(r => (r.inference.adapters[0].name = 'Bot_Adapter')),
    field: 'inference.adapters[0].name',
    rule: 'adapter.name.dns-subdomain',
  },
  {
    title: 'duplicate adapter names',
    request: inference(r =>
      r.inference.adapters.push({
        name: 'bot-adapter',
        image: 'myacr.azurecr.io/b:v1',
      }),
    ),
    field: 'inference.adapters[1].name',
    rule: 'adapter.name.duplicate',
  },
  {
    title: 'adapter with image and volume',
    request: inference(
      r =>
        (r.inference.adapters[0].volume = {
          persistentVolumeClaim: { claimName: 'adapters' },
        }),
    ),
    field: 'inference.adapters[0]',
    rule: 'adapter.source.exactly-one',
  },
  {
    title: 'adapter without source',
    request: inference(r => (r.inference.adapters = [{ name: 'bot-adapter' }])),
    field: 'inference.adapters[0]',
    rule: 'adapter.source.exactly-one',
  },
  {
    title: 'adapter from URLs',
    request: inference(
      r =>
        (r.inference.adapters[0].urls = ['https://example.com/a.safetensors']),
    ),
    field: 'inference.adapters[0].urls',
    rule: 'adapter.source.urls-not-allowed',
  },
  {
    title: 'adapter strength above 1',
    request: inference(r => {
      r.inference.runtime = 'transformers';
      r.inference.adapters[0].strength = '1.5';
    }),
    field: 'inference.adapters[0].strength',
    rule: 'adapter.strength.range',
  },
  {
    title: 'negative adapter strength',
    request: inference(r => {
      r.inference.runtime = 'transformers';
      r.inference.adapters[0].strength = '-0.1';
    }),
    field: 'inference.adapters[0].strength',
    rule: 'adapter.strength.range',
  },
  {
    title: 'numeric adapter strength',
    request: inference(r => {
      r.inference.runtime = 'transformers';
      r.inference.adapters[0].strength = 0.5;
    }),
    field: 'inference.adapters[0].strength',
    rule: 'field.type',
  },
  {
    title: 'adapter strength with the default runtime (vLLM)',
    request: inference(r => (r.inference.adapters[0].strength = '0.8')),
    field: 'inference.adapters[0].strength',
    rule: 'adapter.strength.vllm',
  },
  {
    title: 'adapter strength with runtime vllm',
    request: inference(r => {
      r.inference.runtime = 'vllm';
      r.inference.adapters[0].strength = '0.8';
    }),
    field: 'inference.adapters[0].strength',
    rule: 'adapter.strength.vllm',
  },
  // GPU memory fit
  {
    title: 'phi-4 on one A10 (would need 2 nodes, not distributable)',
    request: inference(r => {
      r.inference.preset = 'phi-4';
      r.inference.adapters = [];
    }),
    field: 'resource.instanceType',
    rule: 'resource.gpu-memory',
  },
  {
    title: 'lora phi-3-mini on 2x A10 (KAITO hint 72 GiB)',
    request: tuning(r => {
      r.tuning.method = 'lora';
      r.resource.instanceType = 'Standard_NV72ads_A10_v5';
    }),
    field: 'resource.instanceType',
    rule: 'resource.gpu-memory',
  },
  {
    title: 'lora qwen2.5-coder-32b on 40 GB A100s',
    request: tuning(r => {
      r.tuning.preset = 'qwen2.5-coder-32b-instruct';
      r.tuning.method = 'lora';
      r.resource.instanceType = 'Standard_ND96asr_A100_v4';
    }),
    field: 'resource.instanceType',
    rule: 'resource.gpu-memory',
  },
  {
    title: 'transformers phi-4 on one A10',
    request: inference(r => {
      r.inference.preset = 'phi-4';
      r.inference.runtime = 'transformers';
      r.inference.adapters = [];
    }),
    field: 'resource.instanceType',
    rule: 'resource.gpu-memory',
  },
];

describe('validateCreateWorkspaceRequest', () => {
  it('accepts the valid tuning and inference requests', () => {
    expect(validateCreateWorkspaceRequest(tuningRequest)).toEqual([]);
    expect(validateCreateWorkspaceRequest(inferenceRequest)).toEqual([]);
  });

  it('accepts valid variants', () => {
    for (const request of [
      tuning(r => (r.tuning.method = 'LoRA')),
      tuning(r => (r.tuning.preset = 'microsoft/Phi-3-mini-128k-instruct')),
      tuning(
        r =>
          (r.tuning.input = {
            image: `myacr.azurecr.io/datasets/bot@sha256:${'a'.repeat(64)}`,
          }),
      ),
      tuning(
        r =>
          (r.tuning.input = {
            volume: { persistentVolumeClaim: { claimName: 'datasets' } },
          }),
      ),
      tuning(
        r =>
          (r.tuning.output = {
            volume: { persistentVolumeClaim: { claimName: 'results' } },
          }),
      ),
      tuning(r => (r.resource.count = 1)),
      tuning(
        r =>
          (r.tuning.input.urls = [
            'https://8.8.8.8/data.json',
            'http://[2001:db8::1]/d.json',
          ]),
      ),
      inference(r => {
        r.inference.runtime = 'transformers';
        r.inference.adapters[0].strength = '1';
      }),
      inference(r => {
        r.inference.runtime = 'transformers';
        r.inference.adapters[0].strength = '0.8';
      }),
      inference(r => {
        r.inference.runtime = 'transformers';
        r.inference.adapters[0].strength = '0';
      }),
      inference(r => {
        r.inference.preset = 'llama-3.1-8b-instruct';
        r.inference.modelAccessSecret = 'hf-token';
        r.resource.instanceType = 'Standard_NC24ads_A100_v4';
      }),
      inference(r => {
        r.inference.preset = 'llama-3.3-70b-instruct';
        r.inference.modelAccessSecret = 'hf-token';
        r.resource.instanceType = 'Standard_NC24ads_A100_v4';
      }),
      inference(r => {
        delete r.resource.instanceType;
        r.resource.labelSelector = { apps: 'gpu' };
      }),
    ]) {
      expect(validateCreateWorkspaceRequest(request)).toEqual([]);
    }
    expect(
      validateCreateWorkspaceRequest(
        inference(r => {
          delete r.resource.instanceType;
          r.resource.labelSelector = { apps: 'gpu' };
        }),
        { nodeProvisioning: 'byo' },
      ),
    ).toEqual([]);
  });

  it.each(rows.map(row => [row.title, row] as const))('%s', (_, row) => {
    const issues = validateCreateWorkspaceRequest(row.request, row.options);
    const issue = issues.find(
      i => i.field === row.field && i.rule === row.rule,
    );
    expect(issue).toBeDefined();
    expect(issue!.message).toContain(row.rule);
    expect(issue!.message.startsWith(row.field || 'request')).toBe(true);
    expect(Object.keys(validationRules)).toContain(row.rule);
  });

  it('explains the GPU memory shortfall in the message', () => {
    const issues = validateCreateWorkspaceRequest(
      tuning(r => {
        r.tuning.method = 'lora';
        r.resource.instanceType = 'Standard_NV72ads_A10_v5';
      }),
    );
    expect(issues).toEqual([
      {
        field: 'resource.instanceType',
        rule: 'resource.gpu-memory',
        message:
          'resource.instanceType: lora tuning of phi-3-mini-128k-instruct needs 72 GiB of GPU memory on one node; Standard_NV72ads_A10_v5 has 48 GiB; the cheapest SKU that fits is Standard_NC24ads_A100_v4 ($3.67/h) [resource.gpu-memory]',
      },
    ]);
  });

  it('refuses the V100 SKU KAITO admits and fails at reconcile, naming it, why, and the cheapest SKU that fits', () => {
    // KAITO v0.12's webhook admits Standard_NC6s_v3 (N-series names pass)
    // and its controller then fails: "Unsupported SKU 'Standard_NC6s_v3'
    // for cloud provider". The suite refuses it before anything is created.
    const issues = validateCreateWorkspaceRequest(
      inference(r => {
        r.inference.preset = 'phi-4-mini-instruct';
        r.inference.adapters = [];
        r.resource.instanceType = 'Standard_NC6s_v3';
      }),
    );
    expect(issues).toEqual([
      {
        field: 'resource.instanceType',
        rule: 'resource.instance-type.unknown',
        message: expect.stringMatching(
          /^resource\.instanceType: "Standard_NC6s_v3" is not in KAITO v0\.12's SKU table \(KAITO's webhook lets an N- or D-series name through, then its controller fails with "Unsupported SKU 'Standard_NC6s_v3' for cloud provider"\); the cheapest SKU that fits is Standard_\w+ \(\$[\d.]+\/h\) \[resource\.instance-type\.unknown\]$/,
        ),
      },
    ]);
  });

  it('offers a single-node SKU when the transformers runtime cannot span nodes', () => {
    const [issue] = validateCreateWorkspaceRequest(
      inference(r => {
        r.inference.preset = 'phi-4';
        r.inference.runtime = 'transformers';
        r.inference.adapters = [];
        r.resource.instanceType = 'Standard_NC6s_v3';
      }),
    );
    expect(issue.rule).toBe('resource.instance-type.unknown');
    expect(issue.message).not.toMatch(/ on \d+ nodes/);
    expect(issue.message).toContain('the cheapest SKU that fits is');
  });

  it('names the node count and total price when the cheapest fit takes several nodes', () => {
    const [issue] = validateCreateWorkspaceRequest(
      inference(r => {
        r.inference.preset = 'llama-3.3-70b-instruct';
        r.inference.modelAccessSecret = 'hf-token';
        r.inference.adapters = [];
        r.resource.instanceType = 'Standard_NC6s_v3';
      }),
    );
    expect(issue.message).toMatch(
      /; the cheapest SKU that fits is Standard_\w+ on \d+ nodes \(\$\d+\.\d\d\/h\) \[resource\.instance-type\.unknown\]$/,
    );
  });

  it('reports every problem at once', () => {
    const issues = validateCreateWorkspaceRequest(
      tuning(r => {
        r.name = 'Bad_Name';
        r.tuning.input.urls = ['http://localhost/a', 'http://10.0.0.1/b'];
        delete r.tuning.output.imagePushSecret;
      }),
    );
    expect(issues.map(i => `${i.field} ${i.rule}`)).toEqual([
      'name name.dns-label',
      'tuning.input.urls[0] url.localhost',
      'tuning.input.urls[1] url.private-host',
      'tuning.output.imagePushSecret tuning.output.image-push-secret-required',
    ]);
  });

  it('does not repeat a node-count problem as a GPU fit problem', () => {
    const issues = validateCreateWorkspaceRequest(
      inference(r => {
        r.inference.runtime = 'transformers';
        r.resource.count = 2;
      }),
    );
    expect(issues.map(i => i.rule)).toEqual([
      'inference.transformers.single-node',
    ]);
  });

  it('has a test row for every workspace rule', () => {
    const covered = new Set(rows.map(r => r.rule));
    const workspaceRules = Object.keys(validationRules).filter(
      rule =>
        !rule.startsWith('gpupool.') &&
        rule !== 'tuning.method.unsupported' &&
        // Structural rules the workspace schema cannot break (it has no
        // bounded numbers or enums; the chat and query schemas do).
        !['field.range', 'field.enum', 'field.invalid', 'query.unknown'].includes(rule),
    );
    expect(workspaceRules.filter(rule => !covered.has(rule))).toEqual([]);
  });
});

describe('assertValidCreateWorkspaceRequest', () => {
  it('passes a valid request', () => {
    expect(() =>
      assertValidCreateWorkspaceRequest(tuningRequest),
    ).not.toThrow();
  });

  it('throws a KaitoValidationError listing the issues', () => {
    let error: unknown;
    try {
      assertValidCreateWorkspaceRequest(
        tuning(r => (r.tuning.method = 'dora')),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KaitoValidationError);
    const validationError = error as KaitoValidationError;
    expect(validationError.name).toBe('KaitoValidationError');
    expect(validationError.statusCode).toBe(400);
    expect(validationError.issues).toEqual([
      expect.objectContaining({
        field: 'tuning.method',
        rule: 'tuning.method.invalid',
      }),
    ]);
    expect(validationError.message).toBe(
      'Invalid workspace request: 1 problem\n- tuning.method: "dora" must be lora or qlora [tuning.method.invalid]',
    );
  });
});
