/**
 * The benchmark's cluster contents: KAITO Workspaces of many catalog entities
 * (selected by the `backstage.io/kubernetes-id` label, as both the KAITO
 * backend and the Kubernetes plugin select them), mixed inference and tuning,
 * in the states a busy cluster shows, with the status KAITO v0.12 writes
 * (conditions, reasons and messages as the simulator's controllers compute
 * them), and the GPU Nodes their `status.workerNodes` name.
 *
 * Deterministic: the same options always give the same objects.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_CREATED_BY,
  ANNOTATION_ENTITY_REF,
  LABEL_KUBERNETES_ID,
  LABEL_MANAGED_BY,
  MANAGED_BY_VALUE,
  WORKSPACE_API_VERSION,
  WORKSPACE_KIND,
  type Workspace,
  type WorkspaceCondition,
  type WorkspaceState,
} from '@kaito-backstage/plugin-kaito-common';

export interface FixtureOptions {
  /** Catalog entities whose workspaces are spread over every cluster. */
  entities: number;
  /** Workspaces per entity and cluster. */
  workspacesPerEntity: number;
  /** Namespaces the entities' workspaces are spread over. */
  namespaces: number;
}

export const DEFAULT_FIXTURE: FixtureOptions = {
  entities: 100,
  workspacesPerEntity: 20,
  namespaces: 10,
};

/**
 * What a workspace is doing. Per 20 workspaces of an entity: 12 inference
 * (9 Ready, 1 provisioning its GPU node, 1 waiting for the model server,
 * 1 NotReady in CrashLoopBackOff) and 8 tuning (5 Succeeded, 2 Running,
 * 1 Failed).
 */
export type Scenario =
  | 'inference-ready'
  | 'inference-provisioning'
  | 'inference-pending'
  | 'inference-crashloop'
  | 'tuning-succeeded'
  | 'tuning-running'
  | 'tuning-failed';

const MIX: Scenario[] = [
  ...Array<Scenario>(9).fill('inference-ready'),
  'inference-provisioning',
  'inference-pending',
  'inference-crashloop',
  ...Array<Scenario>(5).fill('tuning-succeeded'),
  ...Array<Scenario>(2).fill('tuning-running'),
  'tuning-failed',
];

/** Presets and SKUs from the suite's catalog (kaito-common). */
const INFERENCE = [
  { preset: 'phi-4-mini-instruct', sku: 'Standard_NC24ads_A100_v4' },
  { preset: 'phi-3-mini-128k-instruct', sku: 'Standard_NC24ads_A100_v4' },
  { preset: 'mistral-7b-instruct', sku: 'Standard_NV36ads_A10_v5' },
  { preset: 'qwen2.5-coder-7b-instruct', sku: 'Standard_NC24ads_A100_v4' },
  { preset: 'llama-3.1-8b-instruct', sku: 'Standard_NC40ads_H100_v5' },
  { preset: 'deepseek-r1-distill-llama-8b', sku: 'Standard_NC24ads_A100_v4' },
];
const TUNING = [
  { preset: 'phi-3-mini-128k-instruct', sku: 'Standard_NC24ads_A100_v4' },
  { preset: 'phi-4-mini-instruct', sku: 'Standard_NC24ads_A100_v4' },
  { preset: 'qwen2.5-coder-7b-instruct', sku: 'Standard_NC24ads_A100_v4' },
  { preset: 'mistral-7b', sku: 'Standard_NC24ads_A100_v4' },
];

/** The fixed instant the fixtures are dated from (creation times go back 30 days). */
export const FIXTURE_EPOCH = Date.parse('2026-07-20T12:00:00Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function entityId(index: number): string {
  return `svc-${pad(index, 3)}`;
}

export function entityRef(index: number): string {
  return `component:default/${entityId(index)}`;
}

export function namespaceOf(index: number, options: FixtureOptions): string {
  return `team-${pad(index % options.namespaces, 2)}`;
}

export function namespaces(options: FixtureOptions): string[] {
  return Array.from({ length: options.namespaces }, (_, i) =>
    namespaceOf(i, options),
  );
}

