import { Entity } from '@backstage/catalog-model';
import { Workspace } from '@kaito-backstage/plugin-kaito-common';
import {
  entityWorkspaceSelector,
  workspaceMatchesEntity,
} from './entityWorkspaces';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'serve.ml-team.aks', annotations },
});

const workspace = (name: string, labels?: Record<string, string>) =>
  ({
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name, namespace: 'ml-team', labels },
  } as Workspace);

describe('entity to workspace mapping', () => {
  it('selects the workspace whose pods KAITO labels kaito.sh/workspace=<name>, as the Kubernetes plugin finds them', () => {
    const selector = entityWorkspaceSelector(
      entity({
        'backstage.io/kubernetes-id': 'support-chatbot',
        'backstage.io/kubernetes-label-selector':
          'kaito.sh/workspace=support-chatbot',
        'backstage.io/kubernetes-namespace': 'ml-team',
      }),
    );
    expect(
      workspaceMatchesEntity(
        workspace('support-chatbot', {
          'backstage.io/kubernetes-id': 'support-chatbot',
        }),
        selector,
      ),
    ).toBe(true);
    expect(
      workspaceMatchesEntity(
        workspace('support-chatbot-tuning', {
          'backstage.io/kubernetes-id': 'support-chatbot',
        }),
        selector,
      ),
    ).toBe(false);
  });

  it('selects a fixed set of workspaces with a set-based selector', () => {
    const selector = entityWorkspaceSelector(
      entity({
        'backstage.io/kubernetes-label-selector':
          'kaito.sh/workspace in (support-chatbot,support-chatbot-tuning)',
      }),
    );
    expect(
      ['support-chatbot', 'support-chatbot-tuning', 'code-assistant'].map(
        name => workspaceMatchesEntity(workspace(name), selector),
      ),
    ).toEqual([true, true, false]);
  });

  it('still selects by the kubernetes-id label without a selector annotation', () => {
    const selector = entityWorkspaceSelector(
      entity({ 'backstage.io/kubernetes-id': 'bot' }),
    );
    expect(
      workspaceMatchesEntity(
        workspace('a', { 'backstage.io/kubernetes-id': 'bot' }),
        selector,
      ),
    ).toBe(true);
    expect(workspaceMatchesEntity(workspace('bot'), selector)).toBe(false);
  });
});
