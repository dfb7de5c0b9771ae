import {
  ANNOTATION_CREATED_BY,
  ANNOTATION_ENTITY_REF,
  ConditionView,
  GpuSku,
  UsageView,
  Workspace,
  WorkspaceCondition,
  WorkspaceConditionTypes,
  WorkspaceStatusSummary,
  WorkspaceSummary,
  billedNodeCount,
  estimateGpuUsage,
  findGpuSku,
  hoursBetween,
  summarizeWorkspaceStatus,
  workspaceKind,
  workspaceEndpoint,
} from '@kaito-backstage/plugin-kaito-common';
import { RawObject } from './rawObjects';
import { isReady } from './readiness';

/*
 * The workspace summary of the REST API (`WorkspaceSummary`, kaito-common's
 * `api/`) from a watch-cache object: what depends only on the object
 * (`summaryParts`) and what is read at each request (ready nodes, age, the
 * usage of a run that has not finished).
 */

/** The condition types a summary shows (the kubectl printer columns and nodes). */
export const KEY_CONDITIONS = [
  WorkspaceConditionTypes.NodeClaimReady,
  WorkspaceConditionTypes.ResourceReady,
  WorkspaceConditionTypes.InferenceReady,
  WorkspaceConditionTypes.JobStarted,
  WorkspaceConditionTypes.WorkspaceSucceeded,
];

export function conditionView(c: WorkspaceCondition | any): ConditionView {
  return {
    type: c.type,
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
    ...(c.lastTransitionTime ? { lastTransitionTime: c.lastTransitionTime } : {}),
  };
}

export function presetOf(ws: Workspace): string | undefined {
  return ws.tuning?.preset?.name ?? ws.inference?.preset?.name;
}

function finishedAt(
  ws: Workspace,
  status: WorkspaceStatusSummary,
): string | undefined {
  if (!status.terminal) {
    return undefined;
  }
  const decided = ws.status?.conditions?.find(
    c => c.type === status.conditionType,
  );
  return decided?.lastTransitionTime ?? status.since;
}

export function usageOf(
  ws: Workspace,
  now: number,
  end?: string,
): UsageView | undefined {
  const sku = ws.resource?.instanceType
    ? findGpuSku(ws.resource.instanceType)
    : undefined;
  const created = ws.metadata.creationTimestamp;
  if (!sku || !created) {
    return undefined;
  }
  return usageFor(sku, billedNodeCount(ws), created, end ?? now);
}

export function usageFor(
  sku: GpuSku,
  count: number,
  created: string | number,
  end: string | number,
): UsageView {
  const hours = hoursBetween(created, end);
  const estimate = estimateGpuUsage(sku, count, hours);
  // Built field by field, not with spreads: lists compute this for every
  // unfinished run at every read.
  const usage: UsageView = {
    nodeCount: count,
    hours: Math.round(hours * 1000) / 1000,
    gpuHours: estimate.gpuHours,
  };
  if (estimate.estimatedCostUsd !== undefined) {
    usage.estimatedCostUsd = estimate.estimatedCostUsd;
  }
  if (sku.price) {
    usage.usdPerHour = Math.round(sku.price.usdPerHour * count * 1000) / 1000;
  }
  if (estimate.priceSource) usage.priceSource = estimate.priceSource;
  return usage;
}

/**
 * What a summary needs that depends only on the workspace object (and its
 * cluster): everything but the ready-node count and the time-dependent
 * fields (age, usage of a run that has not finished).
 */
export interface SummaryParts {
  cluster: string;
  /** The summary's fields from `cluster` to `conditions`, in order. */
  head: Omit<
    WorkspaceSummary,
    'nodes' | 'createdAt' | 'ageSeconds' | 'finishedAt' | 'usage' | 'endpoint'
  >;
  target?: number;
  workers: string[];
  created?: string;
  createdMs: number;
  finished?: string;
  /** The usage of a finished run (fixed), or what to compute it from now. */
  usage?: UsageView;
  usageBase?: { sku: GpuSku; count: number; createdMs: number };
  endpoint?: WorkspaceSummary['endpoint'];
}

