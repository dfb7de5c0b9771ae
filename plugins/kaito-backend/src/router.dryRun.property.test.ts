import { Entity } from '@backstage/catalog-model';
import { RunningSimulator } from '@kaito-backstage/simulator';
import fc from 'fast-check';
import request from 'supertest';
import {
  TEAM_NAMESPACE,
  eventually,
  simulatorConfig,
  startKaitoBackend,
  startTeamSimulator,
} from './__testUtils__/simulatorBackend';

/*
 * Property (issue 11): for random mutations of valid create bodies, a dry
 * run and a create of the same body agree. Either both are refused with the
 * same 400/403/404/413 that names a field or rule, and nothing exists in the
 * cluster afterwards; or the dry run passes (200) and the create passes
 * (201) with the very object the dry run returned, less the fields the API
 * server sets on every write (uid, creationTimestamp, resourceVersion).
 *
 * KAITO_PROPERTY_RUNS sets the number of bodies (default 2000).
 */

const RUNS = Number(process.env.KAITO_PROPERTY_RUNS ?? 2000);
jest.setTimeout(Math.max(120_000, RUNS * 150));

const BASE = '/api/kaito';
const UNIQUE = '<unique>';

const component = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: 'service',
    owner: 'group:default/ml-team',
    lifecycle: 'production',
  },
});

const ENTITIES: Entity[] = [
  component('chatbot', { 'backstage.io/kubernetes-id': 'chatbot' }),
  component('search', {
    'backstage.io/kubernetes-label-selector': 'team=search,app in (ranker)',
    'backstage.io/kubernetes-namespace': 'search',
  }),
  component('ranker', {
    'backstage.io/kubernetes-id': 'ranker',
    'backstage.io/kubernetes-namespace': 'search',
  }),
];

const TEMPLATES: Record<string, unknown>[] = [
  {
    entityRef: 'component:default/chatbot',
    cluster: 'sim',
    namespace: TEAM_NAMESPACE,
    name: UNIQUE,
    resource: { instanceType: 'Standard_NC24ads_A100_v4' },
    inference: { preset: 'phi-4-mini-instruct' },
  },
  {
    entityRef: 'component:default/ranker',
    cluster: 'sim',
    namespace: 'search',
    name: UNIQUE,
    resource: { instanceType: 'Standard_NC24ads_A100_v4', count: 1 },
    inference: {
      preset: 'phi-3-mini-128k-instruct',
      runtime: 'vllm',
      adapters: [
        {
          name: 'ranker-v1',
          image: 'registry.example.com/a/ranker:v1',
          strength: '0.5',
        },
      ],
    },
  },
  {
    entityRef: 'component:default/chatbot',
    cluster: 'sim',
    namespace: TEAM_NAMESPACE,
    name: UNIQUE,
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { pool: 'gpu' },
    },
    tuning: {
      preset: 'phi-3-mini-128k-instruct',
      method: 'qlora',
      input: { urls: ['https://example.com/data/train.jsonl'] },
      output: {
        image: 'registry.example.com/adapters/chatbot:v1',
        imagePushSecret: 'push',
      },
    },
  },
];

/** Meaningful values for fields: valid ones and ones that break a rule or the policy. */
const ALTERNATIVES: Record<string, unknown[]> = {
  entityRef: [
    'component:default/chatbot',
    'Component:Default/Chatbot',
    'component:default/ghost',
    'component:default/search',
    'component:default/ranker',
    'not a ref',
  ],
  cluster: ['sim', 'nope', ''],
  namespace: [
    TEAM_NAMESPACE,
    'search',
    'kube-system',
    'default',
    'kaito-workspace',
    'no-such-team',
    'ML-Team',
  ],
  name: ['Bad_Name', '', 'a'.repeat(64), '-x'],
  'resource.instanceType': [
    'Standard_NC24ads_A100_v4',
    'Standard_NC48ads_A100_v4',
    'Standard_NV36ads_A10_v5',
    'Standard_D4s_v3',
    '',
  ],
  'resource.count': [1, 2, 0, 1.5],
  'resource.labelSelector': [{ pool: 'gpu' }, { 'kaito.sh/x': 'y' }, {}],
  'inference.preset': [
    'phi-4-mini-instruct',
    'phi-3-mini-128k-instruct',
    'llama-3.1-8b-instruct',
    'gpt-5',
  ],
  'inference.runtime': ['vllm', 'transformers', 'tgi'],
  'tuning.method': ['lora', 'qlora', 'QLoRA', 'full'],
  'tuning.input.urls': [
    ['https://example.com/d.jsonl'],
    ['http://10.0.0.1/d'],
    [],
  ],
  'tuning.output': [
    { volume: { persistentVolumeClaim: { claimName: 'out' } } },
    {},
  ],
};

type Json = any;

function paths(value: Json, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const own = prefix.length ? [prefix] : [];
  return [
    ...own,
    ...Object.keys(value).flatMap(k => paths(value[k], [...prefix, k])),
  ];
}

function objectPaths(value: Json, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return [];
  return [
    prefix,
    ...Object.keys(value).flatMap(k => objectPaths(value[k], [...prefix, k])),
  ];
}