/** The catalog entities: one Component per kubernetes-id, owned by its team. */
export function catalogEntities(options: FixtureOptions): Entity[] {
  return Array.from({ length: options.entities }, (_, e) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: entityId(e),
      namespace: 'default',
      annotations: { [LABEL_KUBERNETES_ID]: entityId(e) },
    },
    spec: {
      type: 'service',
      owner: `group:default/${namespaceOf(e, options)}`,
      lifecycle: 'production',
    },
  }));
}

export function scenarioOf(slot: number): Scenario {
  return MIX[slot % MIX.length];
}

export interface ClusterFixture {
  /** Workspaces without status (what a client creates). */
  workspace: Workspace;
  /** The status the KAITO controller has written. */
  status: NonNullable<Workspace['status']>;
  /** The Nodes named by `status.workerNodes`, with their Ready condition. */
  nodes: NodeFixture[];
  /** When the workspace was created (the store dates it). */
  createdAt: Date;
}

export interface NodeFixture {
  name: string;
  instanceType: string;
  gpus: number;
  matchLabels: Record<string, string>;
  ready: boolean;
  createdAt: Date;
}

const GPUS: Record<string, number> = {
  Standard_NC24ads_A100_v4: 1,
  Standard_NV36ads_A10_v5: 1,
  Standard_NC40ads_H100_v5: 1,
};

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

function condition(
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  at: number,
): WorkspaceCondition {
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: iso(at),
    observedGeneration: 1,
  };
}

/**
 * One workspace of entity `e` on cluster `cluster` (0-based), slot `slot` of
 * the entity's workspaces there.
 */
