import { Entity } from '@backstage/catalog-model';
import { endpointEntity, kaitoEntityName, tunedModelEntity } from './entities';

const owner: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'code-assistant',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-label-selector': 'app=code-assistant',
    },
  },
  spec: {
    type: 'service',
    owner: 'group:default/ml-team',
    lifecycle: 'experimental',
  },
};

describe('kaitoEntityName', () => {
  it('is <workspace>.<namespace>.<cluster> when that is a valid name', () => {
    expect(
      kaitoEntityName({
        cluster: 'aks-kaito-dev',
        namespace: 'ml-team',
        name: 'ws',
      }),
    ).toBe('ws.ml-team.aks-kaito-dev');
  });

  it('is truncated with a stable hash when too long', () => {
    const ref = {
      cluster: 'aks-prod-eastus',
      namespace: 'ml-team',
      name: 'x'.repeat(60),
    };
    const name = kaitoEntityName(ref);
    expect(name.length).toBeLessThanOrEqual(63);
    // The scaffolder module's kaitoEntityRef has the same vector.
    expect(name).toBe(`${'x'.repeat(54)}-36d2d322`);
    expect(kaitoEntityName(ref)).toBe(name);
    expect(kaitoEntityName({ ...ref, cluster: 'other' })).not.toBe(name);
  });
});

describe('entities', () => {
  it("selects its one workspace by KAITO's kaito.sh/workspace label, and leaves links out without app.baseUrl", () => {
    const model = tunedModelEntity(owner, {
      cluster: 'c',
      namespace: 'ml-team',
      workspace: 'tune',
      live: true,
    });
    expect(model.metadata.annotations).toMatchObject({
      'backstage.io/kubernetes-id': 'code-assistant',
      'backstage.io/kubernetes-label-selector': 'kaito.sh/workspace=tune',
      'backstage.io/kubernetes-namespace': 'ml-team',
      'backstage.io/kubernetes-cluster': 'c',
    });
    expect(model.metadata.links).toBeUndefined();
    expect(model.spec).toEqual({
      type: 'ai-model',
      owner: 'group:default/ml-team',
      dependencyOf: ['component:default/code-assistant'],
    });
  });

  it('relates an endpoint to the tuned models whose adapter it serves', () => {
    const endpoint = endpointEntity(
      owner,
      {
        cluster: 'c',
        namespace: 'ml-team',
        workspace: 'serve',
        state: 'Ready',
        adapters: [{ name: 'a', image: 'reg.io/a:v1@sha256:0123' }],
        owner: 'group:default/other-team',
      },
      [
        { entityRef: 'resource:default/tune-a', outputImage: 'reg.io/a:v1' },
        { entityRef: 'resource:default/tune-b', outputImage: 'reg.io/b:v1' },
      ],
      { appBaseUrl: 'https://backstage.example.com/' },
    );
    expect(endpoint.spec).toMatchObject({
      type: 'ai-endpoint',
      owner: 'group:default/other-team',
      dependsOn: ['resource:default/tune-a'],
    });
    expect(endpoint.metadata.links?.[2]).toEqual({
      url: 'https://backstage.example.com/catalog/default/component/code-assistant/kaito?workspace=c%2Fml-team%2Fserve&view=chat',
      title: 'Chat',
      icon: 'chat',
    });
  });
});
