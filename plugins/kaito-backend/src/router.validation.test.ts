import {
  findGpuSku,
  kaitoPresets,
  skuFits,
} from '@kaito-backstage/plugin-kaito-common';
import { RunningSimulator } from '@kaito-backstage/simulator';
import request from 'supertest';
import {
  eventually,
  simulatorConfig,
  startKaitoBackend,
  startTeamSimulator,
  TEAM_NAMESPACE,
} from './__testUtils__/simulatorBackend';

jest.setTimeout(120_000);

const BASE = '/api/kaito';

const inference = () => ({
  entityRef: 'component:default/chatbot',
  cluster: 'sim',
  namespace: TEAM_NAMESPACE,
  name: 'bad-input',
  resource: { instanceType: 'Standard_NC24ads_A100_v4' } as Record<string, unknown>,
  inference: { preset: 'phi-4-mini-instruct' } as Record<string, unknown>,
});

const tuning = () => ({
  entityRef: 'component:default/chatbot',
  cluster: 'sim',
  namespace: TEAM_NAMESPACE,
  name: 'bad-input',
  resource: { instanceType: 'Standard_NC24ads_A100_v4' } as Record<string, unknown>,
  tuning: {
    preset: 'phi-4-mini-instruct',
    method: 'qlora',
    input: { urls: ['https://example.com/data.jsonl'] } as Record<string, unknown>,
    output: {
      image: 'registry.example.com/adapters/x:v1',
      imagePushSecret: 'push',
    } as Record<string, unknown>,
  } as Record<string, any>,
});

function withInference(patch: Record<string, unknown>) {
  const r = inference();
  r.inference = { ...r.inference, ...patch };
  return r;
}
function withTuning(patch: Record<string, unknown>) {
  const r = tuning();
  r.tuning = { ...r.tuning, ...patch };
  return r;
}
function withResource(base: ReturnType<typeof inference | typeof tuning>, patch: Record<string, unknown>) {
  return { ...base, resource: { ...base.resource, ...patch } };
}

const deprecated = kaitoPresets.find(p => p.deprecated)!;
const notTunable = kaitoPresets.find(p => !p.tunable && !p.deprecated)!;
const gated = kaitoPresets.find(p => p.downloadAuthRequired && !p.deprecated)!;
const vllmOnly = kaitoPresets.find(
  p => !p.deprecated && !p.runtimes.includes('transformers'),
)!;
const transformersCapable = kaitoPresets.find(
  p => !p.deprecated && !p.downloadAuthRequired && p.runtimes.includes('transformers'),
)!;
const a10 = findGpuSku('Standard_NV36ads_A10_v5')!;
const tooBig = kaitoPresets.find(
  p => !p.deprecated && !skuFits(p, a10, 'inference').fits,
)!;
const adapter = (name: string) => ({ name, image: `registry.example.com/a/${name}:v1` });

