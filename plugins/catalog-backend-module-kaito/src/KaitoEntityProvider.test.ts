import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { KaitoService } from '@kaito-backstage/plugin-kaito-node';
import { RunningSimulator } from '@kaito-backstage/simulator';
import {
  CLUSTER,
  ENTITIES,
  NAMESPACE,
  PUSH_SECRET,
  eventually,
  startDevSimulator,
  startKaito,
} from './__testUtils__/harness';
import { KaitoEntityProvider } from './KaitoEntityProvider';

jest.setTimeout(90_000);

const OWNER = 'component:default/support-chatbot';
const IMAGE = 'kaitodemo.azurecr.io/adapters/support-chatbot-phi-3:v9';
const credentials = mockCredentials.user();

/** The catalog side of a provider: records what it applied. */
class RecordingConnection implements EntityProviderConnection {
  readonly mutations: EntityProviderMutation[] = [];
  async applyMutation(mutation: EntityProviderMutation) {
    this.mutations.push(mutation);
  }
  async refresh() {}
  get entities(): Entity[] {
    const last = this.mutations[this.mutations.length - 1];
    return last?.type === 'full' ? last.entities.map(e => e.entity) : [];
  }
  byType(type: string): Entity[] {
    return this.entities.filter(e => (e.spec as any)?.type === type);
  }
}

