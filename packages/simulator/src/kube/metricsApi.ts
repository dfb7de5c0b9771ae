/**
 * `metrics.k8s.io/v1beta1` as AKS's metrics-server serves it: PodMetrics for
 * every running pod and NodeMetrics for every Ready node, read-only (get and
 * list, no watch), with the pod's or node's labels so label selectors work
 * (`kubectl top`, the Backstage Kubernetes plugin's pod usage). The figures
 * are synthetic: a steady usage per container kind (a GPU workload's main
 * container, or a small sidecar) with a deterministic wobble per 15-second
 * scrape window.
 */
import { createHash } from 'node:crypto';
import type { KubeObject, ObjectStore, ResourceType } from './api';
import { column } from './printerColumns';
import { formatTimestamp } from './objects';
import type { ResourceStrategy } from './strategy';

type Obj = Record<string, any>;

const GROUP = 'metrics.k8s.io';
const VERSION = 'v1beta1';
const READ_ONLY = ['get', 'list'];
const WINDOW_SECONDS = 15;
const GIB = 1024 ** 3;

const metricsColumns = [
  column(
    'CPU',
    'string',
    '.usage.cpu',
    m => m.usage?.cpu ?? '',
    0,
    'CPU usage',
  ),
  column(
    'Memory',
    'string',
    '.usage.memory',
    m => m.usage?.memory ?? '',
    0,
    'Memory usage',
  ),
  column('Window', 'string', '.window', m => m.window ?? '', 0, 'Window'),
];

export const NODE_METRICS_TYPE: ResourceType = {
  group: GROUP,
  plural: 'nodes',
  kind: 'NodeMetrics',
  singular: '',
  namespaced: false,
  versions: [VERSION],
  storageVersion: VERSION,
  verbs: READ_ONLY,
  printerColumns: metricsColumns,
};

export const POD_METRICS_TYPE: ResourceType = {
  group: GROUP,
  plural: 'pods',
  kind: 'PodMetrics',
  singular: '',
  namespaced: true,
  versions: [VERSION],
  storageVersion: VERSION,
  verbs: READ_ONLY,
};

interface Usage {
  cores: number;
  bytes: number;
}

/** 0.9–1.1, fixed for a container within one scrape window. */
function wobble(key: string, window: number): number {
  const digest = createHash('sha256').update(`${key}@${window}`).digest();
  return 0.9 + (digest.readUInt16BE(0) / 0xffff) * 0.2;
}

function containerUsage(container: Obj | undefined): Usage {
  const gpus = Number(container?.resources?.limits?.['nvidia.com/gpu'] ?? 0);
  if (gpus > 0) {
    // A model server or trainer: host-side tokenization, data loading and the CUDA context.
    return { cores: 1.5 + 0.5 * gpus, bytes: (10 + 4 * gpus) * GIB };
  }
  return { cores: 0.002, bytes: 12 * 1024 ** 2 };
}

const cpuQuantity = (cores: number) => `${Math.round(cores * 1e9)}n`;
const memoryQuantity = (bytes: number) => `${Math.round(bytes / 1024)}Ki`;

function isRunning(status: Obj | undefined): boolean {
  return Boolean(status?.state?.running);
}

interface Scrape {
  timestamp: string;
  window: number;
}

function scrapeNow(now: Date): Scrape {
  const window = Math.floor(now.getTime() / (WINDOW_SECONDS * 1000));
  return {
    timestamp: formatTimestamp(new Date(window * WINDOW_SECONDS * 1000)),
    window,
  };
}

function podMetrics(pod: KubeObject, scrape: Scrape) {
  const spec = (pod.spec ?? {}) as Obj;
  const statuses: Obj[] =
    (pod.status as Obj | undefined)?.containerStatuses ?? [];
  const containers = statuses.filter(isRunning).map(status => {
    const usage = containerUsage(
      (spec.containers ?? []).find((c: Obj) => c.name === status.name),
    );
    const factor = wobble(`${pod.metadata.uid}/${status.name}`, scrape.window);
    return {
      name: status.name as string,
      cores: usage.cores * factor,
      bytes: usage.bytes * factor,
    };
  });
  return { containers, node: spec.nodeName as string | undefined };
}

/** The metrics-server types, computed from the store's pods and nodes. */
export function metricsStrategies(
  store: ObjectStore,
  now: () => Date = () => new Date(),
): Map<ResourceType, ResourceStrategy> {
  const runningPods = () =>
    store
      .list({ group: '', plural: 'pods' })
      .items.filter(p => (p.status as Obj | undefined)?.phase === 'Running');
  return new Map<ResourceType, ResourceStrategy>([
    [
      POD_METRICS_TYPE,
      {
        source: () => {
          const scrape = scrapeNow(now());
          return runningPods().flatMap(pod => {
            const { containers } = podMetrics(pod, scrape);
            if (containers.length === 0) {
              return [];
            }
            return [
              {
                apiVersion: `${GROUP}/${VERSION}`,
                kind: 'PodMetrics',
                metadata: {
                  name: pod.metadata.name,
                  namespace: pod.metadata.namespace,
                  creationTimestamp: formatTimestamp(now()),
                  ...(pod.metadata.labels
                    ? { labels: pod.metadata.labels }
                    : {}),
                },
                timestamp: scrape.timestamp,
                window: `${WINDOW_SECONDS}s`,
                containers: containers.map(c => ({
                  name: c.name,
                  usage: {
                    cpu: cpuQuantity(c.cores),
                    memory: memoryQuantity(c.bytes),
                  },
                })),
              } as KubeObject,
            ];
          });
        },
      },
    ],
    [
      NODE_METRICS_TYPE,
      {
        source: () => {
          const scrape = scrapeNow(now());
          const byNode = new Map<string, Usage>();
          for (const pod of runningPods()) {
            const { containers, node } = podMetrics(pod, scrape);
            if (!node) {
              continue;
            }
            const sum = byNode.get(node) ?? { cores: 0, bytes: 0 };
            for (const c of containers) {
              sum.cores += c.cores;
              sum.bytes += c.bytes;
            }
            byNode.set(node, sum);
          }
          return store
            .list({ group: '', plural: 'nodes' })
            .items.filter(node =>
              ((node.status as Obj | undefined)?.conditions ?? []).some(
                (c: Obj) => c.type === 'Ready' && c.status === 'True',
              ),
            )
            .map(node => {
              const pods = byNode.get(node.metadata.name) ?? {
                cores: 0,
                bytes: 0,
              };
              // The kubelet, container runtime and system daemons.
              const factor = wobble(node.metadata.name, scrape.window);
              return {
                apiVersion: `${GROUP}/${VERSION}`,
                kind: 'NodeMetrics',
                metadata: {
                  name: node.metadata.name,
                  creationTimestamp: formatTimestamp(now()),
                  ...(node.metadata.labels
                    ? { labels: node.metadata.labels }
                    : {}),
                },
                timestamp: scrape.timestamp,
                window: `${WINDOW_SECONDS}s`,
                usage: {
                  cpu: cpuQuantity(pods.cores + 0.12 * factor),
                  memory: memoryQuantity(pods.bytes + 1.4 * GIB * factor),
                },
              } as KubeObject;
            });
        },
      },
    ],
  ]);
}
