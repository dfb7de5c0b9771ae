import { JsonPathError, compileJsonPath } from './jsonPath';

describe('compileJsonPath', () => {
  const workspace = {
    resource: { instanceType: 'Standard_NC24ads_A100_v4' },
    metadata: {
      labels: {
        'karpenter.sh/nodepool': 'kaito',
        'node.kubernetes.io/instance-type': 'NC24',
      },
    },
    status: {
      conditions: [
        { type: 'ResourceReady', status: 'True' },
        { type: 'InferenceReady', status: 'False' },
      ],
      targetNodeCount: 2,
    },
    items: [{ name: 'a' }, { name: 'b' }],
  };
  const evaluate = (path: string) => compileJsonPath(path).evaluate(workspace);

  it('follows dotted fields', () => {
    expect(evaluate('.resource.instanceType')).toEqual([
      'Standard_NC24ads_A100_v4',
    ]);
    expect(evaluate('.status.targetNodeCount')).toEqual([2]);
    expect(evaluate('{.status.targetNodeCount}')).toEqual([2]);
    expect(evaluate('$.status.targetNodeCount')).toEqual([2]);
    expect(evaluate('.status.state')).toEqual([]);
  });

  it('supports escaped dots and bracketed keys', () => {
    expect(evaluate('.metadata.labels.karpenter\\.sh/nodepool')).toEqual([
      'kaito',
    ]);
    expect(
      evaluate(".metadata.labels['node.kubernetes.io/instance-type']"),
    ).toEqual(['NC24']);
  });

  it('filters lists the way printer columns use it', () => {
    expect(
      evaluate('.status.conditions[?(@.type=="ResourceReady")].status'),
    ).toEqual(['True']);
    expect(
      evaluate(".status.conditions[?(@.type=='InferenceReady')].status"),
    ).toEqual(['False']);
    expect(
      evaluate('.status.conditions[?(@.type=="JobStarted")].status'),
    ).toEqual([]);
    expect(
      evaluate('.status.conditions[?(@.type!="ResourceReady")].type'),
    ).toEqual(['InferenceReady']);
  });

  it('supports indexes and wildcards', () => {
    expect(evaluate('.items[1].name')).toEqual(['b']);
    expect(evaluate('.items[-1].name')).toEqual(['b']);
    expect(evaluate('.items[*].name')).toEqual(['a', 'b']);
    expect(evaluate('.items[5].name')).toEqual([]);
  });

  it('rejects syntax outside the subset', () => {
    expect(() => compileJsonPath('.items[1:2]')).toThrow(JsonPathError);
    expect(() => compileJsonPath('.items[?(@.a>1)]')).toThrow(JsonPathError);
  });
});