export function workspaceFixture(
  cluster: number,
  e: number,
  slot: number,
  options: FixtureOptions,
): ClusterFixture {
  const random = prng(cluster * 1_000_003 + e * 1_009 + slot);
  const scenario = scenarioOf(slot);
  const inference = scenario.startsWith('inference');
  const id = entityId(e);
  const name = `${id}-${inference ? 'serve' : 'tune'}-${pad(slot, 2)}`;
  const namespace = namespaceOf(e, options);
  const model = inference
    ? INFERENCE[(e + slot) % INFERENCE.length]
    : TUNING[(e + slot) % TUNING.length];
  // Finished runs are older; running and pending ones recent.
  const ageMs =
    scenario === 'tuning-succeeded' ||
    scenario === 'tuning-failed' ||
    scenario === 'inference-ready'
      ? DAY + random() * 29 * DAY
      : 10 * MINUTE + random() * 3 * 60 * MINUTE;
  const created = FIXTURE_EPOCH - Math.round(ageMs);
  const suiteCreated = slot % 5 !== 4; // 1 in 5 applied with kubectl/GitOps
  const matchLabels = { apps: name };

  const workspace: Workspace = {
    apiVersion: WORKSPACE_API_VERSION,
    kind: WORKSPACE_KIND,
    metadata: {
      name,
      namespace,
      labels: {
        [LABEL_KUBERNETES_ID]: id,
        ...(suiteCreated ? { [LABEL_MANAGED_BY]: MANAGED_BY_VALUE } : {}),
      },
      annotations: suiteCreated
        ? {
            [ANNOTATION_ENTITY_REF]: entityRef(e),
            [ANNOTATION_CREATED_BY]: `user:default/dev-${pad(
              Math.floor(random() * 40),
              2,
            )}`,
          }
        : {},
    },
    resource: { instanceType: model.sku, labelSelector: { matchLabels } },
    ...(inference
      ? {
          inference: {
            preset: { name: model.preset },
            ...(slot % 3 === 0
              ? {
                  adapters: [
                    {
                      source: {
                        name: `${id}-adapter`,
                        image: `myregistry.azurecr.io/adapters/${id}:0.0.${slot}`,
                      },
                      strength: '1.0',
                    },
                  ],
                }
              : {}),
          },
        }
      : {
          tuning: {
            preset: { name: model.preset },
            method: slot % 2 === 0 ? 'qlora' : 'lora',
            input: {
              name: 'dolly-15k',
              urls: [
                'https://huggingface.co/datasets/philschmid/dolly-15k-oai-style/resolve/main/data/train-00000-of-00001-54e3756291ca09c6.parquet?download=true',
              ],
            },
            output: {
              image: `myregistry.azurecr.io/adapters/${id}-${slot}:0.0.1`,
              imagePushSecret: 'acr-push-secret',
            },
          },
        }),
  };

  const t = (minutes: number) => created + Math.round(minutes * MINUTE);
  // gpu-provisioner names the agent pool after the workspace; AKS the node.
  const nodeName = `aks-${name.replace(/[^a-z0-9]/g, '')}-${pad(
    Math.floor(random() * 1e8),
    8,
  )}-vmss000000`;
  const node = (ready: boolean): NodeFixture => ({
    name: nodeName,
    instanceType: model.sku,
    gpus: GPUS[model.sku] ?? 1,
    matchLabels,
    ready,
    createdAt: new Date(t(6)),
  });

  const claimsReady = condition(
    'NodeClaimReady',
    'True',
    'NodeClaimsReady',
    'Enough NodeClaims are ready',
    t(6),
  );
  const nodesReady = condition(
    'NodesReady',
    'True',
    'NodesReady',
    'Enough Nodes are ready',
    t(8),
  );
  const resourceReady = condition(
    'ResourceReady',
    'True',
    'workspaceResourceStatusSuccess',
    'workspace resource is ready',
    t(8),
  );
  const inferencePending = [
    condition(
      'InferenceReady',
      'False',
      'WorkspaceInferenceStatusPending',
      'Inference workload is not ready',
      t(0.2),
    ),
    condition(
      'WorkspaceSucceeded',
      'False',
      'workspacePending',
      'workspace is waiting for inference workload readiness',
      t(0.2),
    ),
  ];
  let conditions: WorkspaceCondition[];
  let state: WorkspaceState;
  let nodes: NodeFixture[] = [node(true)];
  switch (scenario) {
    case 'inference-ready':
      state = 'Ready';
      conditions = [
        claimsReady,
        nodesReady,
        resourceReady,
        condition(
          'InferenceReady',
          'True',
          'WorkspaceInferenceStatusSuccess',
          'Inference has been deployed successfully',
          t(14),
        ),
        condition(
          'WorkspaceSucceeded',
          'True',
          'workspaceSucceeded',
          'workspace succeeds',
          t(14),
        ),
      ];
      break;
    case 'inference-provisioning': {
      state = 'Pending';
      nodes = [];
      const notEnough = [
        'False',
        'NodeClaimNotReady',
        'Ready NodeClaims are not enough',
      ] as const;
      conditions = [
        condition('NodeClaimReady', ...notEnough, t(0.2)),
        condition(
          'NodesReady',
          'False',
          'NodeNotReady',
          'Not enough Nodes are ready',
          t(0.2),
        ),
        condition('ResourceReady', ...notEnough, t(0.2)),
        ...inferencePending,
      ];
      break;
    }
    case 'inference-pending':
      state = 'Pending';
      conditions = [
        claimsReady,
        nodesReady,
        resourceReady,
        ...inferencePending,
      ];
      break;
    case 'inference-crashloop':
      state = 'NotReady';
      conditions = [
        claimsReady,
        nodesReady,
        resourceReady,
        condition(
          'InferenceReady',
          'False',
          'ContainerCrashLoopBackOff',
          `pod ${name}-0 container ${name}: back-off 5m0s restarting failed container=${name} pod=${name}-0_${namespace}`,
          t(40),
        ),
        condition(
          'WorkspaceSucceeded',
          'False',
          'workspacePending',
          'workspace is waiting for inference workload readiness',
          t(40),
        ),
      ];
      break;
    case 'tuning-succeeded':
      state = 'Succeeded';
      conditions = [
        claimsReady,
        nodesReady,
        resourceReady,
        condition(
          'JobStarted',
          'True',
          'WorkspaceTuningJobStatusStarted',
          'Tuning job has started',
          t(12),
        ),
        condition(
          'WorkspaceSucceeded',
          'True',
          'workspaceSucceeded',
          'workspace succeeds',
          t(12 + 45 + random() * 240),
        ),
      ];
      break;
    case 'tuning-running':
      state = 'Running';
      conditions = [
        claimsReady,
        nodesReady,
        resourceReady,
        condition(
          'JobStarted',
          'True',
          'WorkspaceTuningJobStatusStarted',
          'Tuning job has started',
          t(12),
        ),
        condition(
          'WorkspaceSucceeded',
          'False',
          'workspacePending',
          'workspace has not completed yet, tuning job is running',
          t(12),
        ),
      ];
      break;
    case 'tuning-failed':
    default:
      state = 'Failed';
      conditions = [
        claimsReady,
        nodesReady,
        resourceReady,
        condition(
          'JobStarted',
          'False',
          'WorkspaceTuningJobStatusFailed',
          'tuning job failed',
          t(30),
        ),
        condition(
          'WorkspaceSucceeded',
          'False',
          'workspaceFailed',
          'tuning job failed',
          t(30),
        ),
      ];
      break;
  }
  return {
    workspace,
    status: {
      conditions,
      state,
      targetNodeCount: 1,
      workerNodes: nodes.map(n => n.name),
    },
    nodes,
    createdAt: new Date(created),
  };
}

