/**
 * The status KAITO v0.12's controller has written on a benchmark workspace
 * in each scenario: conditions, reasons and messages as the simulator's
 * controllers compute them, the state, and the Nodes its
 * `status.workerNodes` name.
 */
import type {
  WorkspaceCondition,
  WorkspaceState,
} from '@kaito-backstage/plugin-kaito-common';

export type Scenario =
  | 'inference-ready'
  | 'inference-provisioning'
  | 'inference-pending'
  | 'inference-crashloop'
  | 'tuning-succeeded'
  | 'tuning-running'
  | 'tuning-failed';

export interface NodeFixture {
  name: string;
  instanceType: string;
  gpus: number;
  matchLabels: Record<string, string>;
  ready: boolean;
  createdAt: Date;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

function condition(
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  at: number,
): WorkspaceCondition {
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: iso(at),
    observedGeneration: 1,
  };
}

export function scenarioStatus(
  scenario: Scenario,
  {
    name,
    namespace,
    at,
    random,
    node,
  }: {
    name: string;
    namespace: string;
    /** The epoch milliseconds `minutes` after the workspace was created. */
    at: (minutes: number) => number;
    random: () => number;
    /** The workspace's node, Ready or not. */
    node: (ready: boolean) => NodeFixture;
  },
): {
  conditions: WorkspaceCondition[];
  state: WorkspaceState;
  nodes: NodeFixture[];
} {
  const claimsReady = condition(
    'NodeClaimReady',
    'True',
    'NodeClaimsReady',
    'Enough NodeClaims are ready',
    at(6),
  );
  const nodesReady = condition(
    'NodesReady',
    'True',
    'NodesReady',
    'Enough Nodes are ready',
    at(8),
  );
  const resourceReady = condition(
    'ResourceReady',
    'True',
    'workspaceResourceStatusSuccess',
    'workspace resource is ready',
    at(8),
  );
  /** Nodes provisioned and ready: the first three conditions of a workspace past provisioning. */
  const ready = [claimsReady, nodesReady, resourceReady];
  const jobStarted = condition(
    'JobStarted',
    'True',
    'WorkspaceTuningJobStatusStarted',
    'Tuning job has started',
    at(12),
  );
  const inferencePending = [
    condition(
      'InferenceReady',
      'False',
      'WorkspaceInferenceStatusPending',
      'Inference workload is not ready',
      at(0.2),
    ),
    condition(
      'WorkspaceSucceeded',
      'False',
      'workspacePending',
      'workspace is waiting for inference workload readiness',
      at(0.2),
    ),
  ];
  let conditions: WorkspaceCondition[];
  let state: WorkspaceState;
  let nodes: NodeFixture[] = [node(true)];
  switch (scenario) {
    case 'inference-ready':
      state = 'Ready';
      conditions = [
        ...ready,
        condition(
          'InferenceReady',
          'True',
          'WorkspaceInferenceStatusSuccess',
          'Inference has been deployed successfully',
          at(14),
        ),
        condition(
          'WorkspaceSucceeded',
          'True',
          'workspaceSucceeded',
          'workspace succeeds',
          at(14),
        ),
      ];
      break;
    case 'inference-provisioning': {
      state = 'Pending';
      nodes = [];
      const notEnough = [
        'False',
        'NodeClaimNotReady',
        'Ready NodeClaims are not enough',
      ] as const;
      conditions = [
        condition('NodeClaimReady', ...notEnough, at(0.2)),
        condition(
          'NodesReady',
          'False',
          'NodeNotReady',
          'Not enough Nodes are ready',
          at(0.2),
        ),
        condition('ResourceReady', ...notEnough, at(0.2)),
        ...inferencePending,
      ];
      break;
    }
    case 'inference-pending':
      state = 'Pending';
      conditions = [...ready, ...inferencePending];
      break;
    case 'inference-crashloop':
      state = 'NotReady';
      conditions = [
        ...ready,
        condition(
          'InferenceReady',
          'False',
          'ContainerCrashLoopBackOff',
          `pod ${name}-0 container ${name}: back-off 5m0s restarting failed container=${name} pod=${name}-0_${namespace}`,
          at(40),
        ),
        condition(
          'WorkspaceSucceeded',
          'False',
          'workspacePending',
          'workspace is waiting for inference workload readiness',
          at(40),
        ),
      ];
      break;
    case 'tuning-succeeded':
      state = 'Succeeded';
      conditions = [
        ...ready,
        jobStarted,
        condition(
          'WorkspaceSucceeded',
          'True',
          'workspaceSucceeded',
          'workspace succeeds',
          at(12 + 45 + random() * 240),
        ),
      ];
      break;
    case 'tuning-running':
      state = 'Running';
      conditions = [
        ...ready,
        jobStarted,
        condition(
          'WorkspaceSucceeded',
          'False',
          'workspacePending',
          'workspace has not completed yet, tuning job is running',
          at(12),
        ),
      ];
      break;
    case 'tuning-failed':
    default:
      state = 'Failed';
      conditions = [
        ...ready,
        condition(
          'JobStarted',
          'False',
          'WorkspaceTuningJobStatusFailed',
          'tuning job failed',
          at(30),
        ),
        condition(
          'WorkspaceSucceeded',
          'False',
          'workspaceFailed',
          'tuning job failed',
          at(30),
        ),
      ];
      break;
  }
  return { conditions, state, nodes };
}
