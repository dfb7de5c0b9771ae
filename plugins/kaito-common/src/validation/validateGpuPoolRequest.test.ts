import { KaitoValidationError } from './issues';
import { CreateGpuPoolRequest, UpdateGpuPoolRequest } from './requests';
import { validationRules } from './rules';
import {
  assertValidCreateGpuPoolRequest,
  assertValidUpdateGpuPoolRequest,
  validateCreateGpuPoolRequest,
  validateEnsureGpuPoolRequest,
  validateUpdateGpuPoolRequest,
} from './validateGpuPoolRequest';

const poolRequest: CreateGpuPoolRequest = {
  cluster: 'aks-dev',
  name: 'gpua100',
  vmSize: 'Standard_NC24ads_A100_v4',
  count: 1,
  minCount: 0,
  maxCount: 2,
  entityRef: 'component:default/support-bot',
  workspace: { namespace: 'ml', name: 'bot-tune' },
  nodeLabels: { apps: 'gpu' },
};

function pool(patch: (req: any) => void): CreateGpuPoolRequest {
  const req = structuredClone(poolRequest);
  patch(req);
  return req;
}

const rows: Array<[string, CreateGpuPoolRequest, string, string]> = [
  ['non-object request', null as any, '', 'request.type'],
  ['missing cluster', pool(r => delete r.cluster), 'cluster', 'field.required'],
  ['missing name', pool(r => delete r.name), 'name', 'field.required'],
  [
    'uppercase name',
    pool(r => (r.name = 'GpuPool')),
    'name',
    'gpupool.name.format',
  ],
  [
    'name with dash',
    pool(r => (r.name = 'gpu-pool')),
    'name',
    'gpupool.name.format',
  ],
  [
    'name starting with a digit',
    pool(r => (r.name = '1gpu')),
    'name',
    'gpupool.name.format',
  ],
  [
    'name of 13 characters',
    pool(r => (r.name = 'a123456789012')),
    'name',
    'gpupool.name.format',
  ],
  [
    'non-GPU VM size',
    pool(r => (r.vmSize = 'Standard_D4s_v5')),
    'vmSize',
    'gpupool.vm-size.unknown',
  ],
  [
    'T4 VM size',
    pool(r => (r.vmSize = 'Standard_NC4as_T4_v3')),
    'vmSize',
    'gpupool.vm-size.unknown',
  ],
  [
    'count above 1000',
    pool(r => {
      r.count = 1001;
      delete r.minCount;
      delete r.maxCount;
    }),
    'count',
    'gpupool.count.range',
  ],
  [
    'negative count',
    pool(r => {
      r.count = -1;
      delete r.minCount;
      delete r.maxCount;
    }),
    'count',
    'gpupool.count.range',
  ],
  [
    'maxCount 0',
    pool(r => {
      r.maxCount = 0;
      r.count = 0;
    }),
    'maxCount',
    'gpupool.count.range',
  ],
  [
    'minCount without maxCount',
    pool(r => delete r.maxCount),
    'maxCount',
    'gpupool.autoscale.incomplete',
  ],
  [
    'maxCount without minCount',
    pool(r => delete r.minCount),
    'minCount',
    'gpupool.autoscale.incomplete',
  ],
  [
    'minCount above maxCount',
    pool(r => {
      r.minCount = 3;
      r.maxCount = 2;
      r.count = 2;
    }),
    'minCount',
    'gpupool.autoscale.min-max',
  ],
  [
    'count above maxCount',
    pool(r => (r.count = 5)),
    'count',
    'gpupool.count.outside-autoscale-range',
  ],
  [
    'count below minCount',
    pool(r => {
      r.minCount = 1;
      r.count = 0;
    }),
    'count',
    'gpupool.count.outside-autoscale-range',
  ],
  ['spot not boolean', pool(r => (r.spot = 'yes')), 'spot', 'field.type'],
  [
    'spot price without spot',
    pool(r => (r.spotMaxPrice = 2.5)),
    'spotMaxPrice',
    'gpupool.spot-max-price.without-spot',
  ],
  [
    'spot price 0',
    pool(r => {
      r.spot = true;
      r.spotMaxPrice = 0;
    }),
    'spotMaxPrice',
    'gpupool.spot-max-price.invalid',
  ],
  [
    'reserved AKS label',
    pool(r => (r.nodeLabels = { 'kubernetes.azure.com/agentpool': 'x' })),
    'nodeLabels["kubernetes.azure.com/agentpool"]',
    'label.reserved-key',
  ],
  [
    'reserved KAITO label',
    pool(r => (r.nodeLabels = { 'kaito.sh/workspace': 'x' })),
    'nodeLabels["kaito.sh/workspace"]',
    'label.reserved-key',
  ],
  [
    'invalid label value',
    pool(r => (r.nodeLabels = { apps: 'a b' })),
    'nodeLabels["apps"]',
    'label.value-invalid',
  ],
  [
    'invalid entity ref',
    pool(r => (r.entityRef = 'support-bot')),
    'entityRef',
    'entity-ref.invalid',
  ],
  [
    'invalid workspace name',
    pool(r => (r.workspace.name = 'Bot')),
    'workspace.name',
    'name.dns-label',
  ],
  [
    'invalid workspace namespace',
    pool(r => (r.workspace.namespace = 'ml_team')),
    'workspace.namespace',
    'namespace.dns-label',
  ],
];