/** [description, request body, field, rule] */
const WORKSPACE_CASES: Array<[string, unknown, string, string]> = [
  ['a body that is not an object', [], '', 'request.type'],
  ['no cluster', { ...inference(), cluster: undefined }, 'cluster', 'field.required'],
  ['dryRun not a boolean', { ...inference(), dryRun: 'yes' }, 'dryRun', 'field.type'],
  ['a malformed entity ref', { ...inference(), entityRef: 'not a ref' }, 'entityRef', 'entity-ref.invalid'],
  ['a namespace that is not a DNS label', { ...inference(), namespace: 'ML_Team' }, 'namespace', 'namespace.dns-label'],
  ['a name that is not a DNS label', { ...inference(), name: 'Serve_Phi' }, 'name', 'name.dns-label'],
  ['a config map name that is not a DNS subdomain', withInference({ config: 'Bad Config' }), 'inference.config', 'k8s-name.dns-subdomain'],
  ['an invalid output image', withTuning({ output: { image: 'not an image!', imagePushSecret: 'push' } }), 'tuning.output.image', 'image.invalid'],
  ['both tuning and inference', { ...tuning(), inference: { preset: 'phi-4-mini-instruct' } }, 'tuning', 'workspace.exactly-one-of'],
  ['neither tuning nor inference', { ...inference(), inference: undefined }, 'inference', 'workspace.exactly-one-of'],
  ['an unknown preset', withInference({ preset: 'gpt-5' }), 'inference.preset', 'preset.unknown'],
  ['a deprecated preset', withInference({ preset: deprecated.name }), 'inference.preset', 'preset.deprecated'],
  ['a preset that cannot be tuned', withTuning({ preset: notTunable.name }), 'tuning.preset', 'preset.not-tunable'],
  ['a gated preset without a model access secret', withInference({ preset: gated.name }), 'inference.modelAccessSecret', 'preset.model-access-secret-required'],
  ['an unknown tuning method', withTuning({ method: 'full' }), 'tuning.method', 'tuning.method.invalid'],
  ['tuning input with two sources', withTuning({ input: { urls: ['https://example.com/a'], image: 'registry.example.com/d:v1' } }), 'tuning.input', 'tuning.input.exactly-one'],
  ['empty tuning urls', withTuning({ input: { urls: [] } }), 'tuning.input.urls', 'tuning.input.urls-empty'],
  ['a tuning url that is not a url', withTuning({ input: { urls: ['not a url'] } }), 'tuning.input.urls[0]', 'url.invalid'],
  ['an ftp tuning url', withTuning({ input: { urls: ['ftp://example.com/d'] } }), 'tuning.input.urls[0]', 'url.scheme'],
  ['a localhost tuning url', withTuning({ input: { urls: ['http://localhost/d'] } }), 'tuning.input.urls[0]', 'url.localhost'],
  ['a private tuning url', withTuning({ input: { urls: ['http://10.1.2.3/d'] } }), 'tuning.input.urls[0]', 'url.private-host'],
  ['a link-local tuning url', withTuning({ input: { urls: ['http://169.254.10.10/d'] } }), 'tuning.input.urls[0]', 'url.link-local'],
  ['a cloud metadata tuning url', withTuning({ input: { urls: ['http://169.254.169.254/metadata'] } }), 'tuning.input.urls[0]', 'url.metadata-host'],
  ['a volume that is not a PVC', withTuning({ input: { volume: { hostPath: { path: '/data' } } } }), 'tuning.input.volume', 'volume.unsupported'],
  ['tuning output with no destination', withTuning({ output: {} }), 'tuning.output', 'tuning.output.exactly-one'],
  ['an output image without a push secret', withTuning({ output: { image: 'registry.example.com/a:v1' } }), 'tuning.output.imagePushSecret', 'tuning.output.image-push-secret-required'],
  ['a push secret without an output image', withTuning({ output: { volume: { persistentVolumeClaim: { claimName: 'out' } }, imagePushSecret: 'push' } }), 'tuning.output.imagePushSecret', 'tuning.output.push-secret-without-image'],
  ['an unknown runtime', withInference({ runtime: 'tgi' }), 'inference.runtime', 'inference.runtime.invalid'],
  ['a runtime the preset does not support', withInference({ preset: vllmOnly.name, runtime: 'transformers', ...(vllmOnly.downloadAuthRequired ? { modelAccessSecret: 'hf' } : {}) }), 'inference.runtime', 'inference.runtime.unsupported'],
  ['the transformers runtime on two nodes', withResource(withInference({ preset: transformersCapable.name, runtime: 'transformers' }), { count: 2 }), 'resource.count', 'inference.transformers.single-node'],
  ['eleven adapters', withInference({ adapters: Array.from({ length: 11 }, (_, i) => adapter(`a${i}`)) }), 'inference.adapters', 'adapter.max'],
  ['an adapter name that is not a DNS subdomain', withInference({ adapters: [adapter('Bad_Name')] }), 'inference.adapters[0].name', 'adapter.name.dns-subdomain'],
  ['two adapters with one name', withInference({ adapters: [adapter('same'), adapter('same')] }), 'inference.adapters[1].name', 'adapter.name.duplicate'],
  ['an adapter without a source', withInference({ adapters: [{ name: 'a' }] }), 'inference.adapters[0]', 'adapter.source.exactly-one'],
  ['an adapter from urls', withInference({ adapters: [{ name: 'a', urls: ['https://example.com/a'] }] }), 'inference.adapters[0].urls', 'adapter.source.urls-not-allowed'],
  ['an adapter strength above 1', withInference({ adapters: [{ ...adapter('a'), strength: '1.5' }] }), 'inference.adapters[0].strength', 'adapter.strength.range'],
  ['an adapter strength with the vLLM runtime', withInference({ adapters: [{ ...adapter('a'), strength: '0.5' }] }), 'inference.adapters[0].strength', 'adapter.strength.vllm'],
  ['an instance type KAITO does not know', withResource(inference(), { instanceType: 'Standard_D4s_v3' }), 'resource.instanceType', 'resource.instance-type.unknown'],
  ['tuning without an instance type', withResource(tuning(), { instanceType: undefined }), 'resource.instanceType', 'resource.instance-type.required'],
  ['an instance type on a BYO cluster', { ...inference(), cluster: 'sim-byo', resource: { instanceType: 'Standard_NC24ads_A100_v4', labelSelector: { apps: 'gpu' } } }, 'resource.instanceType', 'resource.instance-type.byo'],
  ['a BYO workspace without a label selector', { ...inference(), cluster: 'sim-byo', resource: {} }, 'resource.labelSelector', 'resource.label-selector.required'],
  ['a node count of zero', withResource(inference(), { count: 0 }), 'resource.count', 'resource.count.invalid'],
  ['tuning on two nodes', withResource(tuning(), { count: 2 }), 'resource.count', 'tuning.count.max-one'],
  ['an invalid label key', withResource(inference(), { labelSelector: { 'bad key!': 'x' } }), 'resource.labelSelector["bad key!"]', 'label.key-invalid'],
  ['an invalid label value', withResource(inference(), { labelSelector: { app: 'bad value!' } }), 'resource.labelSelector["app"]', 'label.value-invalid'],
  ['a reserved label key', withResource(inference(), { labelSelector: { 'kaito.sh/workspace': 'x' } }), 'resource.labelSelector["kaito.sh/workspace"]', 'label.reserved-key'],
  ['a SKU with too little GPU memory', withResource(withInference({ preset: tooBig.name, ...(tooBig.downloadAuthRequired ? { modelAccessSecret: 'hf' } : {}) }), { instanceType: a10.name }), 'resource.instanceType', 'resource.gpu-memory'],
  // Rules of the backend itself (they need the catalog or the config).
  ['an unknown cluster', { ...inference(), cluster: 'nope' }, 'cluster', 'cluster.unknown'],
  // Strict structure (kaito-common's schemas).
  ['an unknown field', { ...inference(), dryrun: true }, 'dryrun', 'field.unknown'],
  ['a resource that is not an object', { ...inference(), resource: 'big' }, 'resource', 'field.type'],
];

