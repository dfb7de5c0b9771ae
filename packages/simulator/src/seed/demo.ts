import { findGpuSku } from '@kaito-backstage/plugin-kaito-common';
import type { ArmSimulator } from '../arm/ArmSimulator';
import type { FaultStore } from '../faults';
import type { KubeObject, ObjectStore } from '../kube/api';
import { WORKSPACE_KEY, type NodeProvisioner } from '../kaito/constants';
import type { Workspace } from '../kaito/workspace';
import { createIfAbsent } from '../wiring/objectUpdates';
import type { WarpClock } from '../wiring/warpClock';
import {
  DEMO_NAMESPACE,
  DEMO_NAMESPACES,
  DEMO_TIMELINE,
  SUPPORT_ADAPTER,
} from './demoTimeline';
import { TimelinePlayer, msAgo, type TimelineProgress } from './timelinePlayer';

/**
 * The demo cluster: team `ml-team` with the example components, after a
 * quarter with the suite (`DEMO_TIMELINE`): a dozen past tuning runs (one
 * failed of GPU memory, one cancelled) and endpoints served for weeks, all
 * cleaned up since, and today's workspaces:
 * - `support-chatbot`: a finished phi-3 QLoRA tuning run, and an inference
 *   endpoint serving phi-3 with the adapter that run pushed;
 * - `code-assistant`: an inference workspace stuck on GPU quota (its H100
 *   family has none left), the most common way KAITO "never gets Ready".
 * Plus a GPU pool made directly through ARM (as the plugin's pool page
 * would). In BYO mode the workspaces run on pools made beforehand and there
 * is no history.
 *
 * The history plays out on the cluster (create, run, delete at their times,
 * fast-forwarded), so whoever watches it then, such as kaito-backend's watch
 * cache, records the runs exactly as it would have on a real cluster. With
 * `history: 'on-watch'` it waits for the first watch of workspaces (the
 * backend starting after the simulator), otherwise it plays at once.
 */
export { DEMO_NAMESPACE };
export const DEMO_ENTITIES = [
  'support-chatbot',
  'code-assistant',
  'docs-search',
] as const;
const FAST_FORWARD_SCALE = 3000;
const FAST_FORWARD_TIMEOUT_MS = 60_000;
const HISTORY_TIMEOUT_MS = 5 * 60_000;

/** When the demo cluster was created: a day before its first run. */
export function demoClusterCreatedAt(now = Date.now()): number {
  return (
    now - Math.max(...DEMO_TIMELINE.map(r => msAgo(r.created))) - 86_400_000
  );
}

export type DemoHistory = 'now' | 'on-watch';

/** Where the demo seed is (`GET /_sim/state`). */
export interface DemoSeedState {
  state: 'waiting for a watch of workspaces' | 'playing' | 'done' | 'failed';
  runs?: TimelineProgress;
  error?: string;
}

/** The one workspace of the BYO demo, on a pool made beforehand. */
function byoWorkspace(): KubeObject {
  const ws: Partial<Workspace> = {
    resource: { labelSelector: { matchLabels: { apps: 'support-chatbot' } } },
    inference: {
      preset: { name: 'phi-3-mini-128k-instruct' },
      adapters: [
        {
          source: { name: 'support-chatbot-phi-3', image: SUPPORT_ADAPTER },
        },
      ],
    },
  };
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: {
      name: 'support-chatbot',
      namespace: DEMO_NAMESPACE,
      labels: {
        'backstage.io/kubernetes-id': 'support-chatbot',
        'app.kubernetes.io/managed-by': 'backstage-kaito',
      },
      annotations: {
        'kaito.backstage.io/entity-ref': 'component:default/support-chatbot',
      },
    },
    ...ws,
  };
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

async function namespaceWithPushSecret(store: ObjectStore, name: string) {
  await createIfAbsent(store, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  await createIfAbsent(store, {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/dockerconfigjson',
    metadata: { name: 'acr-push-secret', namespace: name },
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
}

/**
 * Seeds the demo: namespaces, the H100 quota fault and the GPU pools at
 * once; the history (see above) now or after the first watch. Resolves once
 * the pools are there, with the history's progress and end.
 */
export async function seedDemo(deps: {
  store: ObjectStore;
  arm: ArmSimulator;
  faults: FaultStore;
  clock: WarpClock;
  nodeProvisioner: NodeProvisioner;
  interactiveScale: number;
  history: DemoHistory;
  /** Resolves when a client first watches workspaces. */
  workspacesWatched: () => Promise<void>;
}): Promise<{ state: () => DemoSeedState; done: Promise<void> }> {
  const { store, arm, faults, clock } = deps;
  for (const namespace of DEMO_NAMESPACES) {
    await namespaceWithPushSecret(store, namespace);
  }
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
    if (deps.nodeProvisioner === 'byo') {
      // KAITO v0.12 cannot build a tuning Job without an instanceType, and the
      // H100 pool never comes up: only the chatbot endpoint runs in BYO mode.
      await waitFor(
        () => readyNodes(store, 'support-chatbot') > 0,
        FAST_FORWARD_TIMEOUT_MS,
      );
      await createIfAbsent(store, byoWorkspace());
      await waitFor(
        () =>
          condition(
            store.get({
              ...WORKSPACE_KEY,
              namespace: DEMO_NAMESPACE,
              name: 'support-chatbot',
            }),
            'InferenceReady',
          )?.status === 'True',
        FAST_FORWARD_TIMEOUT_MS,
      );
      clock.jumpTo(Date.now());
      return { state: () => ({ state: 'done' }), done: Promise.resolve() };
    }
  } finally {
    clock.warp(deps.interactiveScale);
  }

  const player = new TimelinePlayer(
    {
      store,
      arm,
      clock,
      warpScale: FAST_FORWARD_SCALE,
      timeoutMs: HISTORY_TIMEOUT_MS,
    },
    DEMO_TIMELINE,
  );
  let state: DemoSeedState['state'] =
    deps.history === 'on-watch'
      ? 'waiting for a watch of workspaces'
      : 'playing';
  let error: string | undefined;
  const done = (async () => {
    if (deps.history === 'on-watch') await deps.workspacesWatched();
    state = 'playing';
    try {
      await player.play();
      state = 'done';
    } catch (e) {
      state = 'failed';
      error = (e as Error).message;
      throw e;
    } finally {
      clock.jumpTo(Date.now());
      clock.warp(deps.interactiveScale);
    }
  })();
  return {
    state: () => ({
      state,
      runs: player.progress(),
      ...(error ? { error } : {}),
    }),
    done,
  };
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
