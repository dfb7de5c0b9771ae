/**
 * What a busy AKS cluster holds besides KAITO: application Pods on
 * ordinary (non-GPU) node pools, the Events they produce, and those Nodes,
 * plus the Pods and Events of the KAITO workspaces themselves. Written
 * straight into the simulator's object store (the API server's storage),
 * deterministically, with the sizes and shapes real objects have (the
 * kubelet's status, container images on nodes, event series).
 *
 * `ClusterChurn` keeps such a cluster changing at a steady rate, the way a
 * busy one does: pods flap readiness and restart, events are recorded and
 * expire, kubelets report node status, and KAITO's workspaces change state.
 */
import type { InMemoryObjectStore } from '@kaito-backstage/simulator';
import { prng } from '../api/fixtures';

type KubeObject = Parameters<InMemoryObjectStore['create']>[0];

export interface UnrelatedLoad {
  pods: number;
  events: number;
  nodes: number;
  /** Namespaces the application pods are spread over. */
  namespaces: number;
}

/** The busy cluster: 20,000 pods, 200,000 events, 500 nodes. */
export const BUSY_CLUSTER: UnrelatedLoad = {
  pods: 20_000,
  events: 200_000,
  nodes: 500,
  namespaces: 50,
};

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const iso = (ms: number) =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const appNamespace = (i: number) => `app-${pad(i, 2)}`;
export const appNodeName = (i: number) =>
  `aks-user${i % 5}-${pad(31415926 + (i % 5), 8)}-vmss${pad(i, 6)}`;
const appPodName = (i: number) =>
  `svc${pad(i % 400, 3)}-${((i * 2654435761) >>> 0)
    .toString(36)
    .slice(0, 8)}-${pad(i, 5)}`;

/** A general-purpose AKS node (no GPU), as the kubelet reports it. */
export function appNode(i: number, now: number): KubeObject {
  const ts = iso(now - 40 * 86_400_000);
  const pool = `user${i % 5}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: appNodeName(i),
      labels: {
        agentpool: pool,
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': 'Standard_D8ds_v5',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.azure.com/agentpool': pool,
        'kubernetes.azure.com/mode': 'user',
        'kubernetes.azure.com/node-image-version':
          'AKSUbuntu-2204gen2containerd-202411.12.0',
        'kubernetes.azure.com/role': 'agent',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': appNodeName(i),
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'Standard_D8ds_v5',
        'topology.kubernetes.io/region': 'eastus',
        'topology.kubernetes.io/zone': `eastus-${(i % 3) + 1}`,
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: `10.244.${i % 256}.0/24`,
      providerID: `azure:///subscriptions/0/resourceGroups/mc_rg/providers/Microsoft.Compute/virtualMachineScaleSets/aks-${pool}/virtualMachines/${i}`,
    },
    status: {
      capacity: {
        cpu: '8',
        memory: '32863748Ki',
        pods: '110',
        'ephemeral-storage': '129886128Ki',
      },
      allocatable: {
        cpu: '7820m',
        memory: '28470276Ki',
        pods: '110',
        'ephemeral-storage': '119703055367',
      },
      conditions: [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
        ['Ready', 'True', 'KubeletReady'],
      ].map(([type, status, reason]) => ({
        type,
        status,
        reason,
        message: `kubelet ${reason
          .replace(/([A-Z])/g, ' $1')
          .trim()
          .toLowerCase()}`,
        lastHeartbeatTime: ts,
        lastTransitionTime: ts,
      })),
      addresses: [
        {
          type: 'InternalIP',
          address: `10.224.${Math.floor(i / 250)}.${i % 250}`,
        },
        { type: 'Hostname', address: appNodeName(i) },
      ],
      nodeInfo: {
        architecture: 'amd64',
        containerRuntimeVersion: 'containerd://1.7.23-1',
        kernelVersion: '5.15.0-1074-azure',
        kubeProxyVersion: 'v1.30.6',
        kubeletVersion: 'v1.30.6',
        operatingSystem: 'linux',
        osImage: 'Ubuntu 22.04.5 LTS',
        machineID: pad(i, 32),
        systemUUID: pad(i, 32),
        bootID: pad(i, 32),
      },
      // A real node lists the images it holds (dozens, with digests).
      images: Array.from({ length: 24 }, (_, k) => ({
        names: [
          `myregistry.azurecr.io/team${k % 8}/svc${k}@sha256:${pad(
            k * 7919 + i,
            64,
          )}`,
          `myregistry.azurecr.io/team${k % 8}/svc${k}:1.${k}.${i % 10}`,
        ],
        sizeBytes: 50_000_000 + k * 1_000_003,
      })),
    },
  };
}

