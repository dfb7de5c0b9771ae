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
} from '@kaito-backstage/plugin-kaito-common';
import {
  scenarioStatus,
  type NodeFixture,
  type Scenario,
} from './workspaceStatusFixture';

export type { NodeFixture, Scenario } from './workspaceStatusFixture';

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

const GPUS: Record<string, number> = {
  Standard_NC24ads_A100_v4: 1,
  Standard_NV36ads_A10_v5: 1,
  Standard_NC40ads_H100_v5: 1,
};

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

  const { conditions, state, nodes } = scenarioStatus(scenario, {
    name,
    namespace,
    at: t,
    random,
    node,
  });
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
