import { mockCredentials } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { CreateWorkspaceRequest } from '@kaito-backstage/plugin-kaito-common';
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
import { createWorkspaceWaitAction } from './workspaceWait';
import { CancelledError } from './waiting';

jest.setTimeout(90_000);

const A100 = 'Standard_NC24ads_A100_v4';
const A10 = 'Standard_NV36ads_A10_v5';
const OUTPUT_IMAGE = 'kaitodemo.azurecr.io/adapters/support-chatbot:wait';
const credentials = mockCredentials.user();

function tuning(name: string): CreateWorkspaceRequest {
  return {
    entityRef: ENTITY_REF,
    cluster: CLUSTER,
    namespace: NAMESPACE,
    name,
    resource: { instanceType: A100 },
    tuning: {
      preset: 'phi-3-mini-4k-instruct',
      method: 'qlora',
      input: {
        urls: [
          'https://huggingface.co/datasets/example/chat/resolve/main/train.jsonl',
        ],
      },
      output: { image: OUTPUT_IMAGE, imagePushSecret: PUSH_SECRET },
    },
  };
}

function inference(name: string, instanceType = A100): CreateWorkspaceRequest {
  return {
    entityRef: ENTITY_REF,
    cluster: CLUSTER,
    namespace: NAMESPACE,
    name,
    resource: { instanceType },
    inference: { preset: 'phi-3-mini-4k-instruct' },
  };
}

