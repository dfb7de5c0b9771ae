import {
  RunView,
  WorkspaceSummary,
  findGpuSku,
} from '@kaito-backstage/plugin-kaito-common';

/*
 * Ages, durations, GPU-hours and costs grow with time, not with watch
 * events: a view that re-reads only on change signals moves them forward
 * itself, from the figures of its last read. The growth is the backend's
 * rule (nodes x GPUs per node x hours, nodes x price x hours); only runs that
 * have not finished grow.
 */

const MS_PER_HOUR = 3_600_000;

/** Age, GPU-hours and cost of a workspace summary read at `readAt`, as of `now`. */
export function summaryNow(
  ws: WorkspaceSummary,
  readAt: number,
  now: number,
): { ageSeconds?: number; gpuHours?: number; estimatedCostUsd?: number } {
  const elapsedMs = Math.max(0, now - readAt);
  const ageSeconds =
    ws.ageSeconds === undefined ? undefined : ws.ageSeconds + elapsedMs / 1000;
  const usage = ws.usage;
  if (!usage || ws.finishedAt || usage.nodeCount === 0) {
    return {
      ageSeconds,
      gpuHours: usage?.gpuHours,
      estimatedCostUsd: usage?.estimatedCostUsd,
    };
  }
  const hours = elapsedMs / MS_PER_HOUR;
  const gpusPerNode = ws.instanceType
    ? findGpuSku(ws.instanceType)?.gpuCount
    : undefined;
  return {
    ageSeconds,
    gpuHours:
      gpusPerNode === undefined
        ? usage.gpuHours
        : usage.gpuHours + usage.nodeCount * gpusPerNode * hours,
    estimatedCostUsd:
      usage.estimatedCostUsd === undefined || usage.usdPerHour === undefined
        ? usage.estimatedCostUsd
        : usage.estimatedCostUsd + usage.usdPerHour * hours,
  };
}

/** Duration, GPU-hours and cost of a run read at `readAt`, as of `now`. */
export function runNow(
  run: RunView,
  readAt: number,
  now: number,
): Pick<RunView, 'durationSeconds' | 'gpuHours' | 'estimatedCostUsd'> {
  if (!run.active) {
    return run;
  }
  const elapsedMs = Math.max(0, now - readAt);
  const hours = elapsedMs / MS_PER_HOUR;
  const gpusPerNode =
    run.gpusPerNode ??
    (run.instanceType ? findGpuSku(run.instanceType)?.gpuCount : undefined) ??
    0;
  return {
    durationSeconds: run.durationSeconds + elapsedMs / 1000,
    gpuHours: run.gpuHours + run.nodeCount * gpusPerNode * hours,
    estimatedCostUsd:
      run.estimatedCostUsd === undefined || run.usdPerNodeHour === undefined
        ? run.estimatedCostUsd
        : run.estimatedCostUsd + run.nodeCount * run.usdPerNodeHour * hours,
  };
}
