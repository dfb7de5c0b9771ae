/**
 * Server-side table columns of Pods, computed the way
 * pkg/printers/internalversion/printers.go does (`printPod`): status reason,
 * ready containers, restarts.
 */
import { humanDuration } from './humanDuration';
import { NONE, column } from './printerColumns';

type Obj = Record<string, any>;

// ------------------------------------------------------------------ Pods

function terminationReason(terminated: Obj): string {
  if (terminated.reason) {
    return terminated.reason;
  }
  if (terminated.signal) {
    return `Signal:${terminated.signal}`;
  }
  return `ExitCode:${terminated.exitCode}`;
}

function podStatus(pod: Obj): { reason: string; ready: number; total: number } {
  const status = pod.status ?? {};
  const total = (pod.spec?.containers ?? []).length;
  let reason: string = status.reason || status.phase || 'Unknown';
  let ready = 0;

  let initializing = false;
  const initStatuses: Obj[] = status.initContainerStatuses ?? [];
  const initCount = (pod.spec?.initContainers ?? []).length;
  for (let i = 0; i < initStatuses.length; i++) {
    const s = initStatuses[i];
    const terminated = s.state?.terminated;
    const waiting = s.state?.waiting;
    if (terminated && terminated.exitCode === 0) {
      continue;
    }
    if (terminated) {
      reason = `Init:${terminationReason(terminated)}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initCount}`;
    }
    initializing = true;
    break;
  }

  if (!initializing) {
    let hasRunning = false;
    const statuses: Obj[] = [...(status.containerStatuses ?? [])].reverse();
    for (const s of statuses) {
      const waiting = s.state?.waiting;
      const terminated = s.state?.terminated;
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated) {
        reason = terminationReason(terminated);
      } else if (s.ready && s.state?.running) {
        hasRunning = true;
        ready += 1;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCondition = (status.conditions ?? []).find(
        (c: Obj) => c.type === 'Ready',
      );
      reason = readyCondition?.status === 'True' ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp) {
    reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  }
  return { reason, ready, total };
}

function podRestarts(pod: Obj, now: Date): string {
  let restarts = 0;
  let last: number | undefined;
  for (const s of [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ]) {
    restarts += s.restartCount ?? 0;
    const finished = Date.parse(s.lastState?.terminated?.finishedAt ?? '');
    if (!Number.isNaN(finished) && (last === undefined || finished > last)) {
      last = finished;
    }
  }
  return restarts > 0 && last !== undefined
    ? `${restarts} (${humanDuration(now.getTime() - last)} ago)`
    : String(restarts);
}

export const podColumns = [
  column(
    'Ready',
    'string',
    '.status.containerStatuses',
    pod => {
      const { ready, total } = podStatus(pod);
      return `${ready}/${total}`;
    },
    0,
    'The aggregate readiness state of this pod for accepting traffic.',
  ),
  column(
    'Status',
    'string',
    '.status.phase',
    pod => podStatus(pod).reason,
    0,
    'The aggregate status of the containers in this pod.',
  ),
  column(
    'Restarts',
    'string',
    '.status.containerStatuses[*].restartCount',
    podRestarts,
    0,
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  column(
    'IP',
    'string',
    '.status.podIP',
    pod => pod.status?.podIP || NONE,
    1,
    'IP address allocated to the pod. Routable at least within the cluster.',
  ),
  column(
    'Node',
    'string',
    '.spec.nodeName',
    pod => pod.spec?.nodeName || NONE,
    1,
    'NodeName is a request to schedule this pod onto a specific node.',
  ),
  column(
    'Nominated Node',
    'string',
    '.status.nominatedNodeName',
    pod => pod.status?.nominatedNodeName || NONE,
    1,
    'nominatedNodeName is set only when this pod preempts other pods on the node.',
  ),
  column(
    'Readiness Gates',
    'string',
    '.spec.readinessGates',
    pod => {
      const gates: Obj[] = pod.spec?.readinessGates ?? [];
      if (gates.length === 0) {
        return NONE;
      }
      const conditions: Obj[] = pod.status?.conditions ?? [];
      const ready = gates.filter(g =>
        conditions.some(c => c.type === g.conditionType && c.status === 'True'),
      ).length;
      return `${ready}/${gates.length}`;
    },
    1,
    'If specified, all readiness gates will be evaluated for pod readiness.',
  ),
];
