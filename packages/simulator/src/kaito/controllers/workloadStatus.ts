import type { KubeObject } from '../../kube/api';
import type { WorkspaceState } from '../constants';
import type { ConditionValue } from './nodeStatus';

/**
 * The workload half of a workspace's status: the tuning Job
 * (`applyTuningWorkspaceStatus`) and the inference StatefulSet
 * (`applyInferenceWorkspaceStatus`, with v0.12's pod failure reasons, #2251).
 */
export interface WorkloadConditions {
  conditions: Record<string, ConditionValue>;
  state: WorkspaceState;
}

const T = (reason: string, message: string): ConditionValue => ({
  status: 'True',
  reason,
  message,
});
const F = (reason: string, message: string): ConditionValue => ({
  status: 'False',
  reason,
  message,
});

/** Whether a pod's main containers ever ran (started, running or finished). */
function containersStarted(pod: KubeObject): boolean {
  const statuses = (
    pod.status as { containerStatuses?: ContainerStatusLite[] } | undefined
  )?.containerStatuses;
  return (statuses ?? []).some(c => c.state?.running || c.state?.terminated);
}

/**
 * The Job has started once its pod's containers run (or it succeeded), so a
 * pod stuck pulling its image leaves JobStarted pending. (KAITO's HEAD
 * counts `job.status.active`, which includes such a pod.)
 */
export function tuningStatus(
  job: KubeObject | undefined,
  pods: KubeObject[] = [],
): WorkloadConditions {
  const status = (job?.status ?? {}) as {
    ready?: number;
    succeeded?: number;
    failed?: number;
  };
  const failed = (status.failed ?? 0) > 0;
  const succeeded = (status.succeeded ?? 0) > 0;
  const started =
    succeeded || (status.ready ?? 0) > 0 || pods.some(containersStarted);
  if (failed) {
    return {
      conditions: {
        JobStarted: F('WorkspaceTuningJobStatusFailed', 'tuning job failed'),
        WorkspaceSucceeded: F('workspaceFailed', 'tuning job failed'),
      },
      state: 'Failed',
    };
  }
  const jobStarted = started
    ? T('WorkspaceTuningJobStatusStarted', 'Tuning job has started')
    : F('WorkspaceTuningJobStatusPending', 'Tuning job has not started');
  if (succeeded) {
    return {
      conditions: {
        JobStarted: jobStarted,
        WorkspaceSucceeded: T('workspaceSucceeded', 'workspace succeeds'),
      },
      state: 'Succeeded',
    };
  }
  return started
    ? {
        conditions: {
          JobStarted: jobStarted,
          WorkspaceSucceeded: F(
            'workspacePending',
            'workspace has not completed yet, tuning job is running',
          ),
        },
        state: 'Running',
      }
    : {
        conditions: {
          JobStarted: jobStarted,
          WorkspaceSucceeded: F(
            'workspacePending',
            'workspace is initializing, tuning job has not started',
          ),
        },
        state: 'Pending',
      };
}

interface ContainerStatusLite {
  name: string;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: { startedAt?: string };
    terminated?: { reason?: string; exitCode?: number };
  };
  lastState?: { terminated?: { reason?: string; exitCode?: number } };
}

/** Why the inference pods are not serving, from their live state (#2251). */
export function classifyPodFailure(
  pods: KubeObject[],
): ConditionValue | undefined {
  for (const pod of pods) {
    const name = pod.metadata.name;
    const status = (pod.status ?? {}) as {
      reason?: string;
      message?: string;
      conditions?: {
        type: string;
        status: string;
        reason?: string;
        message?: string;
      }[];
      initContainerStatuses?: ContainerStatusLite[];
      containerStatuses?: ContainerStatusLite[];
    };
    if (status.reason === 'Evicted') {
      return F(
        'PodEvicted',
        `pod ${name} was evicted: ${status.message ?? ''}`.trim(),
      );
    }
    const scheduled = status.conditions?.find(c => c.type === 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
      return F(
        'Unschedulable',
        `pod ${name} is unschedulable: ${scheduled.message ?? ''}`,
      );
    }
    const containers = [
      ...(status.initContainerStatuses ?? []),
      ...(status.containerStatuses ?? []),
    ];
    for (const c of containers) {
      const waiting = c.state?.waiting;
      if (
        waiting?.reason === 'ErrImagePull' ||
        waiting?.reason === 'ImagePullBackOff' ||
        waiting?.reason === 'InvalidImageName'
      ) {
        return F(
          'ImagePullError',
          `pod ${name} container ${c.name}: ${waiting.reason}: ${
            waiting.message ?? ''
          }`,
        );
      }
      const terminated = c.state?.terminated ?? c.lastState?.terminated;
      if (terminated?.reason === 'OOMKilled') {
        return F(
          'ContainerOOMKilled',
          `pod ${name} container ${c.name} was OOMKilled (exit code ${
            terminated.exitCode ?? 137
          }), restart count ${c.restartCount ?? 0}`,
        );
      }
      if (waiting?.reason === 'CrashLoopBackOff') {
        return F(
          'ContainerCrashLoopBackOff',
          `pod ${name} container ${c.name}: ${
            waiting.message ?? 'CrashLoopBackOff'
          }`,
        );
      }
      if (
        waiting?.reason &&
        [
          'CreateContainerError',
          'CreateContainerConfigError',
          'RunContainerError',
        ].includes(waiting.reason)
      ) {
        return F(
          'ContainerStartError',
          `pod ${name} container ${c.name}: ${waiting.reason}: ${
            waiting.message ?? ''
          }`,
        );
      }
    }
  }
  return undefined;
}

export function inferenceStatus(
  statefulSet: KubeObject | undefined,
  pods: KubeObject[],
  resourceReady: boolean,
  previousState: string | undefined,
): WorkloadConditions {
  const replicas =
    (statefulSet?.spec as { replicas?: number } | undefined)?.replicas ?? 1;
  const readyReplicas =
    (statefulSet?.status as { readyReplicas?: number } | undefined)
      ?.readyReplicas ?? 0;
  const serving = statefulSet !== undefined && readyReplicas === replicas;
  if (serving && resourceReady) {
    return {
      conditions: {
        InferenceReady: T(
          'WorkspaceInferenceStatusSuccess',
          'Inference has been deployed successfully',
        ),
        WorkspaceSucceeded: T('workspaceSucceeded', 'workspace succeeds'),
      },
      state: 'Ready',
    };
  }
  const established = previousState === 'Ready' || previousState === 'NotReady';
  return {
    conditions: {
      InferenceReady:
        classifyPodFailure(pods) ??
        F('WorkspaceInferenceStatusPending', 'Inference workload is not ready'),
      WorkspaceSucceeded: F(
        'workspacePending',
        'workspace is waiting for inference workload readiness',
      ),
    },
    state: established ? 'NotReady' : 'Pending',
  };
}