/** Every workspace of one cluster, entity by entity. */
export function* clusterFixtures(
  cluster: number,
  options: FixtureOptions,
): Generator<ClusterFixture> {
  for (let e = 0; e < options.entities; e++) {
    for (let slot = 0; slot < options.workspacesPerEntity; slot++) {
      yield workspaceFixture(cluster, e, slot, options);
    }
  }
}

/** A GPU Node as AKS (with KAITO's node auto-provisioning) registers it. */
export function nodeObject(node: NodeFixture, location = 'eastus') {
  const ts = iso(node.createdAt.getTime());
  const ready = (type: string, reason: string, message: string) => ({
    type,
    status: 'False',
    reason,
    message,
    lastHeartbeatTime: ts,
    lastTransitionTime: ts,
  });
  const capacity = {
    cpu: '24',
    'ephemeral-storage': '259966896Ki',
    memory: '226562384Ki',
    'nvidia.com/gpu': String(node.gpus),
    pods: '250',
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        ...node.matchLabels,
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'karpenter.sh/nodepool': 'kaito',
        'kubernetes.azure.com/accelerator': 'nvidia',
        'kubernetes.azure.com/mode': 'user',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': node.instanceType,
        'nvidia.com/gpu.present': 'true',
        'topology.kubernetes.io/region': location,
        'topology.kubernetes.io/zone': '0',
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      taints: [{ key: 'sku', value: 'gpu', effect: 'NoSchedule' }],
    },
    status: {
      capacity,
      allocatable: { ...capacity, cpu: '23100m', memory: '203906144Ki' },
      conditions: [
        ready(
          'MemoryPressure',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        ready(
          'DiskPressure',
          'KubeletHasNoDiskPressure',
          'kubelet has no disk pressure',
        ),
        ready(
          'PIDPressure',
          'KubeletHasSufficientPID',
          'kubelet has sufficient PID available',
        ),
        {
          type: 'Ready',
          status: node.ready ? 'True' : 'False',
          reason: node.ready ? 'KubeletReady' : 'KubeletNotReady',
          message: node.ready
            ? 'kubelet is posting ready status'
            : 'container runtime network not ready',
          lastHeartbeatTime: ts,
          lastTransitionTime: ts,
        },
      ],
      nodeInfo: {
        architecture: 'amd64',
        containerRuntimeVersion: 'containerd://1.7.27-1',
        kernelVersion: '5.15.0-1089-azure',
        kubeletVersion: 'v1.33.2',
        operatingSystem: 'linux',
        osImage: 'Ubuntu 22.04.5 LTS',
      },
    },
  };
}