/** Refusals that are not 400s: [description, body, status, field, rule]. */
const POLICY_CASES: Array<[string, unknown, number, string, string]> = [
  ['an entity that is not in the catalog', { ...inference(), entityRef: 'component:default/ghost' }, 404, 'entityRef', 'entity.not-found'],
  ['a namespace other than the entity\u2019s', { ...inference(), entityRef: 'component:default/search' }, 403, 'namespace', 'namespace.entity-namespace'],
  ['a system namespace', { ...inference(), namespace: 'kube-system' }, 403, 'namespace', 'namespace.protected'],
  ['a namespace that does not exist', { ...inference(), namespace: 'no-such-team' }, 400, 'namespace', 'namespace.not-found'],
];

const POOL = () => ({
  name: 'gpu1',
  vmSize: 'Standard_NC24ads_A100_v4',
  count: 1,
});

const POOL_CASES: Array<[string, unknown, string, string]> = [
  ['no VM size', { ...POOL(), vmSize: undefined }, 'vmSize', 'field.required'],
  ['a pool name AKS rejects', { ...POOL(), name: 'GPU_1' }, 'name', 'gpupool.name.format'],
  ['a VM size that is not a KAITO GPU', { ...POOL(), vmSize: 'Standard_D4s_v3' }, 'vmSize', 'gpupool.vm-size.unknown'],
  ['too many nodes', { ...POOL(), count: 1001 }, 'count', 'gpupool.count.range'],
  ['minCount without maxCount', { ...POOL(), minCount: 0 }, 'maxCount', 'gpupool.autoscale.incomplete'],
  ['minCount above maxCount', { ...POOL(), minCount: 3, maxCount: 1 }, 'minCount', 'gpupool.autoscale.min-max'],
  ['a count outside the autoscaler range', { ...POOL(), count: 5, minCount: 0, maxCount: 2 }, 'count', 'gpupool.count.outside-autoscale-range'],
  ['a Spot price without Spot', { ...POOL(), spotMaxPrice: 1 }, 'spotMaxPrice', 'gpupool.spot-max-price.without-spot'],
  ['an invalid Spot price', { ...POOL(), spot: true, spotMaxPrice: -2 }, 'spotMaxPrice', 'gpupool.spot-max-price.invalid'],
  ['a node label AKS reserves', { ...POOL(), nodeLabels: { 'kubernetes.azure.com/mode': 'x' } }, 'nodeLabels["kubernetes.azure.com/mode"]', 'label.reserved-key'],
  ['a malformed entity ref', { ...POOL(), entityRef: 'x y' }, 'entityRef', 'entity-ref.invalid'],
  ['a cluster other than the path', { ...POOL(), cluster: 'other' }, 'cluster', 'cluster.mismatch'],
];

