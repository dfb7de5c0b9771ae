import {
  getWorkspaceCondition,
  isTerminal,
  isTerminalPhase,
  summarizeWorkspaceStatus,
  workspaceKind,
  workspaceServiceUrl,
  WorkspacePhase,
  billedNodeCount,
} from './status';
import { Workspace, WorkspaceCondition } from './types';

function condition(
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message = '',
): WorkspaceCondition {
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: '2026-01-01T00:00:00Z',
  };
}

function workspace(
  kind: 'tuning' | 'inference',
  status: Workspace['status'],
  metadata: Partial<Workspace['metadata']> = {},
): Workspace {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name: 'bot', namespace: 'ml', ...metadata },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: 'bot' } },
    },
    ...(kind === 'tuning'
      ? {
          tuning: {
            preset: { name: 'phi-3-mini-128k-instruct' },
            method: 'qlora',
            input: { urls: ['https://example.com/d.jsonl'] },
            output: { image: 'acr.io/a:v1', imagePushSecret: 's' },
          },
        }
      : { inference: { preset: { name: 'phi-3-mini-128k-instruct' } } }),
    status,
  };
}

const quota = condition(
  'NodeClaimReady',
  'False',
  'QuotaExceeded',
  'Operation could not be completed as it results in exceeding approved standardNCADSA100v4Family Cores quota',
);

