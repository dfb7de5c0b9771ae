import { StatusError } from './errors';
import { formatLabelSelector, parseLabelSelector } from './labelSelector';

describe('parseLabelSelector', () => {
  const labels = {
    app: 'web',
    tier: 'frontend',
    'kaito.sh/workspace': 'phi-4',
    gpu: '4',
  };

  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app=api', false],
    ['missing!=x', true],
    ['app in (web, api)', true],
    ['app in (api)', false],
    ['app notin (api,db)', true],
    ['missing notin (a)', true],
    ['tier', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['kaito.sh/workspace=phi-4,tier=frontend', true],
    ['kaito.sh/workspace=phi-4,tier=backend', false],
    ['gpu>2', true],
    ['gpu<2', false],
    ['  app = web ,  !missing ', true],
  ])('%s matches: %s', (selector, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  it('treats an empty value as a value', () => {
    expect(parseLabelSelector('app=').matches({ app: '' })).toBe(true);
    expect(parseLabelSelector('app=').matches({ app: 'x' })).toBe(false);
  });

  it('matches nothing but negations when there are no labels', () => {
    expect(parseLabelSelector('app=web').matches(undefined)).toBe(false);
    expect(parseLabelSelector('!app').matches(undefined)).toBe(true);
  });

  it.each([
    'app in web',
    'app=(x)',
    '=x',
    'a,,b',
    'app in ()',
    'bad key!=x',
    'app=-x-',
    'gpu>x',
  ])('rejects %s with a 400 BadRequest', selector => {
    let error: unknown;
    try {
      parseLabelSelector(selector);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).code).toBe(400);
    expect((error as StatusError).reason).toBe('BadRequest');
  });

  it('formats metav1.LabelSelector objects', () => {
    expect(
      formatLabelSelector({
        matchLabels: { apps: 'phi-4' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['b', 'a'] },
          { key: 'x', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('apps=phi-4,tier in (a,b),!x');
  });
});
