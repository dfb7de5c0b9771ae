/**
 * Server-side table columns of the built-in types, computed the way
 * pkg/printers/internalversion/printers.go does on a real API server.
 */
import { humanDuration, timestampAge } from './humanDuration';
import type { ComputedPrinterColumn } from './strategy';

type Obj = Record<string, any>;

export const NONE = '<none>';

export const column = (
  name: string,
  type: ComputedPrinterColumn['type'],
  jsonPath: string,
  cell: (obj: Obj, now: Date) => unknown,
  priority = 0,
  description = '',
): ComputedPrinterColumn => ({
  name,
  type,
  jsonPath,
  cell: cell as ComputedPrinterColumn['cell'],
  priority,
  description,
});

export const containerNames = (spec: Obj | undefined) =>
  (spec?.containers ?? []).map((c: Obj) => c.name).join(',');
export const containerImages = (spec: Obj | undefined) =>
  (spec?.containers ?? []).map((c: Obj) => c.image).join(',');

export function formatSelector(selector: Obj | undefined): string {
  if (!selector) {
    return NONE;
  }
  const parts = Object.entries(selector.matchLabels ?? {}).map(
    ([k, v]) => `${k}=${v}`,
  );
  for (const e of selector.matchExpressions ?? []) {
    parts.push(
      `${e.key} ${String(e.operator).toLowerCase()} (${(e.values ?? []).join(
        ',',
      )})`,
    );
  }
  return parts.length ? parts.join(',') : NONE;
}

/**
 * The wide columns of workload tables: container names and images of the pod
 * template, and the pod selector.
 */
export function podTemplateColumns(
  selectorDescription: string,
): ComputedPrinterColumn[] {
  return [
    column(
      'Containers',
      'string',
      '.spec.template.spec.containers[*].name',
      o => containerNames(o.spec?.template?.spec),
      1,
      'Names of each container in the template.',
    ),
    column(
      'Images',
      'string',
      '.spec.template.spec.containers[*].image',
      o => containerImages(o.spec?.template?.spec),
      1,
      'Images referenced by each container in the template.',
    ),
    column(
      'Selector',
      'string',
      '.spec.selector',
      o => formatSelector(o.spec?.selector),
      1,
      selectorDescription,
    ),
  ];
}

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

// ------------------------------------------------------------------ Nodes

export const nodeColumns = [
  column(
    'Status',
    'string',
    '.status.conditions',
    node => {
      const ready = (node.status?.conditions ?? []).find(
        (c: Obj) => c.type === 'Ready',
      );
      let state = 'Unknown';
      if (ready) {
        state = ready.status === 'True' ? 'Ready' : 'NotReady';
      }
      const states = [state];
      if (node.spec?.unschedulable) {
        states.push('SchedulingDisabled');
      }
      return states.join(',');
    },
    0,
    'The status of the node',
  ),
  column(
    'Roles',
    'string',
    '.metadata.labels',
    node => {
      const roles = new Set<string>();
      for (const [key, value] of Object.entries<string>(
        node.metadata?.labels ?? {},
      )) {
        if (key.startsWith('node-role.kubernetes.io/')) {
          const role = key.slice('node-role.kubernetes.io/'.length);
          if (role) {
            roles.add(role);
          }
        } else if (key === 'kubernetes.io/role' && value) {
          roles.add(value);
        }
      }
      return roles.size ? [...roles].sort().join(',') : NONE;
    },
    0,
    'The roles of the node',
  ),
  column(
    'Version',
    'string',
    '.status.nodeInfo.kubeletVersion',
    node => node.status?.nodeInfo?.kubeletVersion ?? '',
    0,
    'Kubelet Version reported by the node.',
  ),
  column(
    'Internal-IP',
    'string',
    '.status.addresses',
    node =>
      (node.status?.addresses ?? []).find((a: Obj) => a.type === 'InternalIP')
        ?.address ?? NONE,
    1,
    'List of addresses reachable to the node.',
  ),
  column(
    'External-IP',
    'string',
    '.status.addresses',
    node =>
      (node.status?.addresses ?? []).find((a: Obj) => a.type === 'ExternalIP')
        ?.address ?? NONE,
    1,
    'List of addresses reachable to the node.',
  ),
  column(
    'OS-Image',
    'string',
    '.status.nodeInfo.osImage',
    node => node.status?.nodeInfo?.osImage || '<unknown>',
    1,
    'OS image reported by the node.',
  ),
  column(
    'Kernel-Version',
    'string',
    '.status.nodeInfo.kernelVersion',
    node => node.status?.nodeInfo?.kernelVersion || '<unknown>',
    1,
    'Kernel version reported by the node.',
  ),
  column(
    'Container-Runtime',
    'string',
    '.status.nodeInfo.containerRuntimeVersion',
    node => node.status?.nodeInfo?.containerRuntimeVersion || '<unknown>',
    1,
    'Container runtime version reported by the node.',
  ),
];

