import { findGpuSku } from '@kaito-backstage/plugin-kaito-common';
import type { ArmSimulator } from '../arm/ArmSimulator';
import type { FaultStore } from '../faults';
import type { KubeObject, ObjectStore } from '../kube/api';
import { WORKSPACE_KEY, type NodeProvisioner } from '../kaito/constants';
import type { Workspace } from '../kaito/workspace';
import { createIfAbsent } from '../wiring/objectUpdates';
import type { WarpClock } from '../wiring/warpClock';

/**
 * The demo cluster: team `ml-team` with two catalog components.
 * - `support-chatbot`: a finished phi-3 QLoRA tuning run, and an inference
 *   endpoint serving phi-3 with the adapter that run pushed;
 * - `code-assistant`: an inference workspace stuck on GPU quota (its H100
 *   family has none left), the most common way KAITO "never gets Ready".
 * Plus a GPU pool made directly through ARM (as the plugin's pool page
 * would). In BYO mode the workspaces run on pools made beforehand. The seed fast-forwards the clock until the runs reached those
 * states, then continues at the interactive time scale.
 */
export const DEMO_NAMESPACE = 'ml-team';
export const DEMO_ENTITIES = ['support-chatbot', 'code-assistant'] as const;
const TUNING_OUTPUT = 'kaitodemo.azurecr.io/adapters/support-chatbot-phi-3:v1';
const FAST_FORWARD_SCALE = 3000;
const FAST_FORWARD_TIMEOUT_MS = 60_000;

const entityMeta = (entity: string) => ({
  labels: {
    'backstage.io/kubernetes-id': entity,
    'app.kubernetes.io/managed-by': 'backstage-kaito',
  },
  annotations: {
    'kaito.backstage.io/entity-ref': `component:default/${entity}`,
  },
});

function workspace(
  name: string,
  entity: string,
  body: Partial<Workspace>,
): KubeObject {
  const meta = entityMeta(entity);
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: {
      name,
      namespace: DEMO_NAMESPACE,
      labels: meta.labels,
      annotations: meta.annotations,
    },
    ...body,
  };
}

export function demoWorkspaces(nodeProvisioner: NodeProvisioner): KubeObject[] {
  if (nodeProvisioner === 'byo') {
    // KAITO v0.12 cannot build a tuning Job without an instanceType, and the
    // H100 pool never comes up: only the chatbot endpoint runs in BYO mode.
    return [
      workspace('support-chatbot', 'support-chatbot', {
        resource: {
          labelSelector: { matchLabels: { apps: 'support-chatbot' } },
        },
        inference: {
          preset: { name: 'phi-3-mini-128k-instruct' },
          adapters: [
            {
              source: { name: 'support-chatbot-phi-3', image: TUNING_OUTPUT },
            },
          ],
        },
      }),
    ];
  }
  const instanceType = (sku: string) => ({ instanceType: sku });
  return [
    workspace('support-chatbot-tuning', 'support-chatbot', {
      resource: {
        ...instanceType('Standard_NC24ads_A100_v4'),
        labelSelector: { matchLabels: { apps: 'support-chatbot-tuning' } },
      },
      tuning: {
        preset: { name: 'phi-3-mini-128k-instruct' },
        method: 'qlora',
        input: {
          name: 'support-conversations',
          urls: [
            'https://huggingface.co/datasets/philschmid/dolly-15k-oai-style/resolve/main/data/train-00000-of-00001-54e3756291ca09c6.parquet?download=true',
          ],
        },
        output: { image: TUNING_OUTPUT, imagePushSecret: 'acr-push-secret' },
      },
    }),
    workspace('support-chatbot', 'support-chatbot', {
      resource: {
        ...instanceType('Standard_NC24ads_A100_v4'),
        labelSelector: { matchLabels: { apps: 'support-chatbot' } },
      },
      inference: {
        preset: { name: 'phi-3-mini-128k-instruct' },
        adapters: [
          {
            source: { name: 'support-chatbot-phi-3', image: TUNING_OUTPUT },
          },
        ],
      },
    }),
    workspace('code-assistant', 'code-assistant', {
      resource: {
        ...instanceType('Standard_NC40ads_H100_v5'),
        labelSelector: { matchLabels: { apps: 'code-assistant' } },
      },
      inference: { preset: { name: 'qwen2.5-coder-7b-instruct' } },
    }),
  ];
}

