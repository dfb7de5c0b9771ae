import { kaitoEntityRef, parseEntityRefParts } from './entityRefs';

describe('entity refs', () => {
  it('reads entity refs as the catalog does, and nothing else', () => {
    expect(parseEntityRefParts(' Component:Team-A/support-chatbot ')).toEqual({
      kind: 'component',
      namespace: 'team-a',
      name: 'support-chatbot',
    });
    expect(parseEntityRefParts('group:platform-team')).toEqual({
      kind: 'group',
      namespace: 'default',
      name: 'platform-team',
    });
    for (const bad of [
      'support-chatbot',
      'component:',
      ':x',
      'component:team/',
      '',
    ]) {
      expect(parseEntityRefParts(bad)).toBeUndefined();
    }
  });
});

describe('kaitoEntityRef', () => {
  // The same vectors as kaitoEntityName in the catalog module's tests.
  it('names the catalog entity the KAITO catalog module publishes', () => {
    expect(
      kaitoEntityRef('component:default/support-chatbot', {
        cluster: 'aks-kaito-dev',
        namespace: 'ml-team',
        name: 'ws',
      }),
    ).toBe('resource:default/ws.ml-team.aks-kaito-dev');
    const long = kaitoEntityRef('component:team-a/x', {
      cluster: 'aks-prod-eastus',
      namespace: 'ml-team',
      name: 'x'.repeat(60),
    })!;
    expect(long).toBe(`resource:team-a/${'x'.repeat(54)}-36d2d322`);
    expect(long.length - 'resource:team-a/'.length).toBeLessThanOrEqual(63);
  });
});
