import { StatusError } from './errors';
import { parseFieldSelector } from './fieldSelector';

describe('parseFieldSelector', () => {
  const pod = {
    metadata: { name: 'web-0', namespace: 'default' },
    spec: { nodeName: 'aks-gpu-1', priority: 0 },
    status: { phase: 'Running' },
  };
  const event = {
    involvedObject: { kind: 'Pod', name: 'web-0' },
    reason: 'Pulled',
  };

  it.each([
    ['metadata.name=web-0', pod, true],
    ['metadata.name==web-0', pod, true],
    ['metadata.name!=web-0', pod, false],
    ['metadata.namespace=default,status.phase=Running', pod, true],
    ['status.phase!=Running', pod, false],
    ['spec.nodeName=aks-gpu-1', pod, true],
    ['spec.priority=0', pod, true],
    ['spec.schedulerName=', pod, true],
    ['involvedObject.name=web-0,involvedObject.kind=Pod', event, true],
    ['involvedObject.name=other', event, false],
    ['', pod, true],
  ])('%s', (selector, obj, expected) => {
    expect(parseFieldSelector(selector).matches(obj)).toBe(expected);
  });

  it('unescapes \\, \\= and \\\\ in values', () => {
    const obj = { metadata: { name: 'a,b=c\\d' } };
    expect(
      parseFieldSelector('metadata.name=a\\,b\\=c\\\\d').matches(obj),
    ).toBe(true);
  });

  it.each(['metadata.name', '=x', 'metadata.name=a=b'])(
    'rejects %s with 400',
    selector => {
      let thrown: unknown;
      try {
        parseFieldSelector(selector);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(StatusError);
      expect((thrown as StatusError).code).toBe(400);
    },
  );
});