describe('kaito:workspace:wait', () => {
  let sim: RunningSimulator;
  let stopKaito: () => Promise<void>;
  let client: KaitoService;

  beforeAll(async () => {
    sim = await startDevSimulator({ timeScale: 1000 });
    const started = await startKaito(sim);
    client = started.client;
    stopKaito = () => started.backend.stop();
  });

  afterAll(async () => {
    await stopKaito?.();
    await sim?.stop();
  });

  afterEach(() => sim.faults.reset());

  function run(
    input: Record<string, unknown>,
    options: Parameters<typeof actionContext>[1] & {
      onLine?: (line: string) => void;
    } = {},
  ) {
    const spy = spyOnClient(client);
    const log = capturingLogger(options.onLine);
    const ctx = actionContext(
      {
        cluster: CLUSTER,
        namespace: NAMESPACE,
        pollIntervalSeconds: 1,
        ...input,
      },
      { logger: log.logger, ...options },
    );
    const action = createWorkspaceWaitAction({
      kaito: spy.kaito,
      discovery: {
        getExternalBaseUrl: async id => `http://localhost:7007/api/${id}`,
      },
    });
    return { spy, log, ctx, promise: action.handler(ctx) };
  }

  const workspace = (name: string) =>
    sim.store.get({
      group: 'kaito.sh',
      plural: 'workspaces',
      namespace: NAMESPACE,
      name,
    });

  it('follows a tuning run to Succeeded, logging nodes, steps, epochs and loss', async () => {
    await client.createWorkspace(tuning('wait-tune'), { credentials });
    const { promise, ctx, log } = run({ name: 'wait-tune' });
    await promise;
    const outputs = outputsOf(ctx);
    expect(outputs).toMatchObject({
      cluster: CLUSTER,
      namespace: NAMESPACE,
      name: 'wait-tune',
      kind: 'tuning',
      state: 'Succeeded',
      outputImage: OUTPUT_IMAGE,
      entityTabPath: '/catalog/default/component/support-chatbot/kaito',
    });
    expect(outputs.steps).toBeGreaterThan(0);
    expect(outputs.finalLoss).toEqual(expect.any(Number));
    const text = log.lines.join('\n');
    expect(text).toMatch(
      /tuning workspace ml-team\/wait-tune: (Pending|Provisioning).*nodes \d\/\d ready/,
    );
    expect(text).toMatch(
      /tuning workspace ml-team\/wait-tune: Running.*step \d+\/\d+ \(\d+%\).*epoch [\d.]+.*loss [\d.]+/,
    );
    expect(text).toMatch(/is Succeeded after/);
  });

  it('follows an inference workspace to Ready and outputs its endpoint', async () => {
    await client.createWorkspace(inference('wait-serve'), { credentials });
    const { promise, ctx } = run({ name: 'wait-serve', until: 'Ready' });
    await promise;
    expect(outputsOf(ctx)).toMatchObject({
      kind: 'inference',
      state: 'Ready',
      endpoint: 'http://wait-serve.ml-team.svc.cluster.local:80',
      chatPath:
        '/clusters/aks-kaito-dev/namespaces/ml-team/workspaces/wait-serve/chat/completions',
      chatUrl:
        'http://localhost:7007/api/kaito/clusters/aks-kaito-dev/namespaces/ml-team/workspaces/wait-serve/chat/completions',
      chatTabPath: `/catalog/default/component/support-chatbot/kaito?workspace=${encodeURIComponent(
        'aks-kaito-dev/ml-team/wait-serve',
      )}&view=chat`,
    });
  });

  it('waits for a condition', async () => {
    const { promise, ctx } = run({
      name: 'wait-serve',
      condition: 'InferenceReady',
    });
    await promise;
    expect(outputsOf(ctx)).toMatchObject({ state: 'Ready' });
  });

  it("fails with KAITO's reason when the model image cannot be pulled", async () => {
    sim.faults.patch({ imagePullFailure: ['wait-pull'] });
    await client.createWorkspace(inference('wait-pull'), { credentials });
    const { promise } = run({ name: 'wait-pull', problemGraceSeconds: 0 });
    const error = await promise.catch(e => e);
    expect(error.message).toMatch(
      /^inference workspace ml-team\/wait-pull on cluster "aks-kaito-dev" is NotReady: InferenceReady ImagePullError: /,
    );
    expect(workspace('wait-pull')).toBeDefined();
  });

  it("fails with KAITO's reason when the GPU quota is exhausted", async () => {
    sim.faults.patch({ quotaExhaustedFamilies: ['StandardNVADSA10v5Family'] });
    await client.createWorkspace(inference('wait-quota', A10), { credentials });
    const { promise } = run({ name: 'wait-quota', problemGraceSeconds: 0 });
    const error = await promise.catch(e => e);
    expect(error.message).toMatch(
      /wait-quota on cluster "aks-kaito-dev" is Provisioning: /,
    );
    expect(error.message).toMatch(/QuotaExceeded|quota/);
    expect(error.message).toContain('StandardNVADSA10v5Family');
  });

  it("fails with KAITO's reason when the tuning job runs out of GPU memory", async () => {
    // Made with kubectl, not through the suite: LoRA on phi-3-mini needs far
    // more than the A10's 24 GiB, which the suite's validation would refuse.
    await sim.store.create({
      apiVersion: 'kaito.sh/v1beta1',
      kind: 'Workspace',
      metadata: {
        name: 'wait-oom',
        namespace: NAMESPACE,
        labels: { 'backstage.io/kubernetes-id': 'support-chatbot' },
        annotations: { 'kaito.backstage.io/entity-ref': ENTITY_REF },
      },
      resource: {
        instanceType: A10,
        labelSelector: {
          matchLabels: { 'kaito.backstage.io/workspace': 'wait-oom' },
        },
      },
      tuning: {
        preset: { name: 'phi-3-mini-4k-instruct' },
        method: 'lora',
        input: {
          urls: [
            'https://huggingface.co/datasets/example/chat/resolve/main/train.jsonl',
          ],
        },
        output: { image: OUTPUT_IMAGE, imagePushSecret: PUSH_SECRET },
      },
    } as any);
    const { promise } = run({ name: 'wait-oom' });
    const error = await promise.catch(e => e);
    expect(error.message).toMatch(
      /^tuning workspace ml-team\/wait-oom on cluster "aks-kaito-dev" failed: /,
    );
    expect(error.message).toMatch(/OOMKilled/);
  });

  it('stops waiting when cancelled; the workspace stays and the log says so', async () => {
    await client.createWorkspace(tuning('wait-cancel'), { credentials });
    const controller = new AbortController();
    const { promise, log, ctx } = run(
      { name: 'wait-cancel' },
      {
        signal: controller.signal,
        onLine: line => {
          if (line.includes('tuning workspace ml-team/wait-cancel:'))
            controller.abort();
        },
      },
    );
    const error = await promise.catch(e => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error.message).toContain(
      'The workspace ml-team/wait-cancel on cluster "aks-kaito-dev" stays',
    );
    expect(
      log.lines.some(l => l.startsWith('warn: Cancelled while waiting')),
    ).toBe(true);
    expect(ctx.output).not.toHaveBeenCalled();
    expect(workspace('wait-cancel')).toBeDefined();
  });

  it('times out naming the state it saw', async () => {
    await client.createWorkspace(tuning('wait-timeout'), { credentials });
    const { promise } = run({ name: 'wait-timeout', timeoutMinutes: 0.0001 });
    await expect(promise).rejects.toThrow(
      /^Timed out after 0s waiting for workspace ml-team\/wait-timeout on cluster "aks-kaito-dev"; it is tuning workspace .*The workspace .* stays/,
    );
  });

  it('replays a finished wait from its checkpoint without any call', async () => {
    const store = checkpointStore();
    const first = run({ name: 'wait-tune' }, { checkpoint: store.checkpoint });
    await first.promise;
    const replay = run({ name: 'wait-tune' }, { checkpoint: store.checkpoint });
    await replay.promise;
    expect(replay.spy.calls).toEqual([]);
    expect(outputsOf(replay.ctx)).toEqual(outputsOf(first.ctx));
  });

  it('returns realistic outputs on a dry run without any call', async () => {
    const { promise, ctx, spy } = run(
      { name: 'whatever', until: 'Ready' },
      { isDryRun: true },
    );
    await promise;
    expect(spy.calls).toEqual([]);
    expect(outputsOf(ctx)).toMatchObject({
      kind: 'inference',
      state: 'Ready',
      endpoint: 'http://whatever.ml-team.svc.cluster.local:80',
    });
  });

  it('rejects a state a tuning run never reaches', async () => {
    const { promise } = run({ name: 'wait-tune', until: 'Ready' });
    const error = await promise.catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('[wait.until.kind]');
  });

  it.each([
    [{ name: 'Bad_Name' }, 'name', 'name.dns-label'],
    [{ name: 'x', namespace: '' }, 'namespace', 'field.required'],
    [{ name: 'x', until: 'Done' }, 'until', 'wait.until.invalid'],
    [
      { name: 'x', condition: 'not a condition' },
      'condition',
      'wait.condition.invalid',
    ],
    [{ name: 'x', timeoutMinutes: -1 }, 'timeoutMinutes', 'field.positive'],
    [{ name: 'x', entityRef: 'nope' }, 'entityRef', 'entity-ref.invalid'],
  ])('rejects %j before any call', async (input, field, rule) => {
    const { promise, spy } = run(input);
    const error = await promise.catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(`- ${field}: `);
    expect(error.message).toContain(`[${rule}]`);
    expect(spy.calls).toEqual([]);
  });

  it('fails when the workspace does not exist', async () => {
    await expect(run({ name: 'no-such-workspace' }).promise).rejects.toThrow(
      'Workspace ml-team/no-such-workspace on cluster "aks-kaito-dev" does not exist',
    );
  });
});
