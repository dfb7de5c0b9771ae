/*
 * The golden path end to end: the `fine-tune-model` template runs in the real
 * scaffolder backend with this module, the KAITO backend and the catalog
 * (with the KAITO entity provider) against the simulator, over HTTP.
 */
import { RunningSimulator } from '@kaito-backstage/simulator';
import request from 'supertest';
import {
  CLUSTER,
  NAMESPACE,
  eventually,
  startDevSimulator,
  templateEntity,
} from './__testUtils__/harness';
import { startGoldenPathBackend } from './__testUtils__/scaffolder';

jest.setTimeout(180_000);

const ENTITY = 'component:default/support-chatbot';

describe('fine-tune-model template through the scaffolder', () => {
  let sim: RunningSimulator;
  let stack: Awaited<ReturnType<typeof startGoldenPathBackend>>;
  let backend: typeof stack.backend;
  let scheduler: typeof stack.scheduler;

  beforeAll(async () => {
    sim = await startDevSimulator({ timeScale: 1000 });
    stack = await startGoldenPathBackend(sim, [
      templateEntity('fine-tune-model'),
      templateEntity('deploy-inference'),
      templateEntity('provision-gpu-pool'),
    ]);
    backend = stack.backend;
    scheduler = stack.scheduler;
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  function runTask(values: Record<string, unknown>) {
    return stack.runTask('template:default/fine-tune-model', values);
  }

  const baseValues = {
    entityRef: ENTITY,
    owner: 'group:default/ml-team',
    cluster: CLUSTER,
    namespace: NAMESPACE,
    preset: 'phi-3-mini-128k-instruct',
    method: 'qlora',
    datasetSource: 'url',
    datasetUrl:
      'https://huggingface.co/datasets/philschmid/dolly-15k-oai-style/resolve/main/data/train-00000-of-00001-54e3756291ca09c6.parquet?download=true',
    outputKind: 'image',
    outputImage: 'kaitodemo.azurecr.io/adapters/support-chatbot-phi-3:v2',
    outputPushSecret: 'acr-push-secret',
    spot: false,
    serve: true,
  };

  it("fails at the pool step with Azure's quota numbers when the GPU family has no quota, creating nothing", async () => {
    sim.faults.patch({ quotaExhaustedFamilies: ['StandardNCadsH100v5Family'] });
    try {
      const pools = sim.arm.listAgentPools().length;
      const { task, log, events } = await runTask({
        ...baseValues,
        instanceType: 'Standard_NC40ads_H100_v5',
      });
      expect(task.status).toBe('failed');
      expect(events.find(e => e.type === 'completion').body.message).toBe(
        'Run completed with status: failed',
      );
      expect(log.join('\n')).toMatch(
        /Insufficient vCPU quota for GPU pool "nc40adsh100" on cluster "aks-kaito-dev": up to 1 x Standard_NC40ads_H100_v5 needs 40 vCPUs, but Azure reports quota family StandardNCadsH100v5Family in eastus at limit 0 with 0 in use/,
      );
      // It stopped at the first step.
      expect(log).toContain(
        'ensure-pool: Beginning step Find or create the GPU pool',
      );
      expect(log).toContain(
        'create-tuning: Skipping step create-tuning because a previous step failed',
      );
      expect(log.some(l => l.startsWith('create-tuning: Beginning'))).toBe(
        false,
      );
      expect(sim.arm.listAgentPools()).toHaveLength(pools);
      expect(
        sim.store.list({
          group: 'kaito.sh',
          plural: 'workspaces',
          namespace: NAMESPACE,
        }).items,
      ).toEqual([]);
    } finally {
      sim.faults.reset();
    }
  });

  it('provisions the pool, fine-tunes, serves the adapter and publishes the tuned model', async () => {
    const { task, log, events } = await runTask({
      ...baseValues,
      instanceType: 'Standard_NC24ads_A100_v4',
    });
    if (task.status !== 'completed') {
      throw new Error(`task ${task.status}:\n${log.join('\n')}`);
    }
    const text = log.join('\n');

    // The pool exists in the simulated ARM, tainted and labelled.
    const pool = sim.arm.getAgentPool('nc24adsa100')!;
    expect(pool.properties).toMatchObject({
      vmSize: 'Standard_NC24ads_A100_v4',
      provisioningState: 'Succeeded',
      nodeTaints: ['sku=gpu:NoSchedule'],
      nodeLabels: { 'kaito.backstage.io/gpu-pool': 'nc24adsa100' },
    });

    // Progress was logged while tuning.
    expect(text).toMatch(
      /wait-tuning: .*tuning workspace ml-team\/support-chatbot-tune-[0-9a-f]{6}: Running .*step \d+\/\d+ \(\d+%\), epoch [\d.]+, loss [\d.]+/,
    );

    // The outputs: links to the tab, the run, the endpoint and the chat.
    const output = events.find(e => e.type === 'completion')?.body.output;
    const links = (output?.links ?? []) as Array<{
      title: string;
      url?: string;
      entityRef?: string;
    }>;
    const url = (title: string) => links.find(l => l.title === title)?.url;
    expect(url('AI Workspaces')).toBe(
      '/catalog/default/component/support-chatbot/kaito',
    );
    const tuning =
      /workspace=aks-kaito-dev%2Fml-team%2F(support-chatbot-tune-[0-9a-f]{6})$/.exec(
        url('Fine-tuning run') ?? '',
      )?.[1];
    const serving =
      /workspace=aks-kaito-dev%2Fml-team%2F(support-chatbot-serve-[0-9a-f]{6})$/.exec(
        url('Inference endpoint') ?? '',
      )?.[1];
    expect(tuning).toBeDefined();
    expect(serving).toBeDefined();
    expect(url('Chat with the tuned model')).toBe(
      `${url('Inference endpoint')}&view=chat`,
    );
    expect(links.find(l => l.title === 'Component')?.entityRef).toBe(ENTITY);

    // The tuning run succeeded and the endpoint serves the adapter.
    const detail = await request(backend.server).get(
      `/api/kaito/clusters/${CLUSTER}/namespaces/${NAMESPACE}/workspaces/${tuning}`,
    );
    expect(detail.body).toMatchObject({
      type: 'tuning',
      state: 'Succeeded',
      resource: {
        instanceType: 'Standard_NC24ads_A100_v4',
        labelSelector: {
          matchLabels: { 'kaito.backstage.io/gpu-pool': 'nc24adsa100' },
        },
      },
    });
    const chat = await request(backend.server)
      .post(
        `/api/kaito/clusters/${CLUSTER}/namespaces/${NAMESPACE}/workspaces/${serving}/chat/completions`,
      )
      .send({
        model: tuning,
        messages: [{ role: 'user', content: 'Where is my order?' }],
      });
    expect(chat.status).toBe(200);
    expect(chat.body.choices[0].message.content).toContain(`adapter ${tuning}`);
    expect(chat.body.choices[0].message.content).toContain(
      'Where is my order?',
    );

    // The tuned model (and the endpoint) appear in the catalog.
    await scheduler.triggerTask('kaito-entity-provider:refresh');
    const model = await eventually(
      async () => {
        const res = await request(backend.server).get(
          `/api/catalog/entities/by-name/resource/default/${tuning}.${NAMESPACE}.${CLUSTER}`,
        );
        return res.status === 200 ? res.body : undefined;
      },
      { timeoutMs: 60_000, what: 'the tuned model in the catalog' },
    );
    expect(links.find(l => l.title === 'Tuned model')?.entityRef).toBe(
      `resource:default/${tuning}.${NAMESPACE}.${CLUSTER}`,
    );
    expect(model.spec).toMatchObject({
      type: 'ai-model',
      owner: 'ml-team',
      dependencyOf: [ENTITY],
    });
    expect(model.metadata.annotations).toMatchObject({
      'backstage.io/kubernetes-id': 'support-chatbot',
      'backstage.io/kubernetes-namespace': NAMESPACE,
      'kaito.backstage.io/adapter-image':
        'kaitodemo.azurecr.io/adapters/support-chatbot-phi-3:v2',
    });
    const endpoint = await eventually(
      async () => {
        const res = await request(backend.server).get(
          `/api/catalog/entities/by-name/resource/default/${serving}.${NAMESPACE}.${CLUSTER}`,
        );
        return res.status === 200 ? res.body : undefined;
      },
      { timeoutMs: 60_000, what: 'the endpoint in the catalog' },
    );
    expect(endpoint.spec).toMatchObject({
      type: 'ai-endpoint',
      dependsOn: [`resource:default/${tuning}.${NAMESPACE}.${CLUSTER}`],
    });
  });

  it.each([
    [
      'fine-tune-model',
      { ...baseValues, instanceType: 'Standard_NC24ads_A100_v4', serve: false },
      ['AI Workspaces', 'Fine-tuning run'],
    ],
    [
      'deploy-inference',
      {
        entityRef: ENTITY,
        cluster: CLUSTER,
        namespace: NAMESPACE,
        preset: 'phi-3-mini-128k-instruct',
        instanceType: 'Standard_NC24ads_A100_v4',
        usePool: true,
        adapterImage: 'kaitodemo.azurecr.io/adapters/support-chatbot-phi-3:v1',
        adapterName: 'support-chatbot-phi-3',
        sourceWorkspace: 'support-chatbot-tuning',
      },
      ['AI Workspaces', 'Inference endpoint', 'Chat with the model'],
    ],
    [
      'provision-gpu-pool',
      {
        cluster: CLUSTER,
        vmSize: 'Standard_NV36ads_A10_v5',
        minCount: 0,
        maxCount: 2,
        count: 1,
        spot: false,
        nodeLabels: { apps: 'playground' },
      },
      ['GPU pools'],
    ],
  ])(
    'renders %s in a dry run without touching the cluster',
    async (name, values, linked) => {
      const pools = sim.arm.listAgentPools().length;
      const workspaces = sim.store.list({
        group: 'kaito.sh',
        plural: 'workspaces',
      }).items.length;
      const res = await request(backend.server)
        .post('/api/scaffolder/v2/dry-run')
        .send({
          template: templateEntity(name),
          values,
          secrets: {},
          directoryContents: [],
        });
      expect(res.status).toBe(200);
      const log = (res.body.log as any[]).map(l => l.body?.message).join('\n');
      // Steps that write ask the backend's dry run (nothing is written);
      // the others make no call.
      expect(log).toMatch(/No call was made|Nothing was created or changed/);
      expect(JSON.stringify(res.body.output)).not.toContain('${{');
      expect(
        (res.body.output.links as any[]).filter(l => l.url).map(l => l.title),
      ).toEqual(linked);
      expect(sim.arm.listAgentPools()).toHaveLength(pools);
      expect(
        sim.store.list({ group: 'kaito.sh', plural: 'workspaces' }).items,
      ).toHaveLength(workspaces);
    },
  );
});
