import type { KubeObject } from '../kube/api';
import { scheduleOnto, tolerates } from './scheduler';

const node = (
  name: string,
  labels: Record<string, string>,
  opts: { ready?: boolean; gpus?: number; taints?: object[] } = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels },
  spec: { taints: opts.taints ?? [] },
  status: {
    allocatable: { 'nvidia.com/gpu': String(opts.gpus ?? 0) },
    conditions: [
      { type: 'Ready', status: opts.ready === false ? 'False' : 'True' },
    ],
  },
});

const gpuPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ml' },
  spec: {
    tolerations: [{ effect: 'NoSchedule', key: 'sku', value: 'gpu' }],
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: 'apps', operator: 'In', values: ['chat'] },
              ],
            },
          ],
        },
      },
    },
    containers: [
      {
        name: 'c',
        image: 'i',
        resources: { limits: { 'nvidia.com/gpu': '1' } },
      },
    ],
  },
};

const gpuTaint = [{ key: 'sku', value: 'gpu', effect: 'NoSchedule' }];

describe('scheduler', () => {
  it('binds to a ready node with the labels, a tolerated taint and a free GPU', () => {
    const nodes = [
      node('cpu', {}),
      node('gpu', { apps: 'chat' }, { gpus: 1, taints: gpuTaint }),
    ];
    expect(scheduleOnto(gpuPod, nodes, () => 0)).toEqual({ nodeName: 'gpu' });
  });

  it('explains why nothing fits, in kube-scheduler wording', () => {
    const nodes = [
      node(
        'a',
        { apps: 'chat' },
        {
          gpus: 1,
          taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }],
        },
      ),
      node('b', { apps: 'other' }, { gpus: 1 }),
      node('c', { apps: 'chat' }, { ready: false, gpus: 1 }),
      node('d', { apps: 'chat' }, { gpus: 1, taints: gpuTaint }),
    ];
    expect(scheduleOnto(gpuPod, nodes, name => (name === 'd' ? 1 : 0))).toEqual(
      {
        message:
          "0/4 nodes are available: 1 Insufficient nvidia.com/gpu, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: infra}, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
      },
    );
  });

  it('matches tolerations like the API', () => {
    expect(
      tolerates([{ operator: 'Exists' }], { key: 'x', effect: 'NoSchedule' }),
    ).toBe(true);
    expect(
      tolerates([{ key: 'sku', operator: 'Equal', value: 'cpu' }], {
        key: 'sku',
        value: 'gpu',
        effect: 'NoSchedule',
      }),
    ).toBe(false);
    expect(
      tolerates([{ key: 'sku', value: 'gpu', effect: 'NoExecute' }], {
        key: 'sku',
        value: 'gpu',
        effect: 'NoSchedule',
      }),
    ).toBe(false);
  });
});