// ------------------------------------------------------------------ Services

export const serviceColumns = [
  column(
    'Type',
    'string',
    '.spec.type',
    svc => svc.spec?.type ?? 'ClusterIP',
    0,
    'The type of the service.',
  ),
  column(
    'Cluster-IP',
    'string',
    '.spec.clusterIP',
    svc => svc.spec?.clusterIP || NONE,
    0,
    'The IP address of the service.',
  ),
  column(
    'External-IP',
    'string',
    '.status.loadBalancer.ingress',
    svc => {
      const spec = svc.spec ?? {};
      switch (spec.type) {
        case 'LoadBalancer': {
          const ingress: Obj[] = svc.status?.loadBalancer?.ingress ?? [];
          const ips = [
            ...ingress.map(i => i.ip || i.hostname),
            ...(spec.externalIPs ?? []),
          ];
          return ips.length ? ips.join(',') : '<pending>';
        }
        case 'ExternalName':
          return spec.externalName ?? NONE;
        default:
          return spec.externalIPs?.length ? spec.externalIPs.join(',') : NONE;
      }
    },
    0,
    'The external IP address of the service.',
  ),
  column(
    'Port(s)',
    'string',
    '.spec.ports',
    svc => {
      const ports: Obj[] = svc.spec?.ports ?? [];
      if (ports.length === 0) {
        return NONE;
      }
      return ports
        .map(
          p =>
            `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${
              p.protocol ?? 'TCP'
            }`,
        )
        .join(',');
    },
    0,
    'The ports of the service.',
  ),
  column(
    'Selector',
    'string',
    '.spec.selector',
    svc => {
      const entries = Object.entries(svc.spec?.selector ?? {});
      return entries.length
        ? entries.map(([k, v]) => `${k}=${v}`).join(',')
        : NONE;
    },
    1,
    'Route service traffic to pods with label keys and values matching this selector.',
  ),
];

// ------------------------------------------------------------------ Namespaces, ConfigMaps, Secrets

export const namespaceColumns = [
  column(
    'Status',
    'string',
    '.status.phase',
    ns => ns.status?.phase ?? '',
    0,
    'The status of the namespace',
  ),
];

const countKeys = (...maps: (Obj | undefined)[]) =>
  maps.reduce((n, m) => n + Object.keys(m ?? {}).length, 0);

export const configMapColumns = [
  column(
    'Data',
    'integer',
    '.data',
    cm => countKeys(cm.data, cm.binaryData),
    0,
    'The number of keys in the config map.',
  ),
];

export const secretColumns = [
  column(
    'Type',
    'string',
    '.type',
    secret => secret.type ?? 'Opaque',
    0,
    'The type of the secret',
  ),
  column(
    'Data',
    'integer',
    '.data',
    secret => countKeys(secret.data),
    0,
    'The number of entries in the secret',
  ),
];

// ------------------------------------------------------------------ Jobs, StatefulSets

function jobStatus(job: Obj): string {
  const conditions: Obj[] = job.status?.conditions ?? [];
  const isTrue = (type: string) =>
    conditions.some(c => c.type === type && c.status === 'True');
  if (isTrue('Complete')) {
    return 'Complete';
  }
  if (isTrue('Failed')) {
    return 'Failed';
  }
  if (job.metadata?.deletionTimestamp) {
    return 'Terminating';
  }
  if (isTrue('FailureTarget')) {
    return 'FailureTarget';
  }
  if (isTrue('SuccessCriteriaMet')) {
    return 'SuccessCriteriaMet';
  }
  if (isTrue('Suspended')) {
    return 'Suspended';
  }
  return 'Running';
}