describe('KaitoEntityProvider', () => {
  let sim: RunningSimulator;
  let client: KaitoService;
  let stopKaito: () => Promise<void>;
  let provider: KaitoEntityProvider;
  const connection = new RecordingConnection();
  const logger = mockServices.logger.mock();

  /** A provider as the catalog starts it: nothing remembered from earlier refreshes. */
  const newProvider = () =>
    new KaitoEntityProvider({
      kaito: client,
      catalog: catalogServiceMock({
        entities: [
          ...ENTITIES,
          // An entity the provider published before: never an owner itself.
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Resource',
            metadata: {
              name: 'old-model',
              namespace: 'default',
              annotations: {
                'backstage.io/kubernetes-id': 'support-chatbot',
                'kaito.backstage.io/workspace': 'old',
              },
            },
            spec: { type: 'ai-model', owner: 'ml-team' },
          },
        ],
      }),
      auth: mockServices.auth(),
      logger,
      entityOptions: { appBaseUrl: 'http://localhost:3000' },
    });

  const state = async (name: string) =>
    (
      await client.getWorkspace(
        { cluster: CLUSTER, namespace: NAMESPACE, name },
        { credentials },
      )
    )?.state;

  beforeAll(async () => {
    sim = await startDevSimulator();
    const started = await startKaito(sim);
    client = started.client;
    stopKaito = () => started.backend.stop();
    provider = newProvider();
    await provider.connect(connection);

    // A tuning run that succeeds, one that fails, and an endpoint serving the adapter.
    const tuning = (name: string, preset = 'phi-3-mini-128k-instruct') => ({
      entityRef: OWNER,
      cluster: CLUSTER,
      namespace: NAMESPACE,
      name,
      resource: { instanceType: 'Standard_NC24ads_A100_v4' },
      tuning: {
        preset,
        method: 'qlora' as const,
        input: {
          urls: [
            'https://huggingface.co/datasets/example/chat/resolve/main/train.jsonl',
          ],
        },
        output: { image: IMAGE, imagePushSecret: PUSH_SECRET },
      },
    });
    await client.createWorkspace(tuning('chatbot-tune'), { credentials });
    sim.faults.patch({ imagePullFailure: ['chatbot-tune-broken'] });
    await client.createWorkspace(tuning('chatbot-tune-broken'), {
      credentials,
    });
    await eventually(
      async () => (await state('chatbot-tune')) === 'Succeeded',
      {
        what: 'the tuning run to succeed',
      },
    );
    await client.createWorkspace(
      {
        entityRef: OWNER,
        cluster: CLUSTER,
        namespace: NAMESPACE,
        name: 'chatbot-serve',
        resource: { instanceType: 'Standard_NC24ads_A100_v4' },
        inference: {
          preset: 'phi-3-mini-128k-instruct',
          adapters: [{ name: 'chatbot-tune', image: IMAGE }],
        },
      },
      { credentials },
    );
  });

  afterAll(async () => {
    await stopKaito?.();
    await sim?.stop();
  });

  it('publishes the tuned model and the endpoint, owned by and related to the entity', async () => {
    await provider.refresh();
    const [model] = connection.byType('ai-model');
    const [endpoint] = connection.byType('ai-endpoint');
    expect(connection.entities).toHaveLength(2);
    expect(model).toMatchObject({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'chatbot-tune.ml-team.aks-kaito-dev',
        namespace: 'default',
        title: 'phi-3-mini-128k-instruct fine-tuned for Support chatbot',
        annotations: {
          'backstage.io/managed-by-location':
            'kaito:aks-kaito-dev/ml-team/chatbot-tune',
          'backstage.io/managed-by-origin-location':
            'kaito:aks-kaito-dev/ml-team/chatbot-tune',
          'backstage.io/kubernetes-id': 'support-chatbot',
          'backstage.io/kubernetes-label-selector':
            'kaito.sh/workspace=chatbot-tune',
          'backstage.io/kubernetes-namespace': NAMESPACE,
          'kaito.backstage.io/entity-ref': OWNER,
          'kaito.backstage.io/workspace': 'chatbot-tune',
          'kaito.backstage.io/preset': 'phi-3-mini-128k-instruct',
          'kaito.backstage.io/tuning-method': 'qlora',
          'kaito.backstage.io/adapter-image': IMAGE,
          'kaito.backstage.io/state': 'Succeeded',
        },
        tags: ['kaito', 'fine-tuned', 'qlora'],
        links: [
          {
            url: 'http://localhost:3000/catalog/default/component/support-chatbot/kaito',
            title: 'AI Workspaces',
            icon: 'dashboard',
          },
          {
            url: `http://localhost:3000/catalog/default/component/support-chatbot/kaito?workspace=${encodeURIComponent(
              'aks-kaito-dev/ml-team/chatbot-tune',
            )}`,
            title: 'Tuning run',
            icon: 'catalog',
          },
        ],
      },
      spec: {
        type: 'ai-model',
        owner: 'ml-team',
        dependencyOf: [OWNER],
        system: 'assistants',
      },
    });
    expect(endpoint).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: 'chatbot-serve.ml-team.aks-kaito-dev',
        annotations: {
          'backstage.io/kubernetes-id': 'support-chatbot',
          'kaito.backstage.io/adapters': 'chatbot-tune',
          'kaito.backstage.io/endpoint':
            'http://chatbot-serve.ml-team.svc.cluster.local:80',
          'kaito.backstage.io/chat-path':
            '/clusters/aks-kaito-dev/namespaces/ml-team/workspaces/chatbot-serve/chat/completions',
        },
      },
      spec: {
        type: 'ai-endpoint',
        owner: 'ml-team',
        dependencyOf: [OWNER],
        dependsOn: ['resource:default/chatbot-tune.ml-team.aks-kaito-dev'],
      },
    });
    // The failed run has no model.
    expect(JSON.stringify(connection.entities)).not.toContain(
      'chatbot-tune-broken',
    );
  });

  it('keeps a tuned model whose run succeeded after its workspace is deleted', async () => {
    await client.deleteWorkspace(
      { cluster: CLUSTER, namespace: NAMESPACE, name: 'chatbot-tune' },
      { credentials },
    );
    await eventually(async () => (await state('chatbot-tune')) === undefined, {
      what: 'the tuning workspace to go',
    });
    await provider.refresh();
    const [model] = connection.byType('ai-model');
    expect(model.metadata.name).toBe('chatbot-tune.ml-team.aks-kaito-dev');
    expect(model.metadata.annotations).toMatchObject({
      'kaito.backstage.io/state': 'Deleted',
      'kaito.backstage.io/adapter-image': IMAGE,
    });
    expect(model.metadata.description).toContain(
      'The tuning workspace has been deleted; the adapter remains.',
    );
  });

  it('annotates that model with the adapter image from the run history after a restart', async () => {
    const restarted = newProvider();
    const fresh = new RecordingConnection();
    await restarted.connect(fresh);
    await restarted.refresh();
    const [model] = fresh.byType('ai-model');
    expect(model.metadata.name).toBe('chatbot-tune.ml-team.aks-kaito-dev');
    expect(model.metadata.annotations).toMatchObject({
      'kaito.backstage.io/state': 'Deleted',
      'kaito.backstage.io/adapter-image': IMAGE,
    });
    expect(model.metadata.description).toContain(`Adapter image: ${IMAGE}.`);
    // The endpoint still serving the adapter depends on the model.
    const [endpoint] = fresh.byType('ai-endpoint');
    expect(endpoint.spec?.dependsOn).toEqual([
      'resource:default/chatbot-tune.ml-team.aks-kaito-dev',
    ]);
  });

  it('removes an endpoint when its workspace is gone', async () => {
    await client.deleteWorkspace(
      { cluster: CLUSTER, namespace: NAMESPACE, name: 'chatbot-serve' },
      { credentials },
    );
    await eventually(async () => (await state('chatbot-serve')) === undefined, {
      what: 'the inference workspace to go',
    });
    await provider.refresh();
    expect(connection.byType('ai-endpoint')).toEqual([]);
    expect(connection.byType('ai-model')).toHaveLength(1);
  });

  it('keeps what it published when the KAITO backend cannot be reached', async () => {
    const before = connection.entities;
    expect(before).toHaveLength(1);
    await stopKaito();
    stopKaito = async () => {};
    await provider.refresh();
    expect(connection.entities).toEqual(before);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'could not read the workspaces of component:default/support-chatbot; keeping its 1 entities',
      ),
    );
  });
});
