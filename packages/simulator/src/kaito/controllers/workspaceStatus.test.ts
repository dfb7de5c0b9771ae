import type { KubeObject } from '../../kube/api';
import {
  initialConditions,
  withLifecycle,
} from '../gpuProvisioner/nodeClaimConditions';
import type { Workspace } from '../workspace';
import { nodeSnapshot } from './nodeStatus';
import {
  classifyPodFailure,
  inferenceStatus,
  tuningStatus,
} from './workloadStatus';

const now = new Date('2026-08-01T00:00:00Z');
const ws = (targetNodeCount = 1): Workspace => ({
  apiVersion: 'kaito.sh/v1beta1',
  kind: 'Workspace',
  metadata: { name: 'w', namespace: 'ml' },
  resource: {
    instanceType: 'Standard_NC24ads_A100_v4',
    labelSelector: { matchLabels: { apps: 'w' } },
  },
  inference: { preset: { name: 'phi-3-mini-128k-instruct' } },
  status: { targetNodeCount },
});
const claim = (conditions: KubeObject['status']): KubeObject => ({
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodeClaim',
  metadata: { name: 'ws0123456789', labels: { 'kaito.sh/workspace': 'w' } },
  status: conditions,
});
const node = (gpus: number, ready = true): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: 'n1',
    labels: {
      apps: 'w',
      'karpenter.sh/nodepool': 'kaito',
      'node.kubernetes.io/instance-type': 'Standard_NC24ads_A100_v4',
    },
  },
  status: {
    allocatable: { 'nvidia.com/gpu': String(gpus) },
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
  },
});

describe('node conditions (v0.12)', () => {
  it('surfaces a NodeClaim launch failure in NodeClaimReady and ResourceReady', () => {
    const failed = withLifecycle(
      initialConditions(now),
      'Launched',
      { status: 'False', reason: 'QuotaExceeded', message: 'no quota' },
      now,
    );
    const s = nodeSnapshot(ws(), {
      nodes: [],
      nodeClaims: [claim({ conditions: failed })],
      nodeProvisioner: 'azure-gpu-provisioner',
    });
    expect(s.nodeClaimReady).toEqual({
      status: 'False',
      reason: 'QuotaExceeded',
      message: 'no quota',
    });
    expect(s.resourceReady).toEqual(s.nodeClaimReady);
    expect(s.nodesReady.reason).toBe('NodeNotReady');
  });

  it('reports an in-progress NodeClaim as AwaitingReconciliation', () => {
    const s = nodeSnapshot(ws(), {
      nodes: [],
      nodeClaims: [claim({ conditions: initialConditions(now) })],
      nodeProvisioner: 'azure-gpu-provisioner',
    });
    expect(s.nodeClaimReady).toMatchObject({
      status: 'False',
      reason: 'AwaitingReconciliation',
    });
  });

  it('waits for the GPU device plugin before NodesReady', () => {
    let conditions = initialConditions(now);
    for (const type of ['Launched', 'Registered', 'Initialized'] as const) {
      conditions = withLifecycle(conditions, type, { status: 'True' }, now);
    }
    const ready = claim({ conditions, nodeName: 'n1' });
    const waiting = nodeSnapshot(ws(), {
      nodes: [node(0)],
      nodeClaims: [ready],
      nodeProvisioner: 'azure-gpu-provisioner',
    });
    expect(waiting.nodeClaimReady.status).toBe('True');
    expect(waiting.nodesReady).toMatchObject({
      status: 'False',
      reason: 'NodePluginsNotReady',
    });
    expect(waiting.resourceReady.reason).toBe('NodePluginsNotReady');
    const done = nodeSnapshot(ws(), {
      nodes: [node(1)],
      nodeClaims: [ready],
      nodeProvisioner: 'azure-gpu-provisioner',
    });
    expect(done.resourceReady).toMatchObject({
      status: 'True',
      reason: 'workspaceResourceStatusSuccess',
    });
    expect(done.workerNodes).toEqual(['n1']);
  });

  it('needs no NodeClaim in BYO mode', () => {
    const s = nodeSnapshot(ws(), {
      nodes: [node(1)],
      nodeClaims: [],
      nodeProvisioner: 'byo',
    });
    expect(s.nodeClaimRequired).toBe(false);
    expect(s.resourceReady.status).toBe('True');
  });
});