describe('validateCreateGpuPoolRequest', () => {
  it('accepts valid requests', () => {
    expect(validateCreateGpuPoolRequest(poolRequest)).toEqual([]);
    expect(
      validateCreateGpuPoolRequest({
        cluster: 'aks-dev',
        name: 'gpu',
        vmSize: 'standard_nv36ads_a10_v5',
      }),
    ).toEqual([]);
    expect(
      validateCreateGpuPoolRequest(
        pool(r => {
          r.vmSize = 'Standard_ND96asr_v4';
          r.spot = true;
          r.spotMaxPrice = -1;
        }),
      ),
    ).toEqual([]);
  });

  it.each(rows)('%s', (_, request, field, rule) => {
    const issues = validateCreateGpuPoolRequest(request);
    const issue = issues.find(i => i.field === field && i.rule === rule);
    expect(issue).toBeDefined();
    expect(issue!.message).toContain(`[${rule}]`);
    expect(Object.keys(validationRules)).toContain(rule);
  });

  it('throws from the assert variant', () => {
    expect(() =>
      assertValidCreateGpuPoolRequest(pool(r => (r.name = 'GPU'))),
    ).toThrow(KaitoValidationError);
    expect(() => assertValidCreateGpuPoolRequest(poolRequest)).not.toThrow();
  });
});

describe('validateUpdateGpuPoolRequest', () => {
  it.each<[string, UpdateGpuPoolRequest, string, string]>([
    ['empty update', {}, '', 'gpupool.update.empty'],
    ['count out of range', { count: 1001 }, 'count', 'gpupool.count.range'],
    [
      'incomplete autoscaler range',
      { minCount: 1 },
      'maxCount',
      'gpupool.autoscale.incomplete',
    ],
    [
      'count outside range',
      { count: 4, minCount: 0, maxCount: 3 },
      'count',
      'gpupool.count.outside-autoscale-range',
    ],
  ])('%s', (_, request, field, rule) => {
    expect(validateUpdateGpuPoolRequest(request)).toContainEqual(
      expect.objectContaining({ field, rule }),
    );
  });

  it('accepts a scale change', () => {
    expect(validateUpdateGpuPoolRequest({ count: 0 })).toEqual([]);
    expect(() =>
      assertValidUpdateGpuPoolRequest({ minCount: 0, maxCount: 3 }),
    ).not.toThrow();
    expect(() => assertValidUpdateGpuPoolRequest({})).toThrow(
      /gpupool.update.empty/,
    );
  });

  it('has a test row for every GPU pool rule', () => {
    const covered = new Set([...rows.map(r => r[3]), 'gpupool.update.empty']);
    expect(
      Object.keys(validationRules).filter(
        r => r.startsWith('gpupool.') && !covered.has(r),
      ),
    ).toEqual([]);
  });
});

describe('validateEnsureGpuPoolRequest', () => {
  const ensure = { cluster: 'c', vmSize: 'Standard_NC24ads_A100_v4' };

  it('takes the create rules without a name, and dryRun', () => {
    expect(validateEnsureGpuPoolRequest(ensure)).toEqual([]);
    expect(validateEnsureGpuPoolRequest({ ...ensure, dryRun: true })).toEqual(
      [],
    );
    expect(
      validateEnsureGpuPoolRequest({ ...ensure, name: 'Bad_Name' }),
    ).toContainEqual(expect.objectContaining({ rule: 'gpupool.name.format' }));
  });

  it('is strict: an unknown field is refused, with the closest known one', () => {
    expect(
      validateEnsureGpuPoolRequest({ ...ensure, dryrun: true } as any),
    ).toEqual([
      {
        field: 'dryrun',
        rule: 'field.unknown',
        didYouMean: 'dryRun',
        message:
          'dryrun: is not a field of the GPU pool request; did you mean dryRun? [field.unknown]',
      },
    ]);
    expect(
      validateEnsureGpuPoolRequest({
        ...ensure,
        workspace: { namespace: 'a', name: 'b', names: 'c' },
      } as any),
    ).toContainEqual(
      expect.objectContaining({
        field: 'workspace.names',
        didYouMean: 'name',
      }),
    );
  });

  it('names the expected type', () => {
    expect(
      validateEnsureGpuPoolRequest({ ...ensure, spot: 'yes' } as any),
    ).toContainEqual(
      expect.objectContaining({
        field: 'spot',
        rule: 'field.type',
        message: 'spot: must be true or false (got a string) [field.type]',
      }),
    );
  });

  it('the create schema knows no dryRun (only the ensure takes one)', () => {
    expect(
      validateCreateGpuPoolRequest({
        ...ensure,
        name: 'a',
        dryRun: true,
      } as any),
    ).toContainEqual(
      expect.objectContaining({ field: 'dryRun', rule: 'field.unknown' }),
    );
  });
});