function parentOf(root: Json, path: string[]): Json {
  return path.slice(0, -1).reduce((node, k) => node?.[k], root);
}

function setOwn(target: Json, key: string, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

const typo = (key: string, how: number): string => {
  switch (how % 5) {
    case 0:
      return key.toLowerCase() === key ? key.toUpperCase() : key.toLowerCase();
    case 1:
      return key.slice(0, -1);
    case 2:
      return `${key}s`;
    case 3:
      return key.length > 2 ? key[1] + key[0] + key.slice(2) : `${key}_`;
    default:
      return `${key.slice(0, 1)}${key.slice(2)}`;
  }
};

const wrongValue = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
  fc.constant('x'.repeat(300)),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.integer(), {
    maxKeys: 2,
  }),
);

type Mutation =
  | { kind: 'add'; at: number; key: string | number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'retype'; at: number; value: unknown }
  | { kind: 'set'; field: string; pick: number }
  | { kind: 'pad'; bytes: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      at: fc.nat(),
      key: fc.oneof(
        fc.nat(), // a typo of a field of that object
        fc.constantFrom(
          'bogus',
          'adapters',
          'dryrun',
          'extra',
          '__proto__',
          'constructor',
        ),
        fc.string({ minLength: 1, maxLength: 10 }),
      ),
      value: wrongValue,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      at: fc.nat(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('retype' as const),
      at: fc.nat(),
      value: wrongValue,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      field: fc.constantFrom(...Object.keys(ALTERNATIVES)),
      pick: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('pad' as const),
      bytes: fc.constantFrom(65 * 1024, 128 * 1024),
    }),
  },
);

function mutate(template: Json, mutations: Mutation[]): Json {
  const body = structuredClone(template);
  for (const m of mutations) {
    if (m.kind === 'add') {
      const objects = objectPaths(body);
      const at = objects[m.at % objects.length];
      const target = at.reduce((node: Json, k) => node[k], body);
      const known = Object.keys(target);
      let key = typeof m.key === 'string' ? m.key : 'x';
      if (typeof m.key === 'number' && known.length) {
        key = typo(known[m.key % known.length], m.key);
      }
      if (!known.includes(key)) setOwn(target, key, m.value);
    } else if (m.kind === 'delete' || m.kind === 'retype') {
      const all = paths(body);
      const at = all[m.at % all.length];
      const parent = parentOf(body, at);
      const key = at[at.length - 1];
      if (m.kind === 'delete') {
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
      } else {
        parent[key] = m.value;
      }
    } else if (m.kind === 'set') {
      const path = m.field.split('.');
      const parent = parentOf(body, path);
      const options = ALTERNATIVES[m.field];
      if (parent && typeof parent === 'object') {
        parent[path[path.length - 1]] = structuredClone(
          options[m.pick % options.length],
        );
      }
    } else {
      body.padding = 'p'.repeat(m.bytes);
    }
  }
  return body;
}

const bodies = fc
  .tuple(
    fc.constantFrom(...TEMPLATES),
    // Dry-run heavy: one body in ten stays as it is; mutations with valid
    // values (`set`) keep some of the others valid too.
    fc.oneof(
      { weight: 1, arbitrary: fc.constant([] as Mutation[]) },
      {
        weight: 9,
        arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }),
      },
    ),
  )
  .map(([template, mutations]) => ({ template, mutations }));

/** The API server's answer without what it sets on every write. */
function withoutServerFields(ws: Json): Json {
  const {
    uid,
    creationTimestamp,
    resourceVersion,
    managedFields,
    ...metadata
  } = ws.metadata;
  return { ...ws, metadata };
}

/**
 * What the suite asked for, as stored: identity, labels, annotations and
 * spec; not the annotations KAITO's controller adds once it reconciles
 * (`workspace.kaito.io/hash`, `.../revision`).
 */
function asked(ws: Json): Json {
  const { name, namespace, labels } = ws.metadata;
  const annotations = Object.fromEntries(
    Object.entries(ws.metadata.annotations ?? {}).filter(
      ([key]) => !key.startsWith('workspace.kaito.io/'),
    ),
  );
  return {
    apiVersion: ws.apiVersion,
    kind: ws.kind,
    metadata: { name, namespace, labels, annotations },
    resource: ws.resource,
    inference: ws.inference,
    tuning: ws.tuning,
  };
}

/**
 * A refusal names a rule (`[rule.id]`) and a field: each listed issue
 * starts with its field, or the message does (`field: ...`).
 */