describe('workload conditions', () => {
  it('follows the tuning Job: pending, running, succeeded, failed on the first failed pod', () => {
    expect(tuningStatus(undefined).state).toBe('Pending');
    expect(
      tuningStatus({ status: { active: 1 } } as unknown as KubeObject).state,
    ).toBe('Pending');
    expect(
      tuningStatus({
        status: { active: 1, ready: 1 },
      } as unknown as KubeObject),
    ).toMatchObject({
      state: 'Running',
      conditions: {
        JobStarted: {
          status: 'True',
          reason: 'WorkspaceTuningJobStatusStarted',
        },
      },
    });
    // The trainer finished and the pusher is uploading: no pod is Ready, still Running.
    const pushing = {
      status: {
        containerStatuses: [
          {
            name: 'w',
            state: { terminated: { reason: 'Completed', exitCode: 0 } },
          },
          { name: 'pusher', state: { running: {} } },
        ],
      },
    } as unknown as KubeObject;
    expect(
      tuningStatus(
        { status: { active: 1, ready: 0 } } as unknown as KubeObject,
        [pushing],
      ).state,
    ).toBe('Running');
    const pulling = {
      status: {
        containerStatuses: [
          { name: 'w', state: { waiting: { reason: 'ImagePullBackOff' } } },
        ],
      },
    } as unknown as KubeObject;
    expect(
      tuningStatus({ status: { active: 1 } } as unknown as KubeObject, [
        pulling,
      ]).state,
    ).toBe('Pending');
    expect(
      tuningStatus({ status: { succeeded: 1 } } as unknown as KubeObject).state,
    ).toBe('Succeeded');
    expect(
      tuningStatus({
        status: { failed: 1, active: 1, ready: 1 },
      } as unknown as KubeObject),
    ).toMatchObject({
      state: 'Failed',
      conditions: { WorkspaceSucceeded: { reason: 'workspaceFailed' } },
    });
  });

  it('classifies why inference pods are not serving', () => {
    const pod = (status: object) =>
      ({ metadata: { name: 'w-0' }, status } as unknown as KubeObject);
    expect(
      classifyPodFailure([
        pod({
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/3 nodes',
            },
          ],
        }),
      ])?.reason,
    ).toBe('Unschedulable');
    expect(
      classifyPodFailure([
        pod({
          containerStatuses: [
            {
              name: 'w',
              state: {
                waiting: { reason: 'ImagePullBackOff', message: 'Back-off' },
              },
            },
          ],
        }),
      ])?.reason,
    ).toBe('ImagePullError');
    expect(
      classifyPodFailure([
        pod({
          containerStatuses: [
            {
              name: 'w',
              restartCount: 2,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
            },
          ],
        }),
      ]),
    ).toMatchObject({ reason: 'ContainerOOMKilled' });
    expect(
      classifyPodFailure([
        pod({
          containerStatuses: [
            {
              name: 'w',
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { reason: 'Error', exitCode: 1 } },
            },
          ],
        }),
      ])?.reason,
    ).toBe('ContainerCrashLoopBackOff');
    expect(
      classifyPodFailure([
        pod({ containerStatuses: [{ name: 'w', state: { running: {} } }] }),
      ]),
    ).toBeUndefined();
  });

  it('turns a Ready inference workspace NotReady, not Pending, when it stops serving', () => {
    const sts = {
      spec: { replicas: 1 },
      status: { readyReplicas: 0 },
    } as unknown as KubeObject;
    expect(inferenceStatus(sts, [], true, 'Ready').state).toBe('NotReady');
    expect(inferenceStatus(sts, [], true, undefined).state).toBe('Pending');
    expect(
      inferenceStatus(
        { ...sts, status: { readyReplicas: 1 } },
        [],
        true,
        'Pending',
      ).state,
    ).toBe('Ready');
  });
});
