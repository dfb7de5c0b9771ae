import { Entity } from '@backstage/catalog-model';
import {
  getEntityKubernetesId,
  getEntityKubernetesNamespace,
  getEntityLabelSelector,
  isKaitoAvailable,
  isReservedLabelKey,
  workspaceSelectorLabels,
} from './annotations';

function entity(annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'support-bot', annotations },
  };
}

describe('entity annotations', () => {
  it('detects entities mapped to Kubernetes', () => {
    expect(isKaitoAvailable(entity())).toBe(false);
    expect(
      isKaitoAvailable(entity({ 'backstage.io/kubernetes-id': 'bot' })),
    ).toBe(true);
    expect(
      isKaitoAvailable(
        entity({ 'backstage.io/kubernetes-label-selector': 'app=bot' }),
      ),
    ).toBe(true);
    expect(isKaitoAvailable(entity({ 'backstage.io/kubernetes-id': '' }))).toBe(
      false,
    );
  });

  it('computes the id and selector like the Kubernetes plugin', () => {
    expect(getEntityKubernetesId(entity())).toBe('support-bot');
    expect(
      getEntityKubernetesId(entity({ 'backstage.io/kubernetes-id': 'bot' })),
    ).toBe('bot');
    expect(getEntityLabelSelector(entity())).toBe(
      'backstage.io/kubernetes-id=support-bot',
    );
    expect(
      getEntityLabelSelector(
        entity({ 'backstage.io/kubernetes-label-selector': 'app=bot' }),
      ),
    ).toBe('app=bot');
  });

  it("matches workspaces by their labels and by KAITO's kaito.sh/workspace label of their pods", () => {
    expect(
      workspaceSelectorLabels({
        metadata: {
          name: 'serve',
          labels: {
            'backstage.io/kubernetes-id': 'bot',
            'kaito.sh/workspace': 'stale',
          },
        },
      }),
    ).toEqual({
      'backstage.io/kubernetes-id': 'bot',
      'kaito.sh/workspace': 'serve',
    });
    expect(workspaceSelectorLabels({ metadata: { name: 'tune' } })).toEqual({
      'kaito.sh/workspace': 'tune',
    });
  });

  it('reads the namespace annotation', () => {
    expect(getEntityKubernetesNamespace(entity())).toBeUndefined();
    expect(
      getEntityKubernetesNamespace(
        entity({ 'backstage.io/kubernetes-namespace': 'ml' }),
      ),
    ).toBe('ml');
  });

  it('knows KAITO-reserved label keys', () => {
    expect(isReservedLabelKey('kaito.sh/workspace')).toBe(true);
    expect(isReservedLabelKey('karpenter.sh/nodepool')).toBe(true);
    expect(isReservedLabelKey('apps')).toBe(false);
  });
});
