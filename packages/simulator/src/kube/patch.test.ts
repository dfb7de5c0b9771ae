import { StatusError } from './errors';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
} from './patch';

describe('applyMergePatch (RFC 7386)', () => {
  it('merges objects, replaces lists and deletes with null', () => {
    expect(
      applyMergePatch(
        { a: 1, b: { c: 2, d: 3 }, list: [1, 2] },
        { a: null, b: { c: 5 }, list: [3], e: 'x' },
      ),
    ).toEqual({ b: { c: 5, d: 3 }, list: [3], e: 'x' });
  });
});

describe('applyJsonPatch (RFC 6902)', () => {
  it('applies operations without touching the input', () => {
    const input = { metadata: { labels: { a: 'b' } }, spec: { replicas: 1 } };
    const out = applyJsonPatch(input, [
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/metadata/labels/c', value: 'd' },
      { op: 'remove', path: '/metadata/labels/a' },
    ]);
    expect(out).toEqual({
      metadata: { labels: { c: 'd' } },
      spec: { replicas: 3 },
    });
    expect(input.spec.replicas).toBe(1);
  });

  it('answers a failed test operation with 422', () => {
    let thrown: unknown;
    try {
      applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(StatusError);
    expect((thrown as StatusError).code).toBe(422);
  });

  it('rejects a non-array body with 400', () => {
    expect(() => applyJsonPatch({}, { op: 'add' })).toThrow(StatusError);
  });
});

describe('applyStrategicMergePatch', () => {
  const pod = {
    metadata: { finalizers: ['a'], labels: { x: '1' } },
    spec: {
      containers: [
        {
          name: 'main',
          image: 'nginx:1',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
          ports: [{ containerPort: 80 }],
        },
        { name: 'side', image: 'busybox' },
      ],
      tolerations: [{ key: 'a' }],
    },
  };

  it('merges lists by their patch merge key', () => {
    const out = applyStrategicMergePatch(pod, {
      spec: {
        containers: [
          { name: 'main', image: 'nginx:2' },
          { name: 'third', image: 'alpine' },
        ],
      },
    }) as any;
    expect(out.spec.containers.map((c: any) => [c.name, c.image])).toEqual([
      ['main', 'nginx:2'],
      ['side', 'busybox'],
      ['third', 'alpine'],
    ]);
    expect(out.spec.containers[0].env).toHaveLength(2);
  });

  it('honours $patch: delete, $setElementOrder and $deleteFromPrimitiveList', () => {
    const out = applyStrategicMergePatch(pod, {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] },
      spec: {
        '$setElementOrder/containers': [{ name: 'side' }, { name: 'main' }],
        containers: [
          {
            name: 'main',
            '$setElementOrder/env': [{ name: 'C' }, { name: 'A' }],
            env: [
              { name: 'C', value: '3' },
              { name: 'B', $patch: 'delete' },
            ],
          },
        ],
      },
    }) as any;
    expect(out.metadata.finalizers).toEqual([]);
    expect(out.spec.containers.map((c: any) => c.name)).toEqual([
      'side',
      'main',
    ]);
    expect(out.spec.containers[1].env).toEqual([
      { name: 'C', value: '3' },
      { name: 'A', value: '1' },
    ]);
  });

  it('replaces lists without a merge key and unions merged primitive lists', () => {
    const out = applyStrategicMergePatch(pod, {
      metadata: { finalizers: ['b'] },
      spec: { tolerations: [{ key: 'b' }] },
    }) as any;
    expect(out.metadata.finalizers).toEqual(['a', 'b']);
    expect(out.spec.tolerations).toEqual([{ key: 'b' }]);
  });

  it('merges Service ports by port and container ports by containerPort', () => {
    const svc = {
      spec: { ports: [{ port: 80, targetPort: 5000 }, { port: 6379 }] },
    };
    const out = applyStrategicMergePatch(svc, {
      spec: { ports: [{ port: 80, targetPort: 8080 }] },
    }) as any;
    expect(out.spec.ports).toEqual([
      { port: 80, targetPort: 8080 },
      { port: 6379 },
    ]);
  });

  it('supports $patch: replace on maps', () => {
    const out = applyStrategicMergePatch(pod, {
      metadata: { labels: { y: '2', $patch: 'replace' } },
    }) as any;
    expect(out.metadata.labels).toEqual({ y: '2' });
  });
});
