import { entityTabPath, workspaceTabPath } from './links';

describe('links', () => {
  it('builds entity tab paths', () => {
    expect(entityTabPath('component:default/support-chatbot')).toBe(
      '/catalog/default/component/support-chatbot/kaito',
    );
    expect(entityTabPath('Component:Team-A/x')).toBe(
      '/catalog/team-a/component/x/kaito',
    );
    expect(
      workspaceTabPath(
        'component:default/support-chatbot',
        { cluster: 'c', namespace: 'n', name: 'w' },
        'chat',
      ),
    ).toBe(
      '/catalog/default/component/support-chatbot/kaito?workspace=c%2Fn%2Fw&view=chat',
    );
  });

  it('encodes a workspace ref the way the tab parses it', () => {
    expect(
      workspaceTabPath(
        { kind: 'Component', namespace: 'default', name: 'bot' },
        { cluster: 'c', namespace: 'n', name: 'w' },
      ),
    ).toBe('/catalog/default/component/bot/kaito?workspace=c%2Fn%2Fw');
    expect(entityTabPath('not a ref')).toBeUndefined();
  });
});