function namesFieldOrRule(error: { message: string; issues?: any[] }): boolean {
  const namesRule = /\[[a-z0-9-]+(\.[a-z0-9-]+)+\]/.test(error.message);
  const namesField = error.issues
    ? error.issues.length > 0 &&
      error.issues.every(i => i.message.startsWith(`${i.field || 'request'}: `))
    : /^[\w.[\]"-]+: /.test(error.message);
  return namesRule && namesField;
}

type Answer = request.Response;

function expected(kind: 'created' | 'refused', dry: Answer) {
  return kind === 'created'
    ? {
        kind,
        status: 201,
        // The create answered, and the cluster stored, what the dry run returned.
        manifest: withoutServerFields(dry.body.manifest),
        stored: asked(dry.body.manifest),
      }
    : {
        kind,
        status: dry.status,
        refusal: 'names a field and rule',
        // The create is refused for the same reasons as the dry run.
        rules: rulesOf(dry.body?.error?.message ?? ''),
        stack: false,
        newWorkspaces: [],
      };
}

describe('dry run equals create (property, fast-check)', () => {
  let sim: RunningSimulator;
  let backend: Awaited<ReturnType<typeof startKaitoBackend>>;
  const created = new Set<string>();
  const tally = {
    refused: 0,
    created: 0,
    byStatus: {} as Record<number, number>,
    /** Milliseconds spent on bodies that were refused and on bodies that were created. */
    ms: { refused: 0, created: 0 },
  };
  let next = 0;

  const storedNames = () =>
    sim.store
      .list({ group: 'kaito.sh', plural: 'workspaces' })
      .items.map((w: any) => `${w.metadata.namespace}/${w.metadata.name}`);

  async function createdOutcome(real: Answer) {
    const manifest = real.body.manifest;
    if (real.status !== 201 || !manifest) {
      return {
        kind: 'created' as const,
        status: real.status,
        error: real.body.error,
      };
    }
    const { namespace, name } = manifest.metadata;
    created.add(`${namespace}/${name}`);
    tally.created++;
    const stored = sim.store.get({
      group: 'kaito.sh',
      plural: 'workspaces',
      namespace,
      name,
    });
    // Keep the cluster small: delete it (KAITO's finalizer cleans up).
    await sim.store.delete({
      group: 'kaito.sh',
      plural: 'workspaces',
      namespace,
      name,
    });
    return {
      kind: 'created' as const,
      status: real.status,
      manifest: withoutServerFields(manifest),
      stored: asked(stored),
    };
  }

  function refusedOutcome(dry: Answer, real: Answer, before: string[]) {
    tally.refused++;
    const error = dry.body?.error ?? {};
    return {
      kind: 'refused' as const,
      status: [400, 403, 404, 413].includes(dry.status)
        ? real.status
        : `unexpected ${dry.status}`,
      refusal: namesFieldOrRule(error) ? 'names a field and rule' : error,
      rules: rulesOf(real.body?.error?.message ?? ''),
      stack: 'stack' in error,
      newWorkspaces: storedNames().filter(n => !before.includes(n)),
      // Shown only when the create answered otherwise than the dry run.
      ...(real.status !== dry.status ? { createError: real.body?.error } : {}),
    };
  }

  beforeAll(async () => {
    // Slow time: created workspaces stay Pending while they are compared.
    sim = await startTeamSimulator({ timeScale: 1, seed: 'none' });
    await sim.store.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'search' },
    });
    backend = await startKaitoBackend({
      config: simulatorConfig(sim),
      entities: ENTITIES,
    });
    await eventually(async () => {
      const res = await request(backend.server).get(`${BASE}/clusters`);
      return res.body.items.every((c: any) => c.health.state === 'healthy');
    });
  });

  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(`property runs: ${JSON.stringify(tally)}`);
    await backend?.stop();
    await sim?.stop();
  });

  it(`holds for ${RUNS} mutated create bodies`, async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async ({ template, mutations }) => {
        const body = mutate(template, mutations);
        if (body && typeof body === 'object' && body.name === UNIQUE)
          body.name = `p${next++}`;
        const dryBody =
          body && typeof body === 'object' && !Array.isArray(body)
            ? { ...body, dryRun: true }
            : body;
        const createBody =
          body && typeof body === 'object' && !Array.isArray(body)
            ? (({ dryRun, ...rest }) => rest)(body)
            : body;
        const before = storedNames();

        const started = Date.now();
        const dry = await request(backend.server)
          .post(`${BASE}/workspaces`)
          .send(dryBody);
        const real = await request(backend.server)
          .post(`${BASE}/workspaces`)
          .send(createBody);
        tally.byStatus[real.status] = (tally.byStatus[real.status] ?? 0) + 1;

        // What the pair of answers is: `created` or `refused`, each with
        // the facts its side of the property needs (one assertion below).
        const outcome =
          dry.status === 200
            ? await createdOutcome(real)
            : refusedOutcome(dry, real, before);
        tally.ms[outcome.kind] += Date.now() - started;
        expect(outcome).toEqual(expected(outcome.kind, dry));
      }),
      {
        numRuns: RUNS,
        ...(process.env.KAITO_PROPERTY_SEED
          ? { seed: Number(process.env.KAITO_PROPERTY_SEED) }
          : {}),
      },
    );
    // The property was tested on both sides.
    expect(tally.created).toBeGreaterThan(RUNS / 20);
    expect(tally.refused).toBeGreaterThan(RUNS / 2);
    expect(storedNames().every(n => created.has(n))).toBe(true);
  });
});

function rulesOf(message: string): string[] {
  return [...message.matchAll(/\[([a-z0-9-]+(?:\.[a-z0-9-]+)+)\]/g)]
    .map(m => m[1])
    .sort();
}
