import { buildWorkspaceManifest } from './manifest';
import { CreateWorkspaceRequest } from './validation/requests';
import { KaitoValidationError } from './validation/issues';

const tuningRequest: CreateWorkspaceRequest = {
  entityRef: 'Component:default/support-bot',
  cluster: 'aks-dev',
  namespace: 'ml',
  name: 'bot-tune',
  resource: { instanceType: 'Standard_NC24ads_A100_v4' },
  tuning: {
    preset: 'microsoft/Phi-3-mini-128k-instruct',
    method: 'qlora',
    input: { urls: ['https://example.com/train.jsonl'] },
    output: {
      image: 'myacr.azurecr.io/adapters/bot:v1',
      imagePushSecret: 'acr-push',
    },
    config: 'qlora-config',
  },
};

describe('buildWorkspaceManifest', () => {
  it('builds a v1beta1 tuning workspace with the suite labels', () => {
    expect(
      buildWorkspaceManifest(tuningRequest, {
        createdBy: 'user:default/jane',
        taskId: 'task-1',
      }),
    ).toEqual({
      apiVersion: 'kaito.sh/v1beta1',
      kind: 'Workspace',
      metadata: {
        name: 'bot-tune',
        namespace: 'ml',
        labels: {
          'backstage.io/kubernetes-id': 'support-bot',
          'app.kubernetes.io/managed-by': 'backstage-kaito',
        },
        annotations: {
          'kaito.backstage.io/entity-ref': 'component:default/support-bot',
          'kaito.backstage.io/created-by': 'user:default/jane',
          'kaito.backstage.io/template-task-id': 'task-1',
        },
      },
      resource: {
        instanceType: 'Standard_NC24ads_A100_v4',
        labelSelector: {
          matchLabels: { 'kaito.backstage.io/workspace': 'bot-tune' },
        },
      },
      tuning: {
        preset: { name: 'phi-3-mini-128k-instruct' },
        method: 'qlora',
        config: 'qlora-config',
        input: { urls: ['https://example.com/train.jsonl'] },
        output: {
          image: 'myacr.azurecr.io/adapters/bot:v1',
          imagePushSecret: 'acr-push',
        },
      },
    });
  });

  it('builds an inference workspace with adapters, runtime and secret', () => {
    const manifest = buildWorkspaceManifest(
      {
        entityRef: 'component:default/support-bot',
        cluster: 'aks-dev',
        namespace: 'ml',
        name: 'bot',
        resource: {
          instanceType: 'Standard_NC24ads_A100_v4',
          labelSelector: { apps: 'bot' },
        },
        inference: {
          preset: 'llama-3.1-8b-instruct',
          runtime: 'transformers',
          modelAccessSecret: 'hf-token',
          config: 'vllm-config',
          adapters: [
            {
              name: 'bot-adapter',
              image: 'myacr.azurecr.io/adapters/bot:v1',
              imagePullSecrets: ['acr-pull'],
              strength: '0.5',
            },
            {
              name: 'pvc-adapter',
              volume: {
                persistentVolumeClaim: {
                  claimName: 'adapters',
                  readOnly: true,
                },
              },
            },
          ],
        },
      },
      { kubernetesId: 'bot-service' },
    );
    expect(manifest.metadata.labels).toEqual({
      'backstage.io/kubernetes-id': 'bot-service',
      'app.kubernetes.io/managed-by': 'backstage-kaito',
    });
    expect(manifest.metadata.annotations).toEqual({
      'kaito.backstage.io/entity-ref': 'component:default/support-bot',
      'kaito.sh/runtime': 'transformers',
    });
    expect(manifest.resource).toEqual({
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: 'bot' } },
    });
    expect(manifest.tuning).toBeUndefined();
    expect(manifest.inference).toEqual({
      preset: {
        name: 'llama-3.1-8b-instruct',
        presetOptions: { modelAccessSecret: 'hf-token' },
      },
      config: 'vllm-config',
      adapters: [
        {
          source: {
            name: 'bot-adapter',
            image: 'myacr.azurecr.io/adapters/bot:v1',
            imagePullSecrets: ['acr-pull'],
          },
          strength: '0.5',
        },
        {
          source: {
            name: 'pvc-adapter',
            volumeSource: {
              persistentVolumeClaim: { claimName: 'adapters', readOnly: true },
            },
          },
        },
      ],
    });
  });

  it('writes volume input and output as volumeSource', () => {
    const manifest = buildWorkspaceManifest({
      ...tuningRequest,
      tuning: {
        ...tuningRequest.tuning!,
        method: 'LoRA' as any,
        input: {
          name: 'dataset',
          volume: { persistentVolumeClaim: { claimName: 'datasets' } },
        },
        output: { volume: { persistentVolumeClaim: { claimName: 'results' } } },
      },
    });
    expect(manifest.tuning?.method).toBe('lora');
    expect(manifest.tuning?.input).toEqual({
      name: 'dataset',
      volumeSource: { persistentVolumeClaim: { claimName: 'datasets' } },
    });
    expect(manifest.tuning?.output).toEqual({
      volumeSource: { persistentVolumeClaim: { claimName: 'results' } },
    });
  });

  it('refuses invalid requests', () => {
    expect(() =>
      buildWorkspaceManifest({ ...tuningRequest, name: 'Bot' }),
    ).toThrow(KaitoValidationError);
    expect(() =>
      buildWorkspaceManifest(tuningRequest, { kubernetesId: 'not valid!' }),
    ).toThrow(/label.value-invalid/);
  });
});