/** An application pod (a Deployment's replica), Running on an app node. */
export function appPod(
  i: number,
  load: UnrelatedLoad,
  now: number,
  ready = true,
): KubeObject {
  const app = `svc${pad(i % 400, 3)}`;
  const started = iso(now - ((i % 30) + 1) * 3_600_000);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: appPodName(i),
      namespace: appNamespace(i % load.namespaces),
      labels: {
        app,
        'app.kubernetes.io/name': app,
        'pod-template-hash': (i % 97).toString(36),
      },
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9090',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${app}-${(i % 97).toString(36)}`,
          uid: `rs-${i % 400}`,
          controller: true,
        },
      ],
    },
    spec: {
      nodeName: appNodeName(i % load.nodes),
      serviceAccountName: 'default',
      containers: [
        {
          name: app,
          image: `myregistry.azurecr.io/${app}:2.${i % 7}.0`,
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          env: [
            { name: 'LOG_LEVEL', value: 'info' },
            {
              name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
              value: 'http://otel-collector.monitoring:4317',
            },
          ],
          resources: {
            requests: { cpu: '100m', memory: '256Mi' },
            limits: { memory: '512Mi' },
          },
          readinessProbe: {
            httpGet: { path: '/healthz', port: 8080 },
            periodSeconds: 10,
          },
        },
      ],
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: started },
        {
          type: 'Ready',
          status: ready ? 'True' : 'False',
          lastTransitionTime: started,
        },
        {
          type: 'ContainersReady',
          status: ready ? 'True' : 'False',
          lastTransitionTime: started,
        },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: started },
      ],
      hostIP: `10.224.${Math.floor((i % load.nodes) / 250)}.${
        (i % load.nodes) % 250
      }`,
      podIP: `10.244.${i % 256}.${i % 250}`,
      startTime: started,
      containerStatuses: [
        {
          name: app,
          ready,
          restartCount: i % 3,
          image: `myregistry.azurecr.io/${app}:2.${i % 7}.0`,
          imageID: `myregistry.azurecr.io/${app}@sha256:${pad(i, 64)}`,
          containerID: `containerd://${pad(i, 64)}`,
          started: true,
          state: { running: { startedAt: started } },
        },
      ],
      qosClass: 'Burstable',
    },
  };
}

const POD_EVENTS = [
  [
    'Normal',
    'Scheduled',
    'Successfully assigned {ns}/{pod} to {node}',
    'default-scheduler',
  ],
  ['Normal', 'Pulling', 'Pulling image "{image}"', 'kubelet'],
  [
    'Normal',
    'Pulled',
    'Successfully pulled image "{image}" in 1.204s (1.204s including waiting). Image size: 52428800 bytes.',
    'kubelet',
  ],
  ['Normal', 'Created', 'Created container {app}', 'kubelet'],
  ['Normal', 'Started', 'Started container {app}', 'kubelet'],
  [
    'Warning',
    'Unhealthy',
    'Readiness probe failed: Get "http://10.244.0.1:8080/healthz": context deadline exceeded',
    'kubelet',
  ],
  [
    'Warning',
    'BackOff',
    'Back-off restarting failed container {app} in pod {pod}',
    'kubelet',
  ],
] as const;

/** The `n`th event of the cluster's application pods (and, one in 50, of a node). */
export function appEvent(
  n: number,
  load: UnrelatedLoad,
  now: number,
): KubeObject {
  const podIndex = n % load.pods;
  const ns = appNamespace(podIndex % load.namespaces);
  const pod = appPodName(podIndex);
  const app = `svc${pad(podIndex % 400, 3)}`;
  const node = appNodeName(podIndex % load.nodes);
  const at = iso(now - (n % 3600) * 1000);
  if (n % 50 === 49) {
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${node}.${(n >>> 0).toString(16)}`,
        namespace: 'default',
      },
      involvedObject: { kind: 'Node', name: node, uid: node, apiVersion: 'v1' },
      reason: 'NodeHasSufficientMemory',
      message: `Node ${node} status is now: NodeHasSufficientMemory`,
      type: 'Normal',
      source: { component: 'kubelet', host: node },
      count: 1,
      firstTimestamp: at,
      lastTimestamp: at,
      reportingComponent: 'kubelet',
      reportingInstance: node,
    };
  }
  const [type, reason, template, component] = POD_EVENTS[n % POD_EVENTS.length];
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${pod}.${(n >>> 0).toString(16)}`, namespace: ns },
    involvedObject: {
      kind: 'Pod',
      namespace: ns,
      name: pod,
      uid: `pod-${podIndex}`,
      apiVersion: 'v1',
      fieldPath: `spec.containers{${app}}`,
    },
    reason,
    message: template
      .replace('{ns}', ns)
      .replace('{pod}', pod)
      .replace('{node}', node)
      .replace('{app}', app)
      .replace('{image}', `myregistry.azurecr.io/${app}:2.${podIndex % 7}.0`),
    type,
    source: { component, ...(component === 'kubelet' ? { host: node } : {}) },
    count: reason === 'Unhealthy' || reason === 'BackOff' ? 1 + (n % 20) : 1,
    firstTimestamp: at,
    lastTimestamp: at,
    reportingComponent: component,
    reportingInstance: component === 'kubelet' ? node : '',
  };
}