const cases: Array<{
  title: string;
  ws: Workspace;
  phase: WorkspacePhase;
  reason?: string;
  conditionType?: string;
  problem: boolean;
}> = [
  {
    title: 'tuning without status',
    ws: workspace('tuning', undefined),
    phase: 'Pending',
    problem: false,
  },
  {
    title: 'tuning waiting for nodes',
    ws: workspace('tuning', {
      state: 'Pending',
      conditions: [
        condition('NodeClaimReady', 'False', 'NodeClaimNotReady'),
        condition('ResourceReady', 'False', 'NodeClaimNotReady'),
      ],
    }),
    phase: 'Provisioning',
    reason: 'NodeClaimNotReady',
    conditionType: 'NodeClaimReady',
    problem: false,
  },
  {
    title: 'tuning blocked by quota',
    ws: workspace('tuning', {
      state: 'Pending',
      conditions: [quota, condition('ResourceReady', 'False', 'QuotaExceeded')],
    }),
    phase: 'Provisioning',
    reason: 'QuotaExceeded',
    conditionType: 'NodeClaimReady',
    problem: true,
  },
  {
    title: 'tuning nodes ready, job pending',
    ws: workspace('tuning', {
      conditions: [
        condition('ResourceReady', 'True', 'workspaceResourceStatusSuccess'),
        condition('JobStarted', 'False', 'WorkspaceTuningJobStatusPending'),
      ],
    }),
    phase: 'Pending',
    reason: 'WorkspaceTuningJobStatusPending',
    conditionType: 'JobStarted',
    problem: false,
  },
  {
    title: 'tuning running',
    ws: workspace('tuning', {
      state: 'Running',
      conditions: [
        condition('ResourceReady', 'True', 'workspaceResourceStatusSuccess'),
        condition('JobStarted', 'True', 'WorkspaceTuningJobStatusStarted'),
        condition('WorkspaceSucceeded', 'False', 'workspacePending'),
      ],
    }),
    phase: 'Running',
    reason: 'WorkspaceTuningJobStatusStarted',
    conditionType: 'JobStarted',
    problem: false,
  },
  {
    title: 'tuning running on KAITO before v0.9 (no state)',
    ws: workspace('tuning', {
      conditions: [
        condition('JobStarted', 'True', 'WorkspaceTuningJobStatusStarted'),
      ],
    }),
    phase: 'Running',
    reason: 'WorkspaceTuningJobStatusStarted',
    conditionType: 'JobStarted',
    problem: false,
  },
  {
    title: 'tuning succeeded',
    ws: workspace('tuning', {
      state: 'Succeeded',
      conditions: [
        condition('JobStarted', 'True', 'WorkspaceTuningJobStatusStarted'),
        condition('WorkspaceSucceeded', 'True', 'workspaceSucceeded'),
      ],
    }),
    phase: 'Succeeded',
    reason: 'workspaceSucceeded',
    conditionType: 'WorkspaceSucceeded',
    problem: false,
  },
  {
    title: 'tuning failed',
    ws: workspace('tuning', {
      state: 'Failed',
      conditions: [
        condition(
          'JobStarted',
          'False',
          'WorkspaceTuningJobStatusFailed',
          'job failed',
        ),
        condition(
          'WorkspaceSucceeded',
          'False',
          'workspaceFailed',
          'tuning job bot failed',
        ),
      ],
    }),
    phase: 'Failed',
    reason: 'workspaceFailed',
    conditionType: 'WorkspaceSucceeded',
    problem: true,
  },
  {
    title: 'tuning failed, only JobStarted says so',
    ws: workspace('tuning', {
      conditions: [
        condition(
          'JobStarted',
          'False',
          'WorkspaceTuningJobStatusFailed',
          'job failed',
        ),
      ],
    }),
    phase: 'Failed',
    reason: 'WorkspaceTuningJobStatusFailed',
    conditionType: 'JobStarted',
    problem: true,
  },
  {
    title: 'tuning v0.3 WorkspaceReady',
    ws: workspace('tuning', {
      conditions: [condition('WorkspaceReady', 'True', 'workspaceReady')],
    }),
    phase: 'Succeeded',
    reason: 'workspaceReady',
    conditionType: 'WorkspaceReady',
    problem: false,
  },
  {
    title: 'inference without status',
    ws: workspace('inference', {}),
    phase: 'Pending',
    problem: false,
  },
  {
    title: 'inference provisioning nodes',
    ws: workspace('inference', {
      state: 'Pending',
      conditions: [
        condition('NodeClaimReady', 'True', 'NodeClaimsReady'),
        condition('NodesReady', 'False', 'NodePluginsNotReady'),
      ],
    }),
    phase: 'Provisioning',
    reason: 'NodePluginsNotReady',
    conditionType: 'NodesReady',
    problem: false,
  },
  {
    title: 'inference blocked by quota',
    ws: workspace('inference', { state: 'NotReady', conditions: [quota] }),
    phase: 'Provisioning',
    reason: 'QuotaExceeded',
    conditionType: 'NodeClaimReady',
    problem: true,
  },
  {
    title: 'inference loading the model',
    ws: workspace('inference', {
      state: 'Pending',
      conditions: [
        condition('ResourceReady', 'True', 'workspaceResourceStatusSuccess'),
        condition('InferenceReady', 'False', 'WorkspaceInferenceStatusPending'),
      ],
    }),
    phase: 'Pending',
    reason: 'WorkspaceInferenceStatusPending',
    conditionType: 'InferenceReady',
    problem: false,
  },
  {
    title: 'inference ready',
    ws: workspace('inference', {
      state: 'Ready',
      conditions: [
        condition('ResourceReady', 'True', 'workspaceResourceStatusSuccess'),
        condition('InferenceReady', 'True', 'WorkspaceInferenceStatusSuccess'),
        condition('WorkspaceSucceeded', 'True', 'workspaceSucceeded'),
      ],
    }),
    phase: 'Ready',
    reason: 'WorkspaceInferenceStatusSuccess',
    conditionType: 'InferenceReady',
    problem: false,
  },
  {
    title: 'inference OOM-killed',
    ws: workspace('inference', {
      state: 'NotReady',
      conditions: [
        condition('ResourceReady', 'True', 'workspaceResourceStatusSuccess'),
        condition(
          'InferenceReady',
          'False',
          'ContainerOOMKilled',
          'container bot was OOMKilled',
        ),
      ],
    }),
    phase: 'NotReady',
    reason: 'ContainerOOMKilled',
    conditionType: 'InferenceReady',
    problem: true,
  },
  {
    title: 'inference NotReady without a specific reason',
    ws: workspace('inference', {
      state: 'NotReady',
      conditions: [
        condition('ResourceReady', 'True', 'workspaceResourceStatusSuccess'),
        condition('InferenceReady', 'False', 'WorkspaceInferenceStatusPending'),
      ],
    }),
    phase: 'NotReady',
    reason: 'WorkspaceInferenceStatusPending',
    conditionType: 'InferenceReady',
    problem: true,
  },
  {
    title: 'deleting (finalizer running)',
    ws: workspace(
      'inference',
      {
        conditions: [
          condition('WorkspaceDeleting', 'True', 'workspaceDeleted'),
        ],
      },
      { deletionTimestamp: '2026-01-02T00:00:00Z' },
    ),
    phase: 'Deleting',
    reason: 'workspaceDeleted',
    conditionType: 'WorkspaceDeleting',
    problem: false,
  },
  {
    title: 'deleting (timestamp only)',
    ws: workspace(
      'tuning',
      { state: 'Succeeded' },
      { deletionTimestamp: '2026-01-02T00:00:00Z' },
    ),
    phase: 'Deleting',
    problem: false,
  },
];

