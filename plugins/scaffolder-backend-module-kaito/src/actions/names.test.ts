import { isDns1123Label } from '@kaito-backstage/plugin-kaito-common';
import { adapterNameFrom, defaultWorkspaceName } from './names';

describe('names', () => {
  it('derives stable, valid workspace names per task and step', () => {
    const a = defaultWorkspaceName({
      entityRef: 'component:default/support-chatbot',
      kind: 'tuning',
      taskId: 't1',
      stepId: 's1',
    });
    expect(a).toMatch(/^support-chatbot-tune-[0-9a-f]{6}$/);
    expect(
      defaultWorkspaceName({
        entityRef: 'component:default/support-chatbot',
        kind: 'tuning',
        taskId: 't1',
        stepId: 's1',
      }),
    ).toBe(a);
    expect(
      defaultWorkspaceName({
        entityRef: 'component:default/support-chatbot',
        kind: 'tuning',
        taskId: 't2',
        stepId: 's1',
      }),
    ).not.toBe(a);
    const long = defaultWorkspaceName({
      entityRef: `component:default/${'Very_Long.Entity-Name'.repeat(5)}`,
      kind: 'inference',
      taskId: 't1',
    });
    expect(isDns1123Label(long)).toBe(true);
    expect(long).toMatch(/-serve-[0-9a-f]{6}$/);
  });

  it('derives adapter names from images and claims', () => {
    expect(
      adapterNameFrom('kaitodemo.azurecr.io/adapters/support-chatbot-phi-3:v1'),
    ).toBe('support-chatbot-phi-3-v1');
    expect(adapterNameFrom('registry/a/b@sha256:abc')).toBe('b');
    expect(adapterNameFrom('my-claim')).toBe('my-claim');
  });
});