/** Seeds the unrelated load into a cluster's store. Returns how long it took. */
export async function seedUnrelatedLoad(
  store: InMemoryObjectStore,
  load: UnrelatedLoad,
  progress: (line: string) => void = () => {},
): Promise<number> {
  const started = Date.now();
  const now = Date.now();
  for (let i = 0; i < load.namespaces; i++) {
    await store.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: appNamespace(i) },
    });
  }
  for (let i = 0; i < load.nodes; i++) await store.create(appNode(i, now));
  for (let i = 0; i < load.pods; i++) await store.create(appPod(i, load, now));
  progress(
    `  seeded ${load.nodes} nodes and ${load.pods} pods in ${
      Date.now() - started
    } ms`,
  );
  for (let n = 0; n < load.events; n++) {
    await store.create(appEvent(n, load, now));
    if (n > 0 && n % 50_000 === 0) progress(`  seeded ${n} events`);
  }
  return Date.now() - started;
}

/** KAITO's own pods: one per workspace (its inference server or tuning job pod). */
export async function seedKaitoPodsAndEvents(
  store: InMemoryObjectStore,
  workspaces: {
    name: string;
    namespace: string;
    tuning: boolean;
    node?: string;
  }[],
): Promise<void> {
  const now = Date.now();
  for (const [k, ws] of workspaces.entries()) {
    const pod = ws.tuning
      ? `${ws.name}-${(k % 97).toString(36)}xk2p`
      : `${ws.name}-0`;
    const at = iso(now - (k % 600) * 1000);
    await store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod,
        namespace: ws.namespace,
        labels: {
          'kaito.sh/workspace': ws.name,
          ...(ws.tuning
            ? { 'job-name': ws.name }
            : { 'apps.kubernetes.io/pod-index': '0' }),
        },
      },
      spec: {
        ...(ws.node ? { nodeName: ws.node } : {}),
        containers: [
          {
            name: ws.name,
            image: `mcr.microsoft.com/aks/kaito/kaito-base:0.0.8`,
            resources: {
              limits: { 'nvidia.com/gpu': '1' },
              requests: { 'nvidia.com/gpu': '1' },
            },
          },
        ],
      },
      status: {
        phase: ws.node ? 'Running' : 'Pending',
        conditions: [
          {
            type: 'Ready',
            status: ws.node ? 'True' : 'False',
            lastTransitionTime: at,
          },
        ],
        containerStatuses: [
          {
            name: ws.name,
            ready: Boolean(ws.node),
            restartCount: 0,
            image: 'kaito-base',
            imageID: '',
            started: Boolean(ws.node),
          },
        ],
      },
    });
    for (const [reason, kind, name] of [
      ['NodeClaimCreated', 'Workspace', ws.name],
      ['Scheduled', 'Pod', pod],
      ['Started', 'Pod', pod],
    ] as const) {
      await store.create({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          name: `${name}.${reason.toLowerCase()}${k}`,
          namespace: ws.namespace,
        },
        involvedObject: {
          kind,
          name,
          namespace: ws.namespace,
          apiVersion: kind === 'Pod' ? 'v1' : 'kaito.sh/v1beta1',
        },
        reason,
        message: `${reason} for ${kind.toLowerCase()} ${name}`,
        type: 'Normal',
        source: { component: kind === 'Pod' ? 'kubelet' : 'kaito-workspace' },
        count: 1,
        firstTimestamp: at,
        lastTimestamp: at,
      });
    }
  }
}

export interface ChurnRates {
  /** Application pods flapping readiness, per minute. */
  podUpdatesPerMinute: number;
  /** Events recorded (and as many expiring), per minute. */
  eventsPerMinute: number;
  /** Node status reports (kubelet), per minute. */
  nodeUpdatesPerMinute: number;
  /** KAITO workspace status changes, per minute. */
  workspaceUpdatesPerMinute: number;
}

