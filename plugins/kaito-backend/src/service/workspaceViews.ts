import {
  ANNOTATION_CREATED_BY,
  ANNOTATION_ENTITY_REF,
  ConditionView,
  EventView,
  JobView,
  KAITO_LABEL_WORKSPACE,
  KaitoAnnotations,
  NodeClaimView,
  PodView,
  UsageView,
  Workspace,
  WorkspaceCondition,
  WorkspaceConditionTypes,
  WorkspaceDetail,
  WorkspaceStatusSummary,
  WorkspaceSummary,
  GpuSku,
  billedNodeCount,
  estimateGpuUsage,
  hoursBetween,
  findGpuSku,
  summarizeWorkspaceStatus,
  workspaceKind,
  workspaceServiceUrl,
} from '@kaito-backstage/plugin-kaito-common';
import { KubernetesObject } from '@kubernetes/client-node';
import { JsonBytes } from './JsonBytes';
import { isReady } from './readiness';

/*
 * Builds the workspace views of the REST API (their types are the shared
 * contract in kaito-common's `api/`) from the raw objects of the watch cache.
 */

/* Raw Kubernetes objects as the watch delivers them (JSON, not client classes). */

export interface RawObject extends KubernetesObject {
  metadata: NonNullable<KubernetesObject['metadata']> & {
    name: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
  };
  spec?: any;
  status?: any;
}

export interface RawEvent extends RawObject {
  involvedObject?: {
    kind?: string;
    name?: string;
    namespace?: string;
    uid?: string;
  };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string };
}

/** The condition types a summary shows (the kubectl printer columns and nodes). */
export const KEY_CONDITIONS = [
  WorkspaceConditionTypes.NodeClaimReady,
  WorkspaceConditionTypes.ResourceReady,
  WorkspaceConditionTypes.InferenceReady,
  WorkspaceConditionTypes.JobStarted,
  WorkspaceConditionTypes.WorkspaceSucceeded,
];

