/**
 * Server-side table columns of the built-in types the simulator runs, computed
 * the way pkg/printers/internalversion/printers.go does on a real API server.
 * Pods and Events have files of their own; the building blocks are in
 * printerColumns.ts.
 */
import { humanDuration } from './humanDuration';
import { NONE, column, podTemplateColumns } from './printerColumns';

type Obj = Record<string, any>;

export { podColumns } from './podPrinters';

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
