import { Entity } from '@backstage/catalog-model';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the tests run the real KAITO backend
import {
  eventually,
  serviceProbe,
  startKaitoTestBackend,
  teamNamespaceManifests,
  withQuickWatchRetries,
} from '@kaito-backstage/plugin-kaito-backend/testUtils';
import { kaitoServiceRef } from '@kaito-backstage/plugin-kaito-node';
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
  for (const manifest of teamNamespaceManifests({
    namespace: NAMESPACE,
    pushSecret: PUSH_SECRET,
  })) {
    await sim.store.create(manifest);
  }
  return sim;
}

/** Backstage config pointing the KAITO backend at the simulator (as the simulator's CLI prints it). */
export function simulatorConfig(sim: RunningSimulator) {
  return withQuickWatchRetries(simulatorAppConfig(sim));
}

/** The real KAITO backend against the simulator, and the real KaitoClient. */
export async function startKaito(
  sim: RunningSimulator,
  entities: Entity[] = ENTITIES,
) {
  const probe = serviceProbe(kaitoServiceRef);
  const backend = await startKaitoTestBackend({
    config: simulatorAppConfig(sim),
    entities,
    features: [probe.feature],
  });
  return { backend, client: probe.get() };
}

export { eventually };