function conditionView(c: WorkspaceCondition | any): ConditionView {
  return {
    type: c.type,
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
    ...(c.lastTransitionTime
      ? { lastTransitionTime: c.lastTransitionTime }
      : {}),
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
  // status.since: when it ended (for a failed run, not the deciding
  // condition's own transition, which can be its start).
  return (
    status.since ??
    ws.status?.conditions?.find(c => c.type === status.conditionType)
      ?.lastTransitionTime
  );
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

function usageFor(
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

export function chatPath(cluster: string, namespace: string, name: string) {
  return `/clusters/${encodeURIComponent(
    cluster,
  )}/namespaces/${encodeURIComponent(
    namespace,
  )}/workspaces/${encodeURIComponent(name)}/chat/completions`;
}

/**
 * What a summary needs that depends only on the workspace object (and its
 * cluster): everything but the ready-node count and the time-dependent
 * fields (age, usage of a run that has not finished).
 */
interface SummaryParts {
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

/**
 * A summary's JSON (UTF-8) around its read-time values, as
 * `writeSummaryJson` writes it: everything up to the ready-node count; the
 * fixed fields between the age and an unfinished run's usage (finish, a
 * finished run's usage); the endpoint and the closing brace.
 */
interface SummaryJsonPieces {
  toReady: Buffer;
  /** `,"createdAt":"...","ageSeconds":`, when the creation time is known. */
  toAge?: Buffer;
  fixed?: Buffer;
  end: Buffer;
  /**
   * The usage an unfinished run was last written with. Its rounded figures
   * change every few seconds, not at every read, so the text is reused
   * while they stay the same.
   */
  lastUsage?: { view: UsageView; json: Buffer };
}

/** What `WorkspaceSummaries` remembers of a workspace object. */
export type RememberedSummary = SummaryParts & { json: SummaryJsonPieces };

function summaryJsonPieces(parts: SummaryParts): SummaryJsonPieces {
  const head = JSON.stringify(parts.head);
  const target =
    parts.target !== undefined
      ? `"target":${JSON.stringify(parts.target)},`
      : '';
  const fixed =
    (parts.finished ? `,"finishedAt":${JSON.stringify(parts.finished)}` : '') +
    (parts.usage ? `,"usage":${JSON.stringify(parts.usage)}` : '');
  return {
    toReady: Buffer.from(
      `${head.slice(0, -1)},"nodes":{${target}"workers":${JSON.stringify(
        parts.workers,
      )},"ready":`,
    ),
    ...(parts.created
      ? {
          toAge: Buffer.from(
            `,"createdAt":${JSON.stringify(parts.created)},"ageSeconds":`,
          ),
        }
      : {}),
    ...(fixed ? { fixed: Buffer.from(fixed) } : {}),
    end: Buffer.from(
      `${
        parts.endpoint ? `,"endpoint":${JSON.stringify(parts.endpoint)}` : ''
      }}`,
    ),
  };
}

function summaryParts(cluster: string, ws: Workspace): SummaryParts {
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
  const serviceUrl = workspaceServiceUrl(ws);
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
    ...(serviceUrl
      ? {
          endpoint: {
            serviceUrl,
            chatPath: chatPath(cluster, namespace, name),
          },
        }
      : {}),
  };
}

function readyCount(
  workers: string[],
  nodeReady: (name: string) => boolean,
): number {
  let ready = 0;
  for (const n of workers) {
    if (nodeReady(n)) ready++;
  }
  return ready;
}

function usageAt(parts: SummaryParts, now: number): UsageView | undefined {
  const { usageBase } = parts;
  return (
    parts.usage ??
    (usageBase
      ? usageFor(usageBase.sku, usageBase.count, usageBase.createdMs, now)
      : undefined)
  );
}

function ageSeconds(parts: SummaryParts, now: number): number {
  return Math.max(0, Math.floor((now - parts.createdMs) / 1000));
}

const READY_CLOSE = Array.from({ length: 17 }, (_, n) => `${n}}`);

/** The ready-node count and the brace closing `nodes`. */
function readyClose(ready: number): string {
  return READY_CLOSE[ready] ?? `${ready}}`;
}

/**
 * Appends to `out` the UTF-8 of `JSON.stringify(assembleSummary(parts,
 * nodes, now))`, from the remembered pieces: only the ready-node count, the
 * age and an unfinished run's usage are serialised at each read.
 */
function writeSummaryJson(
  parts: RememberedSummary,
  nodeReady: (node: string) => boolean,
  now: number,
  out: JsonBytes,
): void {
  const { json } = parts;
  out
    .bytes(json.toReady)
    .ascii(readyClose(readyCount(parts.workers, nodeReady)));
  if (json.toAge) {
    out.bytes(json.toAge).ascii(JSON.stringify(ageSeconds(parts, now)));
  }
  if (json.fixed) out.bytes(json.fixed);
  if (!parts.usage && parts.usageBase) {
    const view = usageAt(parts, now)!;
    const last = json.lastUsage?.view;
    if (
      !last ||
      last.hours !== view.hours ||
      last.gpuHours !== view.gpuHours ||
      last.estimatedCostUsd !== view.estimatedCostUsd
    ) {
      json.lastUsage = {
        view,
        json: Buffer.from(`,"usage":${JSON.stringify(view)}`),
      };
    }
    out.bytes(json.lastUsage!.json);
  }
  out.bytes(json.end);
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

/**
 * Workspace summaries of watch-cache objects as JSON text, remembering what
 * depends only on the object, already serialised. The informers replace an
 * object on every change (a new resourceVersion), so remembering by object
 * identity is remembering by uid + resourceVersion, forgotten on update or
 * delete. The ready-node count, age and usage so far are written at every
 * read. Serialising 100 summaries per entity read was most of the list
 * route's time (see BENCHMARKS.md).
 */
export class WorkspaceSummaries {
  private readonly parts = new WeakMap<Workspace, RememberedSummary>();

  /**
   * Appends to `out` the UTF-8 of `JSON.stringify(summarizeWorkspace(cluster,
   * ws, nodes, now))` for the workspace `summary` was remembered from,
   * without building the summary; `nodeReady` answers whether a node is
   * Ready.
   */
  writeJson(
    summary: RememberedSummary,
    nodeReady: (node: string) => boolean,
    now: number,
    out: JsonBytes,
  ): void {
    writeSummaryJson(summary, nodeReady, now, out);
  }

  /** What is remembered of the workspace (computed on first use). */
  summaryOf(cluster: string, ws: Workspace): RememberedSummary {
    return this.partsOf(cluster, ws);
  }

  private partsOf(cluster: string, ws: Workspace): RememberedSummary {
    let parts = this.parts.get(ws);
    if (
      !parts ||
      parts.cluster !== cluster ||
      parts.head.uid !== ws.metadata.uid
    ) {
      const objectParts = summaryParts(cluster, ws);
      parts = { ...objectParts, json: summaryJsonPieces(objectParts) };
      this.parts.set(ws, parts);
    }
    return parts;
  }
}

export function podView(pod: RawObject): PodView {
  const statuses: any[] = pod.status?.containerStatuses ?? [];
  return {
    name: pod.metadata.name,
    ...(pod.status?.phase ? { phase: pod.status.phase } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    ready: isReady(pod),
    restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
    ...(pod.status?.startTime ? { startTime: pod.status.startTime } : {}),
    containers: statuses.map(s => {
      const [stateName, state] = Object.entries(s.state ?? {})[0] ?? [];
      const st = (state ?? {}) as any;
      return {
        name: s.name,
        ready: Boolean(s.ready),
        restartCount: s.restartCount ?? 0,
        ...(stateName ? { state: stateName } : {}),
        ...(st.reason ? { reason: st.reason } : {}),
        ...(st.message ? { message: st.message } : {}),
        ...(st.exitCode !== undefined ? { exitCode: st.exitCode } : {}),
      };
    }),
  };
}

export function jobView(job: RawObject): JobView {
  return {
    name: job.metadata.name,
    active: job.status?.active ?? 0,
    succeeded: job.status?.succeeded ?? 0,
    failed: job.status?.failed ?? 0,
    ...(job.status?.startTime ? { startTime: job.status.startTime } : {}),
    ...(job.status?.completionTime
      ? { completionTime: job.status.completionTime }
      : {}),
    conditions: (job.status?.conditions ?? []).map(conditionView),
  };
}

export function nodeClaimView(claim: RawObject): NodeClaimView {
  const ready = (claim.status?.conditions ?? []).find(
    (c: any) => c.type === 'Ready',
  );
  const failing = (claim.status?.conditions ?? []).find(
    (c: any) => c.status === 'False' && c.message,
  );
  const reasonSource = ready?.status === 'True' ? ready : failing ?? ready;
  return {
    name: claim.metadata.name,
    ...(claim.metadata.labels?.['node.kubernetes.io/instance-type']
      ? {
          instanceType:
            claim.metadata.labels['node.kubernetes.io/instance-type'],
        }
      : {}),
    ...(claim.status?.nodeName ? { nodeName: claim.status.nodeName } : {}),
    ...(ready ? { ready: ready.status } : {}),
    ...(reasonSource?.reason ? { reason: reasonSource.reason } : {}),
    ...(reasonSource?.message ? { message: reasonSource.message } : {}),
  };
}

export function eventView(event: RawEvent): EventView {
  const first =
    event.firstTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp;
  const last = event.lastTimestamp ?? event.eventTime ?? first;
  return {
    ...(event.type ? { type: event.type } : {}),
    ...(event.reason ? { reason: event.reason } : {}),
    ...(event.message ? { message: event.message } : {}),
    ...(event.count !== undefined ? { count: event.count } : {}),
    ...(first ? { firstTimestamp: first } : {}),
    ...(last ? { lastTimestamp: last } : {}),
    object: {
      kind: event.involvedObject?.kind,
      name: event.involvedObject?.name,
    },
    ...(event.source?.component ? { source: event.source.component } : {}),
  };
}

/** The objects of a workspace the detail view is built from. */
export interface WorkspaceObjects {
  workspace: Workspace;
  job?: RawObject;
  pods: RawObject[];
  nodeClaims: RawObject[];
  events: RawEvent[];
  node: (name: string) => RawObject | undefined;
}

/** Objects that belong to a workspace, from the cache's lists. */
export function selectWorkspaceObjects(
  ws: Workspace,
  lists: {
    jobs: RawObject[];
    pods: RawObject[];
    nodeClaims: RawObject[];
    events: RawEvent[];
    node: (name: string) => RawObject | undefined;
  },
): WorkspaceObjects {
  const name = ws.metadata.name!;
  const namespace = ws.metadata.namespace!;
  const owned = (o: RawObject) =>
    o.metadata.namespace === namespace &&
    o.metadata.labels?.[KAITO_LABEL_WORKSPACE] === name;
  const job = lists.jobs.find(
    j => j.metadata.namespace === namespace && j.metadata.name === name,
  );
  const pods = lists.pods.filter(owned);
  const nodeClaims = lists.nodeClaims.filter(
    c =>
      c.metadata.labels?.[KAITO_LABEL_WORKSPACE] === name &&
      (c.metadata.labels?.['kaito.sh/workspacenamespace'] ?? namespace) ===
        namespace,
  );
  const related = new Set<string>([
    `Workspace/${namespace}/${name}`,
    ...(job ? [`Job/${namespace}/${job.metadata.name}`] : []),
    ...pods.map(p => `Pod/${namespace}/${p.metadata.name}`),
    ...nodeClaims.map(c => `NodeClaim//${c.metadata.name}`),
    ...(ws.status?.workerNodes ?? []).map(n => `Node//${n}`),
  ]);
  const events = lists.events.filter(e => {
    const o = e.involvedObject;
    if (!o?.kind || !o.name) return false;
    const ns =
      o.kind === 'NodeClaim' || o.kind === 'Node' ? '' : o.namespace ?? '';
    return related.has(`${o.kind}/${ns}/${o.name}`);
  });
  return { workspace: ws, job, pods, nodeClaims, events, node: lists.node };
}

function time(value: string | undefined): number {
  return value ? new Date(value).getTime() : 0;
}

/** The detail view (without tuning progress, which needs the pod log). */
export function describeWorkspace(
  cluster: string,
  objects: WorkspaceObjects,
  now = Date.now(),
): WorkspaceDetail {
  const ws = objects.workspace;
  const summary = summarizeWorkspace(cluster, ws, objects.node, now);
  const timeline = [...(ws.status?.conditions ?? [])]
    .map(conditionView)
    .sort((a, b) => time(a.lastTransitionTime) - time(b.lastTransitionTime));
  const events = objects.events
    .map(eventView)
    .sort((a, b) => time(a.lastTimestamp) - time(b.lastTimestamp));
  const pods = [...objects.pods]
    .sort(
      (a, b) =>
        time(a.metadata.creationTimestamp) - time(b.metadata.creationTimestamp),
    )
    .map(podView);
  const detail: WorkspaceDetail = {
    ...summary,
    labels: ws.metadata.labels ?? {},
    annotations: ws.metadata.annotations ?? {},
    ...(ws.resource ? { resource: ws.resource } : {}),
    timeline,
    events,
    ...(objects.job ? { job: jobView(objects.job) } : {}),
    pods,
    nodeClaims: objects.nodeClaims.map(nodeClaimView),
  };
  if (ws.tuning) {
    detail.tuning = {
      ...(ws.tuning.method ? { method: ws.tuning.method } : {}),
      input: ws.tuning.input,
      output: ws.tuning.output,
      ...(ws.tuning.output?.image
        ? { outputImage: ws.tuning.output.image }
        : {}),
    };
  } else {
    detail.inference = {
      runtime: ws.metadata.annotations?.[KaitoAnnotations.runtime] ?? 'vllm',
      adapters: (ws.inference?.adapters ?? []).map(a => ({
        ...(a.source?.name ? { name: a.source.name } : {}),
        ...(a.source?.image ? { image: a.source.image } : {}),
        ...(a.strength ? { strength: a.strength } : {}),
      })),
      ...(ws.status?.performance ? { performance: ws.status.performance } : {}),
    };
  }
  return detail;
}