function condition(ws: KubeObject | undefined, type: string) {
  return ((ws?.status as Workspace['status'])?.conditions ?? []).find(
    c => c.type === type,
  );
}

async function waitFor(
  check: () => boolean,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  return check();
}

export async function seedDemo(deps: {
  store: ObjectStore;
  arm: ArmSimulator;
  faults: FaultStore;
  clock: WarpClock;
  nodeProvisioner: NodeProvisioner;
  interactiveScale: number;
}): Promise<void> {
  const { store, arm, faults, clock } = deps;
  await createIfAbsent(store, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: DEMO_NAMESPACE },
  });
  await createIfAbsent(store, {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/dockerconfigjson',
    metadata: { name: 'acr-push-secret', namespace: DEMO_NAMESPACE },
    data: {
      '.dockerconfigjson': Buffer.from(
        JSON.stringify({
          auths: {
            'kaitodemo.azurecr.io': {
              auth: Buffer.from(
                '00000000-0000-0000-0000-000000000000:demo',
              ).toString('base64'),
            },
          },
        }),
      ).toString('base64'),
    },
  });
  const h100 = findGpuSku('Standard_NC40ads_H100_v5')!.quotaFamily;
  faults.patch({
    quotaExhaustedFamilies: [
      ...new Set([...faults.get().quotaExhaustedFamilies, h100]),
    ],
  });

  clock.warp(FAST_FORWARD_SCALE);
  try {
    const pools: [string, Record<string, unknown>][] = [
      // A pool the platform team made for ad-hoc experiments.
      ['gpua10', gpuPool('Standard_NV36ads_A10_v5', { apps: 'playground' })],
      ...(deps.nodeProvisioner === 'byo'
        ? // Without NAP the workspaces run on pools made beforehand (the last one hits the quota).
          ([
            [
              'chatbot',
              gpuPool('Standard_NC24ads_A100_v4', { apps: 'support-chatbot' }),
            ],
            [
              'codeassist',
              gpuPool('Standard_NC40ads_H100_v5', { apps: 'code-assistant' }),
            ],
          ] as [string, Record<string, unknown>][])
        : []),
    ];
    for (const [name, properties] of pools) {
      if (!arm.getAgentPool(name))
        await arm.createOrUpdateAgentPool(name, { properties });
    }
    const settled = (name: string) =>
      ['Succeeded', 'Failed'].includes(
        String(arm.getAgentPool(name)?.properties.provisioningState),
      );
    await waitFor(
      () => pools.every(([name]) => settled(name)),
      FAST_FORWARD_TIMEOUT_MS,
    );
    await waitFor(
      () =>
        readyNodes(store, 'support-chatbot') > 0 ||
        deps.nodeProvisioner !== 'byo',
      FAST_FORWARD_TIMEOUT_MS,
    );

    for (const ws of demoWorkspaces(deps.nodeProvisioner))
      await createIfAbsent(store, ws);
    const get = (name: string) =>
      store.get({ ...WORKSPACE_KEY, namespace: DEMO_NAMESPACE, name });
    await waitFor(
      () =>
        condition(get('support-chatbot'), 'InferenceReady')?.status ===
          'True' &&
        (deps.nodeProvisioner === 'byo' ||
          (condition(get('support-chatbot-tuning'), 'WorkspaceSucceeded')
            ?.status === 'True' &&
            condition(get('code-assistant'), 'NodeClaimReady')?.reason ===
              'QuotaExceeded')),
      FAST_FORWARD_TIMEOUT_MS,
    );
  } finally {
    clock.warp(deps.interactiveScale);
  }
}

function gpuPool(
  vmSize: string,
  nodeLabels: Record<string, string>,
): Record<string, unknown> {
  return {
    vmSize,
    count: 1,
    mode: 'User',
    nodeTaints: ['sku=gpu:NoSchedule'],
    nodeLabels,
    tags: { 'created-by': 'backstage' },
  };
}

function readyNodes(store: ObjectStore, app: string): number {
  return store
    .list({ group: '', plural: 'nodes', labelSelector: `apps=${app}` })
    .items.filter(n =>
      (
        (n.status as { conditions?: { type: string; status: string }[] })
          .conditions ?? []
      ).some(c => c.type === 'Ready' && c.status === 'True'),
    ).length;
}