export const jobColumns = [
  column(
    'Status',
    'string',
    '.status.conditions',
    jobStatus,
    0,
    'Status of the job.',
  ),
  column(
    'Completions',
    'string',
    '.status.succeeded',
    job => {
      const succeeded = job.status?.succeeded ?? 0;
      const completions = job.spec?.completions;
      if (completions !== undefined && completions !== null) {
        return `${succeeded}/${completions}`;
      }
      const parallelism = job.spec?.parallelism ?? 0;
      return parallelism > 1
        ? `${succeeded}/1 of ${parallelism}`
        : `${succeeded}/1`;
    },
    0,
    'The desired number of successfully finished pods the job should be run with.',
  ),
  column(
    'Duration',
    'string',
    '.status.completionTime',
    (job, now) => {
      const start = Date.parse(job.status?.startTime ?? '');
      if (Number.isNaN(start)) {
        return '';
      }
      const end = Date.parse(job.status?.completionTime ?? '');
      return humanDuration((Number.isNaN(end) ? now.getTime() : end) - start);
    },
    0,
    'Time required to complete the job.',
  ),
  ...podTemplateColumns(
    'A label query over pods that should match the pod count.',
  ),
];

export const statefulSetColumns = [
  column(
    'Ready',
    'string',
    '.status.readyReplicas',
    sts => `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 1}`,
    0,
    'Number of the pod with ready state',
  ),
  ...podTemplateColumns('').filter(c => c.name !== 'Selector'),
];

// ------------------------------------------------------------------ Events (a table without NAME first)

function eventLastSeen(event: Obj, now: Date): string {
  const last =
    event.series?.lastObservedTime ??
    event.lastTimestamp ??
    event.eventTime ??
    event.firstTimestamp;
  const age = timestampAge(last, now);
  const count = event.series?.count ?? event.count ?? 1;
  if (count > 1) {
    const first = event.firstTimestamp ?? event.eventTime;
    return `${age} (x${count} over ${timestampAge(first, now)})`;
  }
  return age;
}

export const eventTableColumns: ComputedPrinterColumn[] = [
  column(
    'Last Seen',
    'string',
    '.lastTimestamp',
    eventLastSeen,
    0,
    'Time when last event from this object was observed.',
  ),
  column(
    'Type',
    'string',
    '.type',
    ev => ev.type ?? '',
    0,
    'Type of this event (Normal, Warning), new types could be added in the future.',
  ),
  column(
    'Reason',
    'string',
    '.reason',
    ev => ev.reason ?? '',
    0,
    'Reason why the action was taken. It is human-readable.',
  ),
  column(
    'Object',
    'string',
    '.involvedObject',
    ev =>
      `${String(ev.involvedObject?.kind ?? '').toLowerCase()}/${
        ev.involvedObject?.name ?? ''
      }`,
    0,
    'The object that this event is about.',
  ),
  column(
    'Subobject',
    'string',
    '.involvedObject.fieldPath',
    ev => ev.involvedObject?.fieldPath ?? '',
    1,
    'The subobject that this event is about.',
  ),
  column(
    'Source',
    'string',
    '.source',
    ev =>
      [
        ev.source?.component ?? ev.reportingComponent ?? '',
        ev.source?.host ?? '',
      ]
        .filter(Boolean)
        .join(', '),
    1,
    'The component reporting this event. Should be a short machine understandable string.',
  ),
  column(
    'Message',
    'string',
    '.message',
    ev => String(ev.message ?? '').trim(),
    0,
    'A human-readable description of the status of this operation.',
  ),
  column(
    'First Seen',
    'string',
    '.firstTimestamp',
    (ev, now) => timestampAge(ev.firstTimestamp ?? ev.eventTime, now),
    1,
    'The time at which the event was first recorded.',
  ),
  column(
    'Count',
    'integer',
    '.count',
    ev => ev.series?.count ?? ev.count ?? 1,
    1,
    'The number of times this event has occurred.',
  ),
  column(
    'Name',
    'string',
    '.metadata.name',
    ev => ev.metadata?.name ?? '',
    1,
    'Name must be unique within a namespace.',
  ),
];