describe('input validation (nothing reaches the cluster)', () => {
  let sim: RunningSimulator;
  let backend: Awaited<ReturnType<typeof startKaitoBackend>>;

  beforeAll(async () => {
    sim = await startTeamSimulator({ timeScale: 100, seed: 'none' });
    const config: any = simulatorConfig(sim);
    // The same simulator, declared a second time as a BYO cluster.
    config.kubernetes.clusterLocatorMethods[0].clusters.push({
      ...config.kubernetes.clusterLocatorMethods[0].clusters[0],
      name: 'sim-byo',
    });
    config.kaito.clusters['sim-byo'] = { nodeProvisioning: 'byo' };
    backend = await startKaitoBackend({ config });
    await eventually(async () => {
      const res = await request(backend.server).get(`${BASE}/clusters`);
      return res.body.items.every((c: any) => c.health.state === 'healthy');
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  it('covers every workspace rule kaito-common defines', () => {
    const { validationRules } = jest.requireActual('@kaito-backstage/plugin-kaito-common');
    const covered = new Set([...WORKSPACE_CASES, ...POOL_CASES].map(c => c[3]));
    const uncovered = Object.keys(validationRules).filter(
      rule =>
        !covered.has(rule) &&
        // Rules that need input our JSON API cannot express, or that are
        // only reachable through another rule's failure:
        !['tuning.method.unsupported', 'gpupool.update.empty'].includes(rule) &&
        // Bounded numbers, enums and query parameters are in the chat and
        // query schemas (router.strict.test.ts); no schema of the suite
        // yields zod's other issue kinds (field.invalid is the fallback).
        !['field.range', 'field.enum', 'query.unknown', 'field.invalid'].includes(rule),
    );
    expect(uncovered).toEqual([]);
  });

  it.each(WORKSPACE_CASES.map(([description, body, field, rule]) => ({ description, body, field, rule })))(
    'POST /workspaces rejects $description ($field, $rule)',
    async ({ body, field, rule }) => {
      const res = await request(backend.server).post(`${BASE}/workspaces`).send(body as object);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(`[${rule}]`);
      expect(res.body.error.message).toContain(field ? `${field}:` : 'request:');
    },
  );

  it.each(POLICY_CASES.map(([description, body, status, field, rule]) => ({ description, body, status, field, rule })))(
    'POST /workspaces refuses $description with $status ($field, $rule)',
    async ({ body, status, field, rule }) => {
      const res = await request(backend.server).post(`${BASE}/workspaces`).send(body as object);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toContain(`[${rule}]`);
      expect(res.body.error.message.startsWith(`${field}:`)).toBe(true);
    },
  );

  it.each(POOL_CASES.map(([description, body, field, rule]) => ({ description, body, field, rule })))(
    'POST /clusters/sim/gpu-pools rejects $description ($field, $rule)',
    async ({ body, field, rule }) => {
      const res = await request(backend.server)
        .post(`${BASE}/clusters/sim/gpu-pools`)
        .send(body as object);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(`[${rule}]`);
      expect(res.body.error.message).toContain(`${field}:`);
    },
  );

  it('PATCH rejects an update that changes nothing', async () => {
    const res = await request(backend.server)
      .patch(`${BASE}/clusters/sim/gpu-pools/gpu1`)
      .send({});
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('[gpupool.update.empty]');
  });

  it('created nothing in the cluster or in Azure', async () => {
    // Listed through the simulator itself, not through the backend.
    const workspaces = sim.store.list({ group: 'kaito.sh', plural: 'workspaces' });
    expect(workspaces.items).toEqual([]);
    expect(sim.arm.listAgentPools().map(p => p.name)).not.toContain('gpu1');
    expect(
      sim.arm.listAgentPools().filter(p => p.properties.mode !== 'System'),
    ).toEqual([]);
  });
});
