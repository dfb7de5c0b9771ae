import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { KaitoService } from '@kaito-backstage/plugin-kaito-node';
import { RunningSimulator } from '@kaito-backstage/simulator';
import {
  CLUSTER,
  ENTITY_REF,
  NAMESPACE,
  PUSH_SECRET,
  startDevSimulator,
  startKaito,
} from '../__testUtils__/harness';
import {
  actionContext,
  capturingLogger,
  checkpointStore,
  outputsOf,
  spyOnClient,
} from '../__testUtils__/context';
import { createWorkspaceCreateAction } from './workspaceCreate';
import { defaultWorkspaceName } from './names';

jest.setTimeout(60_000);

const A100 = 'Standard_NC24ads_A100_v4';
const DATASET =
  'https://huggingface.co/datasets/philschmid/dolly-15k-oai-style/resolve/main/data/train.parquet';
const WORKSPACES = {
  group: 'kaito.sh',
  plural: 'workspaces',
  namespace: NAMESPACE,
};

function tuningInput(extra: Record<string, unknown> = {}) {
  return {
    entityRef: ENTITY_REF,
    cluster: CLUSTER,
    namespace: NAMESPACE,
    instanceType: A100,
    labelSelector: { 'kaito.backstage.io/gpu-pool': 'nc24adsa100' },
    tuning: {
      preset: 'phi-3-mini-4k-instruct',
      method: 'qlora',
      input: { urls: DATASET },
      output: {
        image: 'kaitodemo.azurecr.io/adapters/support-chatbot:v2',
        imagePushSecret: PUSH_SECRET,
      },
    },
    ...extra,
  };
}

