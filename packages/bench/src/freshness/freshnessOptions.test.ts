import { DEFAULT_OPTIONS, parseArgs } from './freshnessOptions';

describe('bench:freshness options', () => {
  it('defaults to 50 changes of the demo endpoint, with the Kubernetes tab', () => {
    expect(parseArgs([])).toEqual({ ...DEFAULT_OPTIONS, help: false });
    expect(DEFAULT_OPTIONS).toMatchObject({
      samples: 50,
      entity: 'support-chatbot',
      workspace: 'support-chatbot',
      kubernetesTab: true,
    });
  });

  it('reads its flags and refuses unknown ones', () => {
    expect(
      parseArgs([
        '--samples',
        '5',
        '--no-kubernetes-tab',
        '--json',
        '/tmp/x.json',
      ]),
    ).toMatchObject({ samples: 5, kubernetesTab: false, json: '/tmp/x.json' });
    expect(() => parseArgs(['--samples', '0'])).toThrow(
      '--samples must be a positive whole number',
    );
    expect(() => parseArgs(['--frobnicate'])).toThrow(
      'unknown option --frobnicate',
    );
    expect(() => parseArgs(['--entity'])).toThrow('--entity needs a value');
  });
});