export function summaryParts(cluster: string, ws: Workspace): SummaryParts {
  const status = summarizeWorkspaceStatus(ws);
  const kind = workspaceKind(ws);
  const namespace = ws.metadata.namespace ?? '';
  const name = ws.metadata.name ?? '';
  const created = ws.metadata.creationTimestamp;
  const finished = finishedAt(ws, status);
  const workers = ws.status?.workerNodes ?? [];
  const conditions = KEY_CONDITIONS.map(type =>
    ws.status?.conditions?.find(c => c.type === type),
  )
    .filter((c): c is WorkspaceCondition => Boolean(c))
    .map(conditionView);
  const sku = ws.resource?.instanceType
    ? findGpuSku(ws.resource.instanceType)
    : undefined;
  const createdMs = created ? new Date(created).getTime() : NaN;
  const usageBase =
    sku && created ? { sku, count: billedNodeCount(ws), createdMs } : undefined;
  const endpoint = workspaceEndpoint(cluster, ws);
  return {
    cluster,
    head: {
      cluster,
      namespace,
      name,
      ...(ws.metadata.uid ? { uid: ws.metadata.uid } : {}),
      type: kind,
      ...(presetOf(ws) ? { preset: presetOf(ws) } : {}),
      ...(ws.tuning?.method ? { method: ws.tuning.method } : {}),
      ...(ws.resource?.instanceType
        ? { instanceType: ws.resource.instanceType }
        : {}),
      ...(ws.metadata.annotations?.[ANNOTATION_ENTITY_REF]
        ? { entityRef: ws.metadata.annotations[ANNOTATION_ENTITY_REF] }
        : {}),
      ...(ws.metadata.annotations?.[ANNOTATION_CREATED_BY]
        ? { createdBy: ws.metadata.annotations[ANNOTATION_CREATED_BY] }
        : {}),
      state: status.phase,
      status,
      conditions,
    },
    ...(ws.status?.targetNodeCount !== undefined
      ? { target: ws.status.targetNodeCount }
      : {}),
    workers,
    created,
    createdMs,
    finished,
    // A finished run's usage ends at its finish: compute it once.
    ...(usageBase && finished
      ? {
          usage: usageFor(
            usageBase.sku,
            usageBase.count,
            usageBase.createdMs,
            finished,
          ),
        }
      : { usageBase }),
    ...(endpoint ? { endpoint } : {}),
  };
}

export function readyCount(
  workers: string[],
  nodeReady: (name: string) => boolean,
): number {
  let ready = 0;
  for (const n of workers) {
    if (nodeReady(n)) ready++;
  }
  return ready;
}

export function usageAt(parts: SummaryParts, now: number): UsageView | undefined {
  const { usageBase } = parts;
  return (
    parts.usage ??
    (usageBase
      ? usageFor(usageBase.sku, usageBase.count, usageBase.createdMs, now)
      : undefined)
  );
}

export function ageSeconds(parts: SummaryParts, now: number): number {
  return Math.max(0, Math.floor((now - parts.createdMs) / 1000));
}

function assembleSummary(
  parts: SummaryParts,
  nodes: (name: string) => RawObject | undefined,
  now: number,
): WorkspaceSummary {
  const { created, finished, workers } = parts;
  const usage = usageAt(parts, now);
  const ready = readyCount(workers, n => isReady(nodes(n)));
  return {
    ...parts.head,
    nodes: {
      ...(parts.target !== undefined ? { target: parts.target } : {}),
      workers,
      ready,
    },
    ...(created
      ? {
          createdAt: created,
          ageSeconds: ageSeconds(parts, now),
        }
      : {}),
    ...(finished ? { finishedAt: finished } : {}),
    ...(usage ? { usage } : {}),
    ...(parts.endpoint ? { endpoint: parts.endpoint } : {}),
  };
}

/** A workspace summary for lists. Pure: reads only the given objects. */
export function summarizeWorkspace(
  cluster: string,
  ws: Workspace,
  nodes: (name: string) => RawObject | undefined,
  now = Date.now(),
): WorkspaceSummary {
  return assembleSummary(summaryParts(cluster, ws), nodes, now);
}
