import {
  INFERENCE_FAILURE_REASONS,
  NODE_PROGRESS_REASONS,
  Workspace,
  WorkspaceCondition,
  WorkspaceConditionReasons as Reasons,
  WorkspaceConditionTypes as Types,
  WorkspaceState,
} from './types';
import { chatCompletionsPath } from './client/routes';
import { inferenceServiceUrl } from './links';

/**
 * What a workspace does: fine-tuning (a Job) or inference (a StatefulSet).
 *
 * @public
 */
export type WorkspaceKind = 'inference' | 'tuning';

/**
 * The phase the suite shows for a workspace. Tuning goes Pending,
 * Provisioning (its nodes), Pending again for the moment between its nodes
 * being ready and its Job starting, Running, then Succeeded or Failed;
 * inference goes Pending, Provisioning, then Ready or NotReady. Deleting
 * applies to both.
 *
 * @public
 */
export type WorkspacePhase =
  | 'Pending'
  | 'Provisioning'
  | 'Running'
  | 'Succeeded'
  | 'Failed'
  | 'Ready'
  | 'NotReady'
  | 'Deleting';

/**
 * A workspace's status reduced to one phase and the condition that decided
 * it.
 *
 * @public
 */
export interface WorkspaceStatusSummary {
  kind: WorkspaceKind;
  phase: WorkspacePhase;
  /** The phase will not change any more (tuning Succeeded or Failed). */
  terminal: boolean;
  /**
   * Something needs attention: a failure, or a provisioning error such as a
   * quota or SKU problem reported on NodeClaimReady.
   */
  problem: boolean;
  /** Type of the condition that decided the phase. */
  conditionType?: string;
  /** Reason of that condition. */
  reason?: string;
  /** Message of that condition. */
  message?: string;
  /** When that condition last changed. */
  since?: string;
  /** `status.state` as KAITO reported it (v0.9+). */
  state?: WorkspaceState;
  /** `status.targetNodeCount` (v0.7+). */
  targetNodeCount?: number;
  /** `status.workerNodes`. */
  workerNodes: string[];
}

/**
 * Whether a workspace fine-tunes (it has `tuning`) or serves.
 *
 * @public
 */
export function workspaceKind(
  workspace: Pick<Workspace, 'tuning' | 'inference'>,
): WorkspaceKind {
  return workspace.tuning ? 'tuning' : 'inference';
}

/**
 * The condition of the given type, if the workspace has it.
 *
 * @public
 */
export function getWorkspaceCondition(
  workspace: Pick<Workspace, 'status'>,
  type: string,
): WorkspaceCondition | undefined {
  return workspace.status?.conditions?.find(c => c.type === type);
}

/**
 * Whether a phase is final (only tuning workspaces finish).
 *
 * @public
 */
export function isTerminalPhase(phase: WorkspacePhase): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

/**
 * Whether a workspace has finished: a tuning workspace that Succeeded or
 * Failed. Inference workspaces never finish.
 *
 * @public
 */
export function isTerminal(workspace: Workspace): boolean {
  return summarizeWorkspaceStatus(workspace).terminal;
}

/**
 * The nodes a workspace is billed for now: the worker nodes KAITO lists
 * for it. Before any exist (provisioning, or stuck on a quota) that is none;
 * a finished run whose nodes are gone is billed for the nodes it asked for.
 *
 * @public
 */
export function billedNodeCount(workspace: Workspace): number {
  const workers = workspace.status?.workerNodes?.length ?? 0;
  if (workers > 0) {
    return workers;
  }
  if (!isTerminal(workspace)) {
    return 0;
  }
  return Math.max(
    1,
    workspace.status?.targetNodeCount ?? workspace.resource?.count ?? 1,
  );
}

const NODE_CONDITION_TYPES = [
  Types.NodeClaimReady,
  Types.MachineReady,
  Types.NodesReady,
  Types.ResourceReady,
];

function summary(
  workspace: Workspace,
  phase: WorkspacePhase,
  condition: WorkspaceCondition | undefined,
  problem = false,
): WorkspaceStatusSummary {
  const status = workspace.status;
  return {
    kind: workspaceKind(workspace),
    phase,
    terminal: isTerminalPhase(phase),
    problem: problem || phase === 'Failed' || phase === 'NotReady',
    ...(condition
      ? {
          conditionType: condition.type,
          ...(condition.reason ? { reason: condition.reason } : {}),
          ...(condition.message ? { message: condition.message } : {}),
          ...(condition.lastTransitionTime
            ? { since: condition.lastTransitionTime }
            : {}),
        }
      : {}),
    ...(status?.state ? { state: status.state } : {}),
    ...(status?.targetNodeCount !== undefined
      ? { targetNodeCount: status.targetNodeCount }
      : {}),
    workerNodes: status?.workerNodes ?? [],
  };
}

