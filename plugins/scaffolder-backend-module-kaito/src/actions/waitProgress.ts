import { KaitoWorkspaceDetail } from '@kaito-backstage/plugin-kaito-node';
import { formatDuration } from './waiting';

/*
 * What `kaito:workspace:wait` reads from a workspace's detail view: whether
 * it reached the target, the progress line it logs, and the step outputs.
 */

export const TARGET_STATES = ['Running', 'Succeeded', 'Ready'] as const;
export type TargetState = (typeof TARGET_STATES)[number];

/** A state to reach, or a condition that must become True. */
export interface WaitTarget {
  condition?: string;
  until?: TargetState;
}

/** The step outputs of a finished wait (its checkpoint value). */
export type WaitResult = {
  kind: 'tuning' | 'inference';
  state: string;
  reason?: string;
  message?: string;
  entityRef?: string;
  endpoint?: string;
  chatPath?: string;
  outputImage?: string;
  outputVolume?: string;
  steps?: number;
  trainLoss?: number;
  finalLoss?: number;
  waitedSeconds: number;
  gpuHours?: number;
  estimatedCostUsd?: number;
};

function conditionIsTrue(detail: KaitoWorkspaceDetail, type: string): boolean {
  return [...(detail.conditions ?? []), ...(detail.timeline ?? [])].some(
    c => c.type === type && c.status === 'True',
  );
}

/** Whether the workspace is where the step waits for it to be. */
export function reached(
  detail: KaitoWorkspaceDetail,
  target: WaitTarget,
): boolean {
  if (target.condition) return conditionIsTrue(detail, target.condition);
  const until = target.until!;
  if (detail.state === until) return true;
  return (
    detail.type === 'tuning' &&
    until === 'Running' &&
    detail.state === 'Succeeded'
  );
}

function lastLoss(detail: KaitoWorkspaceDetail): number | undefined {
  const loss = detail.tuning?.progress?.loss;
  return loss && loss.length > 0 ? loss[loss.length - 1].loss : undefined;
}

/** `step 40/120 (33%), epoch 1.00/3, loss 1.2345` for a running tuning job. */
export function tuningProgress(
  detail: KaitoWorkspaceDetail,
): string | undefined {
  const p = detail.tuning?.progress;
  if (!p) return undefined;
  const parts: string[] = [];
  if (p.step !== undefined) {
    parts.push(
      `step ${p.step}${p.totalSteps ? `/${p.totalSteps}` : ''}${
        p.fraction !== undefined ? ` (${Math.round(p.fraction * 100)}%)` : ''
      }`,
    );
  }
  if (p.epoch !== undefined) {
    parts.push(
      `epoch ${p.epoch.toFixed(2)}${p.totalEpochs ? `/${p.totalEpochs}` : ''}`,
    );
  }
  const loss = lastLoss(detail);
  if (loss !== undefined) parts.push(`loss ${loss.toFixed(4)}`);
  if (p.trainLoss !== undefined)
    parts.push(`train loss ${p.trainLoss.toFixed(4)}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function nodeProgress(detail: KaitoWorkspaceDetail): string {
  const target = detail.nodes?.target;
  const ready = detail.nodes?.ready ?? 0;
  const parts = [`nodes ${ready}/${target ?? '?'} ready`];
  const claims = (detail.nodeClaims ?? []).filter(c => c.ready !== 'True');
  for (const claim of claims.slice(0, 2)) {
    parts.push(
      `NodeClaim ${claim.name}${
        claim.instanceType ? ` (${claim.instanceType})` : ''
      }: ${claim.reason ?? 'provisioning'}${
        claim.message ? ` - ${claim.message}` : ''
      }`,
    );
  }
  return parts.join(', ');
}

/** The progress line of a workspace: phase and reason, nodes, training. */
export function progressLine(
  detail: KaitoWorkspaceDetail,
  waitedMs: number,
): string {
  const s = detail.status;
  const why = s?.reason
    ? ` (${s.conditionType ? `${s.conditionType} ` : ''}${s.reason}${
        s.message ? `: ${s.message}` : ''
      })`
    : '';
  const parts = [
    `${detail.type} workspace ${detail.namespace}/${detail.name}: ${detail.state}${why}`,
  ];
  if (detail.state === 'Pending' || detail.state === 'Provisioning') {
    parts.push(nodeProgress(detail));
  }
  const tuning = tuningProgress(detail);
  if (tuning) parts.push(tuning);
  else if (detail.tuning?.progressError && detail.state === 'Running') {
    parts.push(`progress unavailable: ${detail.tuning.progressError}`);
  }
  parts.push(`waiting ${formatDuration(waitedMs)}`);
  return parts.join(' | ');
}

/** The step outputs of a workspace that reached its target. */
export function toResult(
  detail: KaitoWorkspaceDetail,
  waitedMs: number,
): WaitResult {
  const volume = detail.tuning?.output?.volumeSource as
    | { persistentVolumeClaim?: { claimName?: string } }
    | undefined;
  const p = detail.tuning?.progress;
  const result: WaitResult = {
    kind: detail.type,
    state: detail.state,
    waitedSeconds: Math.round(waitedMs / 1000),
  };
  const set = <K extends keyof WaitResult>(
    key: K,
    value: WaitResult[K] | undefined,
  ) => {
    if (value !== undefined && value !== null) result[key] = value;
  };
  set('reason', detail.status?.reason);
  set('message', detail.status?.message);
  set('entityRef', detail.entityRef);
  set('endpoint', detail.endpoint?.serviceUrl);
  set('chatPath', detail.endpoint?.chatPath);
  set(
    'outputImage',
    detail.tuning?.outputImage ?? detail.tuning?.output?.image,
  );
  set('outputVolume', volume?.persistentVolumeClaim?.claimName);
  set('steps', p?.step ?? p?.totalSteps);
  set('trainLoss', p?.trainLoss);
  set('finalLoss', lastLoss(detail));
  set('gpuHours', detail.usage?.gpuHours);
  set('estimatedCostUsd', detail.usage?.estimatedCostUsd);
  return result;
}