describe('summarizeWorkspaceStatus', () => {
  it.each(cases.map(c => [c.title, c] as const))('%s', (_, c) => {
    const result = summarizeWorkspaceStatus(c.ws);
    expect(result.phase).toBe(c.phase);
    expect(result.reason).toBe(c.reason);
    expect(result.problem).toBe(c.problem);
    expect(result.conditionType).toBe(c.conditionType);
    expect(result.terminal).toBe(
      c.phase === 'Succeeded' || c.phase === 'Failed',
    );
  });

  it('carries the message, state, node count and workers', () => {
    expect(
      summarizeWorkspaceStatus(
        workspace('tuning', {
          state: 'Pending',
          targetNodeCount: 1,
          workerNodes: [],
          conditions: [quota],
        }),
      ),
    ).toEqual({
      kind: 'tuning',
      phase: 'Provisioning',
      terminal: false,
      problem: true,
      conditionType: 'NodeClaimReady',
      reason: 'QuotaExceeded',
      message: quota.message,
      since: '2026-01-01T00:00:00Z',
      state: 'Pending',
      targetNodeCount: 1,
      workerNodes: [],
    });
  });
});

describe('when a failed tuning run ended', () => {
  it('is when its Job failed, not when WorkspaceSucceeded first went False', () => {
    const at = (c: WorkspaceCondition, time: string) => ({
      ...c,
      lastTransitionTime: time,
    });
    const ws = workspace('tuning', {
      state: 'Failed',
      conditions: [
        at(
          condition('JobStarted', 'False', 'WorkspaceTuningJobStatusFailed'),
          '2026-10-01T16:05:12Z',
        ),
        // Pending, then failed: the status stayed False.
        at(
          condition('WorkspaceSucceeded', 'False', 'workspaceFailed'),
          '2026-10-01T15:46:09Z',
        ),
      ],
    });
    expect(summarizeWorkspaceStatus(ws)).toMatchObject({
      phase: 'Failed',
      conditionType: 'WorkspaceSucceeded',
      since: '2026-10-01T16:05:12Z',
    });
  });
});

describe('helpers', () => {
  it('tells the workspace kind', () => {
    expect(workspaceKind(workspace('tuning', {}))).toBe('tuning');
    expect(workspaceKind(workspace('inference', {}))).toBe('inference');
  });

  it('finds conditions', () => {
    const ws = workspace('inference', { conditions: [quota] });
    expect(getWorkspaceCondition(ws, 'NodeClaimReady')).toBe(quota);
    expect(getWorkspaceCondition(ws, 'InferenceReady')).toBeUndefined();
  });

  it('knows terminal phases', () => {
    expect(isTerminalPhase('Succeeded')).toBe(true);
    expect(isTerminalPhase('Failed')).toBe(true);
    expect(isTerminalPhase('NotReady')).toBe(false);
    expect(isTerminal(workspace('tuning', { state: 'Succeeded' }))).toBe(true);
    expect(isTerminal(workspace('inference', { state: 'Ready' }))).toBe(false);
  });

  it('builds the in-cluster service URL of inference workspaces', () => {
    expect(workspaceServiceUrl(workspace('inference', {}))).toBe(
      'http://bot.ml.svc.cluster.local:80',
    );
    expect(workspaceServiceUrl(workspace('tuning', {}))).toBeUndefined();
  });
});

describe('billedNodeCount', () => {
  const base = {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name: 'w', namespace: 'ml' },
    resource: { instanceType: 'Standard_NC24ads_A100_v4', count: 2 },
    tuning: { preset: { name: 'phi-4-mini-instruct' }, method: 'qlora' },
  } as const;

  it('counts the worker nodes KAITO lists', () => {
    expect(
      billedNodeCount({
        ...base,
        status: { workerNodes: ['a', 'b', 'c'] },
      } as any),
    ).toBe(3);
  });

  it('bills nothing while the nodes do not exist yet (provisioning, or stuck on quota)', () => {
    const stuck = {
      ...base,
      status: {
        workerNodes: [],
        targetNodeCount: 2,
        conditions: [
          {
            type: 'NodeClaimReady',
            status: 'False',
            reason: 'NodeClaimNotReady',
            message: 'InsufficientCapacityError: quota exceeded',
          },
        ],
      },
    };
    expect(billedNodeCount(stuck as any)).toBe(0);
    expect(billedNodeCount({ ...base } as any)).toBe(0);
  });

  it('bills a finished run whose nodes are gone for the nodes it asked for', () => {
    const done = {
      ...base,
      status: {
        targetNodeCount: 2,
        conditions: [
          { type: 'JobStarted', status: 'True' },
          {
            type: 'WorkspaceSucceeded',
            status: 'True',
            reason: 'WorkspaceSucceeded',
          },
        ],
      },
    };
    expect(billedNodeCount(done as any)).toBe(2);
  });
});
