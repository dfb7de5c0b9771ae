/**
 * Server-side table columns of the workload types the simulator serves but
 * does not run (Deployments, ReplicaSets, DaemonSets, ReplicationControllers,
 * HPAs, CronJobs), as pkg/printers/internalversion/printers.go prints them;
 * the other served types' columns are in resourcePrinters.ts.
 */
import {
  NONE,
  column,
  containerImages,
  containerNames,
  formatSelector,
  podTemplateColumns,
} from './printerColumns';
import { timestampAge } from './humanDuration';
import type { ComputedPrinterColumn } from './strategy';

type Obj = Record<string, any>;

const wide = () => podTemplateColumns('Label selector for pods.');

const count = (value: unknown) => (typeof value === 'number' ? value : 0);

export const deploymentColumns = [
  column(
    'Ready',
    'string',
    '.status.readyReplicas',
    d => `${count(d.status?.readyReplicas)}/${d.spec?.replicas ?? 1}`,
    0,
    'Number of the pod with ready state',
  ),
  column(
    'Up-to-date',
    'string',
    '.status.updatedReplicas',
    d => count(d.status?.updatedReplicas),
    0,
    'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
  ),
  column(
    'Available',
    'string',
    '.status.availableReplicas',
    d => count(d.status?.availableReplicas),
    0,
    'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
  ),
  ...wide(),
];

/** DESIRED, CURRENT, READY of ReplicaSets and ReplicationControllers. */
const replicaCounts = (kind: string): ComputedPrinterColumn[] => [
  column(
    'Desired',
    'integer',
    '.spec.replicas',
    r => r.spec?.replicas ?? 1,
    0,
    'Number of desired pods.',
  ),
  column(
    'Current',
    'integer',
    '.status.replicas',
    r => count(r.status?.replicas),
    0,
    'The most recently observed number of replicas.',
  ),
  column(
    'Ready',
    'integer',
    '.status.readyReplicas',
    r => count(r.status?.readyReplicas),
    0,
    `The number of ready replicas for this ${kind}.`,
  ),
];

export const replicaSetColumns = [...replicaCounts('replica set'), ...wide()];

export const daemonSetColumns = [
  column(
    'Desired',
    'integer',
    '.status.desiredNumberScheduled',
    d => count(d.status?.desiredNumberScheduled),
    0,
    'The total number of nodes that should be running the daemon pod.',
  ),
  column(
    'Current',
    'integer',
    '.status.currentNumberScheduled',
    d => count(d.status?.currentNumberScheduled),
    0,
    'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
  ),
  column(
    'Ready',
    'integer',
    '.status.numberReady',
    d => count(d.status?.numberReady),
    0,
    'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
  ),
  column(
    'Up-to-date',
    'integer',
    '.status.updatedNumberScheduled',
    d => count(d.status?.updatedNumberScheduled),
    0,
    'The total number of nodes that are running updated daemon pod',
  ),
  column(
    'Available',
    'integer',
    '.status.numberAvailable',
    d => count(d.status?.numberAvailable),
    0,
    'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
  ),
  column(
    'Node Selector',
    'string',
    '.spec.template.spec.nodeSelector',
    d => {
      const entries = Object.entries(
        d.spec?.template?.spec?.nodeSelector ?? {},
      );
      return entries.length
        ? entries.map(([k, v]) => `${k}=${v}`).join(',')
        : NONE;
    },
    0,
    'NodeSelector is a selector which must be true for the pod to fit on a node.',
  ),
  ...wide(),
];

export const replicationControllerColumns = [
  ...replicaCounts('replication controller'),
  ...wide().map(c =>
    c.name === 'Selector'
      ? column(
          'Selector',
          'string',
          '.spec.selector',
          (r: Obj) => {
            const entries = Object.entries(r.spec?.selector ?? {});
            return entries.length
              ? entries.map(([k, v]) => `${k}=${v}`).join(',')
              : NONE;
          },
          1,
          'Label selector for pods.',
        )
      : c,
  ),
];

function hpaTargets(hpa: Obj): string {
  const metrics: Obj[] = hpa.spec?.metrics ?? [];
  if (metrics.length === 0) {
    return '<none>';
  }
  const current: Obj[] = hpa.status?.currentMetrics ?? [];
  return metrics
    .map((m, i) => {
      const target = m.resource?.target ?? m.containerResource?.target;
      const name = m.resource?.name ?? m.containerResource?.name ?? m.type;
      const now =
        current[i]?.resource?.current?.averageUtilization ?? '<unknown>';
      const goal =
        target?.averageUtilization !== undefined
          ? `${target.averageUtilization}%`
          : target?.averageValue ?? target?.value ?? '<unknown>';
      return `${name}: ${now === '<unknown>' ? now : `${now}%`}/${goal}`;
    })
    .join(', ');
}

export const horizontalPodAutoscalerColumns = [
  column(
    'Reference',
    'string',
    '.spec.scaleTargetRef',
    h =>
      `${h.spec?.scaleTargetRef?.kind ?? ''}/${
        h.spec?.scaleTargetRef?.name ?? ''
      }`,
    0,
    'reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.',
  ),
  column(
    'Targets',
    'string',
    '.spec.metrics',
    hpaTargets,
    0,
    'metrics contains the specifications for which to use to calculate the desired replica count.',
  ),
  column(
    'MinPods',
    'string',
    '.spec.minReplicas',
    h => h.spec?.minReplicas ?? 1,
    0,
    'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.',
  ),
  column(
    'MaxPods',
    'integer',
    '.spec.maxReplicas',
    h => h.spec?.maxReplicas ?? 0,
    0,
    'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.',
  ),
  column(
    'Replicas',
    'integer',
    '.status.currentReplicas',
    h => count(h.status?.currentReplicas),
    0,
    'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.',
  ),
];

export const cronJobColumns = [
  column(
    'Schedule',
    'string',
    '.spec.schedule',
    c => c.spec?.schedule ?? '',
    0,
    'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.',
  ),
  column(
    'Timezone',
    'string',
    '.spec.timeZone',
    c => c.spec?.timeZone ?? NONE,
    0,
    'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.',
  ),
  column(
    'Suspend',
    'boolean',
    '.spec.suspend',
    c => Boolean(c.spec?.suspend),
    0,
    'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.',
  ),
  column(
    'Active',
    'integer',
    '.status.active',
    c => (c.status?.active ?? []).length,
    0,
    'A list of pointers to currently running jobs.',
  ),
  column(
    'Last Schedule',
    'string',
    '.status.lastScheduleTime',
    (c, now) =>
      c.status?.lastScheduleTime
        ? timestampAge(c.status.lastScheduleTime, now)
        : NONE,
    0,
    'Information when was the last time the job was successfully scheduled.',
  ),
  column(
    'Containers',
    'string',
    '.spec.jobTemplate.spec.template.spec.containers[*].name',
    c => containerNames(c.spec?.jobTemplate?.spec?.template?.spec),
    1,
    'Names of each container in the template.',
  ),
  column(
    'Images',
    'string',
    '.spec.jobTemplate.spec.template.spec.containers[*].image',
    c => containerImages(c.spec?.jobTemplate?.spec?.template?.spec),
    1,
    'Images referenced by each container in the template.',
  ),
  column(
    'Selector',
    'string',
    '.spec.jobTemplate.spec.selector',
    c => formatSelector(c.spec?.jobTemplate?.spec?.selector),
    1,
    'A label query over pods that should match the pod count.',
  ),
];
