import {
  ClusterFreshness,
  EventView,
  JobView,
  KAITO_LABEL_WORKSPACE,
  KAITO_LABEL_WORKSPACE_NAMESPACE,
  KaitoAnnotations,
  NodeClaimView,
  PodView,
  Workspace,
  WorkspaceDetail,
} from '@kaito-backstage/plugin-kaito-common';
import { RawEvent, RawObject } from './rawObjects';
import { isReady } from './readiness';
import { conditionView, summarizeWorkspace } from './workspaceSummary';

/*
 * The workspace detail view of the REST API (`WorkspaceDetail`) from the
 * watch cache's objects of a workspace: its Job, pods, NodeClaims, nodes
 * and events.
 */

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
      ? { instanceType: claim.metadata.labels['node.kubernetes.io/instance-type'] }
      : {}),
    ...(claim.status?.nodeName ? { nodeName: claim.status.nodeName } : {}),
    ...(ready ? { ready: ready.status } : {}),
    ...(reasonSource?.reason ? { reason: reasonSource.reason } : {}),
    ...(reasonSource?.message ? { message: reasonSource.message } : {}),
  };
}

export function eventView(event: RawEvent): EventView {
  const first = event.firstTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp;
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
      (c.metadata.labels?.[KAITO_LABEL_WORKSPACE_NAMESPACE] ?? namespace) ===
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
    const ns = o.kind === 'NodeClaim' || o.kind === 'Node' ? '' : o.namespace ?? '';
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
  freshness: ClusterFreshness = { cluster, stale: false },
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
    freshness,
  };
  if (ws.tuning) {
    detail.tuning = {
      ...(ws.tuning.method ? { method: ws.tuning.method } : {}),
      input: ws.tuning.input,
      output: ws.tuning.output,
      ...(ws.tuning.output?.image ? { outputImage: ws.tuning.output.image } : {}),
    };
  } else {
    detail.inference = {
      runtime:
        ws.metadata.annotations?.[KaitoAnnotations.runtime] ?? 'vllm',
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