describe('kaito:workspace:create', () => {
  let sim: RunningSimulator;
  let stopKaito: () => Promise<void>;
  let client: KaitoService;

  beforeAll(async () => {
    sim = await startDevSimulator();
    const started = await startKaito(sim);
    client = started.client;
    stopKaito = () => started.backend.stop();
  });

  afterAll(async () => {
    await stopKaito?.();
    await sim?.stop();
  });

  function run(
    input: Record<string, unknown>,
    options: Parameters<typeof actionContext>[1] = {},
  ) {
    const spy = spyOnClient(client);
    const log = capturingLogger();
    const ctx = actionContext(input, { logger: log.logger, ...options });
    const action = createWorkspaceCreateAction({
      kaito: spy.kaito,
      discovery: {
        getExternalBaseUrl: async id =>
          `https://backstage.example.com/api/${id}`,
      },
    });
    return { spy, log, ctx, promise: action.handler(ctx) };
  }

  function workspace(name: string) {
    return sim.store.get({ ...WORKSPACES, name });
  }

  it('creates a tuning workspace named after the entity, mode and task', async () => {
    const { promise, ctx } = run(tuningInput(), {
      taskId: 'task-1',
      stepId: 'create-tuning',
    });
    await promise;
    const name = defaultWorkspaceName({
      entityRef: ENTITY_REF,
      kind: 'tuning',
      taskId: 'task-1',
      stepId: 'create-tuning',
    });
    expect(name).toMatch(/^support-chatbot-tune-[0-9a-f]{6}$/);
    expect(outputsOf(ctx)).toEqual({
      cluster: CLUSTER,
      namespace: NAMESPACE,
      name,
      kind: 'tuning',
      entityRef: ENTITY_REF,
      preset: 'phi-3-mini-4k-instruct',
      instanceType: A100,
      created: true,
      entityTabPath: '/catalog/default/component/support-chatbot/kaito',
      workspacePath: `/catalog/default/component/support-chatbot/kaito?workspace=${encodeURIComponent(
        `${CLUSTER}/${NAMESPACE}/${name}`,
      )}`,
    });
    const ws = workspace(name)!;
    expect(ws.metadata.labels).toMatchObject({
      'backstage.io/kubernetes-id': 'support-chatbot',
      'app.kubernetes.io/managed-by': 'backstage-kaito',
    });
    expect(ws.metadata.annotations).toMatchObject({
      'kaito.backstage.io/entity-ref': ENTITY_REF,
      'kaito.backstage.io/created-by': 'user:default/mock',
      'kaito.backstage.io/template-task-id': 'task-1',
    });
    expect(ws).toMatchObject({
      resource: {
        instanceType: A100,
        labelSelector: {
          matchLabels: { 'kaito.backstage.io/gpu-pool': 'nc24adsa100' },
        },
      },
      tuning: {
        preset: { name: 'phi-3-mini-4k-instruct' },
        method: 'qlora',
        input: { urls: [DATASET] },
        output: {
          image: 'kaitodemo.azurecr.io/adapters/support-chatbot:v2',
          imagePushSecret: PUSH_SECRET,
        },
      },
    });

    // A retried run of the same task and step finds it instead of making a second one.
    const retry = run(tuningInput(), {
      taskId: 'task-1',
      stepId: 'create-tuning',
    });
    await retry.promise;
    expect(outputsOf(retry.ctx)).toMatchObject({ name, created: false });
    // One create call, which the backend answers with the workspace this
    // task made (the same object), creating nothing.
    expect(retry.spy.count('createWorkspace')).toBe(1);
    expect(workspace(name)!.metadata.uid).toBe(ws.metadata.uid);
    expect(retry.log.lines.join('\n')).toContain(
      'created earlier by this task',
    );
    expect(
      sim.store.list(WORKSPACES).items.filter(w => w.metadata.name === name),
    ).toHaveLength(1);
  });

  it('creates an inference workspace with an adapter and outputs its endpoint', async () => {
    const { promise, ctx } = run(
      {
        entityRef: ENTITY_REF,
        cluster: CLUSTER,
        namespace: NAMESPACE,
        name: 'chatbot-serve-test',
        instanceType: A100,
        inference: {
          preset: 'phi-3-mini-4k-instruct',
          adapters: [
            { image: 'kaitodemo.azurecr.io/adapters/support-chatbot:v2' },
            { name: '', image: '' },
          ],
        },
      },
      { taskId: 'task-2' },
    );
    await promise;
    expect(outputsOf(ctx)).toMatchObject({
      name: 'chatbot-serve-test',
      kind: 'inference',
      created: true,
      endpoint: 'http://chatbot-serve-test.ml-team.svc.cluster.local:80',
      chatPath:
        '/clusters/aks-kaito-dev/namespaces/ml-team/workspaces/chatbot-serve-test/chat/completions',
      chatUrl:
        'https://backstage.example.com/api/kaito/clusters/aks-kaito-dev/namespaces/ml-team/workspaces/chatbot-serve-test/chat/completions',
    });
    expect(workspace('chatbot-serve-test')).toMatchObject({
      inference: {
        preset: { name: 'phi-3-mini-4k-instruct' },
        adapters: [
          {
            source: {
              name: 'support-chatbot-v2',
              image: 'kaitodemo.azurecr.io/adapters/support-chatbot:v2',
            },
          },
        ],
      },
    });
  });

  it('replays through stored checkpoints: no second workspace and no call', async () => {
    const store = checkpointStore();
    const input = tuningInput({ name: 'chatbot-replay' });
    const first = run(input, {
      taskId: 'task-3',
      checkpoint: store.checkpoint,
    });
    await first.promise;
    expect(first.spy.count('createWorkspace')).toBe(1);
    const uid = workspace('chatbot-replay')!.metadata.uid;

    const replay = run(input, {
      taskId: 'task-3',
      checkpoint: store.checkpoint,
    });
    await replay.promise;
    expect(replay.spy.calls).toEqual([]);
    expect(outputsOf(replay.ctx)).toMatchObject({
      name: 'chatbot-replay',
      created: true,
    });
    expect(workspace('chatbot-replay')!.metadata.uid).toBe(uid);
    expect(store.runs).toEqual([
      `create-workspace-${CLUSTER}-${NAMESPACE}-chatbot-replay`,
    ]);
  });

  it('refuses a workspace of the same name that another task created', async () => {
    const { promise } = run(tuningInput({ name: 'chatbot-replay' }), {
      taskId: 'task-other',
    });
    const error = await promise.catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(
      'name: workspace ml-team/chatbot-replay on cluster "aks-kaito-dev" already exists',
    );
    expect(error.message).toContain('in task task-3');
    expect(error.message).toContain('[workspace.exists]');
  });

  it("asks the backend for the dry run's manifest, creating nothing", async () => {
    const { promise, ctx, spy, log } = run(
      tuningInput({ name: 'chatbot-dry' }),
      { isDryRun: true },
    );
    await promise;
    // The backend's dry run (its entity, namespace and cluster checks).
    expect(spy.calls).toEqual(['createWorkspace']);
    expect(outputsOf(ctx)).toMatchObject({
      name: 'chatbot-dry',
      kind: 'tuning',
      created: true,
    });
    expect(log.lines[0]).toContain(
      'Dry run: would create the tuning workspace ml-team/chatbot-dry',
    );
    expect(log.lines[0]).toContain('"apiVersion":"kaito.sh/v1beta1"');
    expect(workspace('chatbot-dry')).toBeUndefined();
  });

  it.each([
    [
      'an entity the catalog does not have (404)',
      { entityRef: 'component:default/no-such-entity' },
      'entityRef',
      'entity.not-found',
      NotFoundError,
    ],
    [
      "a namespace other than the entity's (403, the namespace policy)",
      { namespace: 'other-team' },
      'namespace',
      'namespace.entity-namespace',
      NotAllowedError,
    ],
  ])(
    "fails a dry run with the backend's checks: %s",
    async (_what, extra, field, rule, errorClass) => {
      const { promise } = run(tuningInput({ name: 'chatbot-dry', ...extra }), {
        isDryRun: true,
      });
      const error = await promise.catch(e => e);
      expect(error).toBeInstanceOf(errorClass);
      expect(error.message).toContain(`${field}: `);
      expect(error.message).toContain(`[${rule}]`);
      expect(workspace('chatbot-dry')).toBeUndefined();
    },
  );

  it.each([
    [
      'a preset that cannot be tuned',
      { tuning: { ...tuningInput().tuning, preset: 'llama-3.3-70b-instruct' } },
      'tuning.preset',
      'preset.not-tunable',
    ],
    [
      'a dataset URL on a private network',
      {
        tuning: {
          ...tuningInput().tuning,
          input: { urls: ['http://10.0.0.7/data.jsonl'] },
        },
      },
      'tuning.input.urls[0]',
      'url.',
    ],
    [
      'an output image without a push secret',
      {
        tuning: {
          ...tuningInput().tuning,
          output: { image: 'kaitodemo.azurecr.io/a:b' },
        },
      },
      'tuning.output.imagePushSecret',
      'tuning.output.image-push-secret-required',
    ],
    [
      'both a dataset URL and a volume',
      {
        tuning: {
          ...tuningInput().tuning,
          input: { urls: DATASET, volume: 'data' },
        },
      },
      'tuning.input',
      'tuning.input.exactly-one',
    ],
    [
      'both tuning and inference',
      { inference: { preset: 'phi-3-mini-4k-instruct' } },
      '',
      'workspace.exactly-one-of',
    ],
    ['an invalid name', { name: 'Chat_Bot' }, 'name', 'name.dns-label'],
    ['a missing entity', { entityRef: '' }, 'entityRef', 'entity-ref.required'],
    [
      'a missing SKU fit',
      { instanceType: 'Standard_NV36ads_A10_v5' },
      'resource.instanceType',
      'resource.gpu-memory',
    ],
  ])('rejects %s before any call', async (_what, extra, field, rule) => {
    const { promise, spy } = run(tuningInput(extra));
    const error = await promise.catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    const line = error.message
      .split('\n')
      .find((l: string) => l.includes(`[${rule}`));
    expect(line).toBeDefined();
    expect(line).toContain(`- ${field}`);
    expect(spy.calls).toEqual([]);
  });

  it('creates nothing when the task was cancelled before the step ran', async () => {
    const controller = new AbortController();
    controller.abort();
    const { promise, spy } = run(tuningInput({ name: 'chatbot-cancelled' }), {
      signal: controller.signal,
    });
    await expect(promise).rejects.toThrow(
      /Cancelled while preparing to create workspace .*nothing was created/,
    );
    expect(spy.calls).toEqual([]);
    expect(workspace('chatbot-cancelled')).toBeUndefined();
  });
});
