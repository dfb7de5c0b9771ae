import { kaitoListProblem, kubernetesQueryProblem } from './answers';

const expected = { workspaces: 3, clusters: 2 };

describe('kaitoListProblem', () => {
  const list = (n: number, errors: unknown[] = []) => ({
    items: Array.from({ length: n }, (_, i) => ({ name: `ws-${i}` })),
    errors,
  });

  it('accepts every workspace and no cluster errors', () => {
    expect(kaitoListProblem(200, list(3), expected)).toBeUndefined();
  });

  it('names the status and the answer otherwise', () => {
    expect(kaitoListProblem(200, list(2), expected)).toMatch(
      /^kaito-backend workspace list: unexpected answer \(HTTP 200\): \{"items"/,
    );
    expect(
      kaitoListProblem(
        200,
        list(3, [{ cluster: 'a', message: 'down' }]),
        expected,
      ),
    ).toContain('down');
    expect(kaitoListProblem(503, { error: 'x' }, expected)).toContain(
      'HTTP 503',
    );
  });
});

describe('kubernetesQueryProblem', () => {
  const cluster = (n: number, errors: unknown[] = []) => ({
    cluster: { name: 'c' },
    errors,
    resources: [{ type: 'customresources', resources: Array(n).fill({}) }],
  });

  it('accepts one error-free item per cluster holding every workspace', () => {
    expect(
      kubernetesQueryProblem(
        200,
        { items: [cluster(2), cluster(1)] },
        expected,
      ),
    ).toBeUndefined();
  });

  it('rejects a missing cluster, a cluster error or a wrong count', () => {
    expect(
      kubernetesQueryProblem(200, { items: [cluster(3)] }, expected),
    ).toBeDefined();
    expect(
      kubernetesQueryProblem(
        200,
        { items: [cluster(2), cluster(1, [{ errorType: 'FETCH_ERROR' }])] },
        expected,
      ),
    ).toContain('FETCH_ERROR');
    expect(
      kubernetesQueryProblem(
        200,
        { items: [cluster(2), cluster(2)] },
        expected,
      ),
    ).toBeDefined();
  });
});