/** A busy cluster's steady change: with 200,000 events kept for an hour, ~3,300 a minute. */
export const BUSY_CHURN: ChurnRates = {
  podUpdatesPerMinute: 2_000,
  eventsPerMinute: 3_300,
  nodeUpdatesPerMinute: 100,
  workspaceUpdatesPerMinute: 30,
};

/** KAITO's own change only (the quiet cluster). */
export const KAITO_CHURN: ChurnRates = {
  podUpdatesPerMinute: 0,
  eventsPerMinute: 0,
  nodeUpdatesPerMinute: 0,
  workspaceUpdatesPerMinute: 30,
};

/** Keeps a cluster changing at `rates` (in 100 ms ticks) until stopped. */
export class ClusterChurn {
  private timer?: NodeJS.Timeout;
  private tick = 0;
  private nextEvent: number;
  private readonly random = prng(14);
  private workspaceNames?: { namespace?: string; name: string }[];
  changes = 0;

  constructor(
    private readonly store: InMemoryObjectStore,
    private readonly load: UnrelatedLoad,
    private readonly rates: ChurnRates,
  ) {
    this.nextEvent = load.events;
  }

  start(): void {
    const perTick = (perMinute: number) => perMinute / 600;
    let debt = { pods: 0, events: 0, nodes: 0, workspaces: 0 };
    this.timer = setInterval(() => {
      this.tick++;
      debt = {
        pods: debt.pods + perTick(this.rates.podUpdatesPerMinute),
        events: debt.events + perTick(this.rates.eventsPerMinute),
        nodes: debt.nodes + perTick(this.rates.nodeUpdatesPerMinute),
        workspaces:
          debt.workspaces + perTick(this.rates.workspaceUpdatesPerMinute),
      };
      const now = Date.now();
      for (; debt.pods >= 1; debt.pods--) {
        const i = Math.floor(this.random() * this.load.pods);
        this.write(appPod(i, this.load, now, this.random() < 0.5));
      }
      for (; debt.events >= 1; debt.events--) {
        // A new event, and the oldest one expiring (the API server's 1 h TTL).
        this.create(appEvent(this.nextEvent, this.load, now));
        this.remove(
          appEvent(this.nextEvent - this.load.events, this.load, now),
        );
        this.nextEvent++;
      }
      for (; debt.nodes >= 1; debt.nodes--) {
        const node = appNode(Math.floor(this.random() * this.load.nodes), now);
        const conditions = (node.status as any).conditions as any[];
        for (const c of conditions) c.lastHeartbeatTime = iso(now);
        this.write(node);
      }
      for (; debt.workspaces >= 1; debt.workspaces--) this.touchWorkspace(now);
    }, 100);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** A status write on a random workspace (KAITO's controller reconciling). */
  private touchWorkspace(now: number) {
    this.workspaceNames ??= this.store
      .list({ group: 'kaito.sh', plural: 'workspaces' })
      .items.map(w => ({
        namespace: w.metadata.namespace,
        name: w.metadata.name,
      }));
    if (this.workspaceNames.length === 0) return;
    const ref =
      this.workspaceNames[
        Math.floor(this.random() * this.workspaceNames.length)
      ];
    const ws = this.store.get({
      group: 'kaito.sh',
      plural: 'workspaces',
      ...ref,
    });
    if (!ws) return;
    const status = { ...(ws.status ?? {}) } as any;
    status.conditions = (status.conditions ?? []).map((c: any) =>
      c.type === 'ResourceReady' ? { ...c, lastTransitionTime: iso(now) } : c,
    );
    this.changes++;
    this.store.updateStatus({ ...ws, status }).catch(() => undefined);
  }

  /** A status report of an existing pod or node (what the kubelet writes). */
  private write(object: KubeObject) {
    const current = this.store.get({
      group: '',
      plural: object.kind === 'Node' ? 'nodes' : 'pods',
      namespace: object.metadata.namespace,
      name: object.metadata.name,
    });
    if (!current) return;
    this.changes++;
    this.store
      .updateStatus({ ...current, status: object.status })
      .catch(() => undefined);
  }

  private create(object: KubeObject) {
    this.changes++;
    this.store.create(object).catch(() => undefined);
  }

  private remove(object: KubeObject) {
    if (object.metadata.name === undefined) return;
    this.changes++;
    this.store
      .delete({
        group: '',
        plural: 'events',
        namespace: object.metadata.namespace,
        name: object.metadata.name,
      })
      .catch(() => undefined);
  }
}