/** The first node/resource condition that is not True, most specific first. */
function pendingNodeCondition(
  workspace: Workspace,
): WorkspaceCondition | undefined {
  for (const type of NODE_CONDITION_TYPES) {
    const condition = getWorkspaceCondition(workspace, type);
    if (condition && condition.status !== 'True') {
      return condition;
    }
  }
  return undefined;
}

function isNodeProblem(condition: WorkspaceCondition): boolean {
  return (
    condition.status === 'False' &&
    condition.reason !== undefined &&
    !NODE_PROGRESS_REASONS.includes(condition.reason)
  );
}

function summarizeTuning(workspace: Workspace): WorkspaceStatusSummary {
  const state = workspace.status?.state;
  const succeeded =
    getWorkspaceCondition(workspace, Types.WorkspaceSucceeded) ??
    getWorkspaceCondition(workspace, Types.WorkspaceReady);
  const job = getWorkspaceCondition(workspace, Types.JobStarted);

  if (succeeded?.status === 'True') {
    return summary(workspace, 'Succeeded', succeeded);
  }
  if (
    succeeded?.status === 'False' &&
    succeeded.reason === Reasons.WorkspaceFailed
  ) {
    return summary(workspace, 'Failed', succeeded);
  }
  if (job?.status === 'False' && job.reason === Reasons.TuningJobFailed) {
    return summary(workspace, 'Failed', job);
  }
  if (state === 'Failed') {
    return summary(workspace, 'Failed', succeeded ?? job);
  }
  if (state === 'Succeeded') {
    return summary(workspace, 'Succeeded', succeeded);
  }
  if (job?.status === 'True' || state === 'Running') {
    return summary(workspace, 'Running', job);
  }
  const node = pendingNodeCondition(workspace);
  if (node) {
    return summary(workspace, 'Provisioning', node, isNodeProblem(node));
  }
  return summary(workspace, 'Pending', job ?? succeeded);
}

function summarizeInference(workspace: Workspace): WorkspaceStatusSummary {
  const state = workspace.status?.state;
  const inference = getWorkspaceCondition(workspace, Types.InferenceReady);
  const succeeded =
    getWorkspaceCondition(workspace, Types.WorkspaceSucceeded) ??
    getWorkspaceCondition(workspace, Types.WorkspaceReady);

  if (inference?.status === 'True') {
    return summary(workspace, 'Ready', inference);
  }
  if (!inference && state === 'Ready') {
    return summary(workspace, 'Ready', succeeded);
  }
  if (
    inference?.status === 'False' &&
    inference.reason !== undefined &&
    INFERENCE_FAILURE_REASONS.includes(inference.reason)
  ) {
    return summary(workspace, 'NotReady', inference);
  }
  const node = pendingNodeCondition(workspace);
  if (node && isNodeProblem(node)) {
    return summary(workspace, 'Provisioning', node, true);
  }
  if (state === 'NotReady') {
    return summary(workspace, 'NotReady', node ?? inference ?? succeeded);
  }
  if (node) {
    return summary(workspace, 'Provisioning', node);
  }
  return summary(workspace, 'Pending', inference ?? succeeded);
}

/**
 * Reduces a workspace's status to the phase the suite shows, plus the
 * condition that decided it. Works from conditions first, so it also reads
 * KAITO versions before v0.9 that have no `status.state`.
 *
 * @public
 */
export function summarizeWorkspaceStatus(
  workspace: Workspace,
): WorkspaceStatusSummary {
  const deleting = getWorkspaceCondition(workspace, Types.WorkspaceDeleting);
  if (workspace.metadata.deletionTimestamp || deleting?.status === 'True') {
    return summary(
      workspace,
      'Deleting',
      deleting?.status === 'True' ? deleting : undefined,
    );
  }
  return workspaceKind(workspace) === 'tuning'
    ? summarizeTuning(workspace)
    : summarizeInference(workspace);
}

/**
 * The in-cluster URL of an inference workspace's Service (port 80, which
 * forwards to the model server's port 5000).
 *
 * @public
 */
export function workspaceServiceUrl(workspace: Workspace): string | undefined {
  const { name, namespace } = workspace.metadata;
  if (!name || !namespace || workspaceKind(workspace) !== 'inference') {
    return undefined;
  }
  return inferenceServiceUrl({ namespace, name });
}

/**
 * Where an inference workspace serves: its Service's in-cluster URL and
 * the path of the backend's chat proxy for it (relative to `/api/kaito`);
 * undefined for a tuning workspace.
 *
 * @public
 */
export function workspaceEndpoint(
  cluster: string,
  workspace: Workspace,
): { serviceUrl: string; chatPath: string } | undefined {
  const serviceUrl = workspaceServiceUrl(workspace);
  if (!serviceUrl) return undefined;
  const { name, namespace } = workspace.metadata;
  return {
    serviceUrl,
    chatPath: chatCompletionsPath({ cluster, namespace: namespace!, name: name! }),
  };
}
