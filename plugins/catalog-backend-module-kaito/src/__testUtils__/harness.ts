import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the tests run the real KAITO backend
import kaitoBackend from '@kaito-backstage/plugin-kaito-backend';
import {
  KaitoService,
  kaitoServiceRef,
} from '@kaito-backstage/plugin-kaito-node';
import {
  RunningSimulator,
  simulatorAppConfig,
  startSimulator,
} from '@kaito-backstage/simulator';

export const CLUSTER = 'aks-kaito-dev';
export const NAMESPACE = 'ml-team';
export const PUSH_SECRET = 'acr-push-secret';

/** The dev catalog's components and groups (examples/*.yaml), inline. */
export const ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'support-chatbot',
      namespace: 'default',
      title: 'Support chatbot',
      annotations: {
        'backstage.io/kubernetes-id': 'support-chatbot',
        'backstage.io/kubernetes-namespace': NAMESPACE,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'ml-team',
      system: 'assistants',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'code-assistant',
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': 'code-assistant',
        'backstage.io/kubernetes-namespace': NAMESPACE,
      },
    },
    spec: { type: 'service', lifecycle: 'experimental', owner: 'ml-team' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'no-kubernetes', namespace: 'default' },
    spec: {
      type: 'website',
      lifecycle: 'experimental',
      owner: 'platform-team',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'ml-team', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
];

export async function startDevSimulator(
  timeScale = 1000,
): Promise<RunningSimulator> {
  const sim = await startSimulator({
    port: 0,
    armPort: 0,
    adminPort: 0,
    timeScale,
    seed: 'none',
    clusterName: CLUSTER,
  });
  await sim.store.create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NAMESPACE },
  });
  await sim.store.create({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/dockerconfigjson',
    metadata: { name: PUSH_SECRET, namespace: NAMESPACE },
    data: {
      '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64'),
    },
  });
  return sim;
}

/** Backstage config pointing the KAITO backend at the simulator (as the simulator's CLI prints it). */
export function simulatorConfig(sim: RunningSimulator) {
  const config = simulatorAppConfig(sim);
  return {
    ...config,
    kaito: {
      ...config.kaito,
      watch: { initialBackoffMs: 50, maxBackoffMs: 500, syncTimeoutMs: 5000 },
    },
  };
}

/** The real KAITO backend against the simulator, and the real KaitoClient. */
export async function startKaito(
  sim: RunningSimulator,
  entities: Entity[] = ENTITIES,
) {
  let client: KaitoService | undefined;
  const probe = createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: { kaito: kaitoServiceRef },
        async init({ kaito }) {
          client = kaito;
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      kaitoBackend,
      probe,
      mockServices.rootConfig.factory({ data: simulatorConfig(sim) }),
      catalogServiceMock.factory({ entities }),
    ],
  });
  return { backend, client: client! };
}

export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${options.what ?? 'condition'}${
          lastError ? `: ${lastError}` : ''
        }`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
}
