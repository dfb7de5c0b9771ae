import { Entity } from '@backstage/catalog-model';
import { EntityMappings } from './EntityMappings';

function component(
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {},
  };
}

describe('EntityMappings', () => {
  it('finds the entity of the entity-ref annotation without any read', () => {
    const mappings = new EntityMappings();
    expect(
      mappings.entitiesOf({
        namespace: 'ml',
        annotations: {
          'kaito.backstage.io/entity-ref': 'Component:default/ChatBot',
        },
      }),
    ).toEqual(['component:default/chatbot']);
  });

  it('maps by kubernetes-id (the name by default), label selector and namespace, as the Kubernetes plugin does', () => {
    const mappings = new EntityMappings();
    mappings.remember(component('chatbot'));
    mappings.remember(
      component('renamed', { 'backstage.io/kubernetes-id': 'bot' }),
    );
    mappings.remember(
      component('search', {
        'backstage.io/kubernetes-label-selector': 'team=search,app in (ranker)',
        'backstage.io/kubernetes-namespace': 'search',
      }),
    );
    const of = (namespace: string, labels: Record<string, string>) =>
      mappings.entitiesOf({ namespace, labels }).sort();
    expect(of('ml', { 'backstage.io/kubernetes-id': 'chatbot' })).toEqual([
      'component:default/chatbot',
    ]);
    expect(of('ml', { 'backstage.io/kubernetes-id': 'bot' })).toEqual([
      'component:default/renamed',
    ]);
    expect(of('search', { team: 'search', app: 'ranker' })).toEqual([
      'component:default/search',
    ]);
    // Wrong namespace, or a label that does not match: nobody.
    expect(of('ml', { team: 'search', app: 'ranker' })).toEqual([]);
    expect(of('search', { team: 'search', app: 'indexer' })).toEqual([]);
  });

  it('follows a changed mapping and keeps only the most recently read entities', () => {
    const mappings = new EntityMappings(2);
    mappings.remember(component('a'));
    mappings.remember(component('a', { 'backstage.io/kubernetes-id': 'x' }));
    expect(mappings.size).toBe(1);
    expect(
      mappings.entitiesOf({ labels: { 'backstage.io/kubernetes-id': 'a' } }),
    ).toEqual([]);
    expect(
      mappings.entitiesOf({ labels: { 'backstage.io/kubernetes-id': 'x' } }),
    ).toEqual(['component:default/a']);
    mappings.remember(component('b'));
    mappings.remember(component('c'));
    expect(mappings.size).toBe(2);
    expect(
      mappings.entitiesOf({ labels: { 'backstage.io/kubernetes-id': 'x' } }),
    ).toEqual([]);
  });

  it('ignores an entity with an invalid selector', () => {
    const mappings = new EntityMappings();
    mappings.remember(
      component('bad', { 'backstage.io/kubernetes-label-selector': 'a in b' }),
    );
    expect(mappings.size).toBe(0);
  });
});
