import { matchesLabelSelector, parseLabelSelector } from './labelSelector';

describe('label selectors', () => {
  const labels = { app: 'bot', tier: 'ml', 'backstage.io/kubernetes-id': 'x' };

  it.each([
    ['app=bot', true],
    ['app==bot', true],
    ['app!=bot', false],
    ['app=other', false],
    ['backstage.io/kubernetes-id=x,tier=ml', true],
    ['app in (a, bot)', true],
    ['app notin (bot)', false],
    ['missing notin (bot)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['app in (a,b),tier=ml', false],
  ])('%s matches: %s', (selector, expected) => {
    expect(matchesLabelSelector(parseLabelSelector(selector), labels)).toBe(
      expected,
    );
  });

  it('rejects malformed terms', () => {
    expect(() => parseLabelSelector('a=b,=c')).toThrow('"=c"');
    expect(() => parseLabelSelector('a in b')).toThrow('"a in b"');
  });
});
