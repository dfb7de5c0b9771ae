import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import {
  type RunningSimulator,
  type SimulatorOptions,
  simulatorAppConfig,
  startSimulator,
} from '@kaito-backstage/simulator';
import {
  KaitoTestBackendOptions,
  startKaitoTestBackend,
  withQuickWatchRetries,
} from '../testUtils';

export { eventually } from '../testUtils';

/*
 * The backend's own test fixtures (not shipped): two entities, and the
 * app-config of a simulator started by the test, exactly as an app-config
 * would configure a real AKS cluster.
 */

export const TEST_ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'chatbot',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'chatbot' },
  },
  spec: { type: 'service', owner: 'group:default/ml-team', lifecycle: 'production' },
};

export const OTHER_ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'search',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-label-selector': 'team=search,app in (ranker)',
      'backstage.io/kubernetes-namespace': 'search',
    },
  },
  spec: { type: 'service', owner: 'group:default/search', lifecycle: 'production' },
};

/**
 * The namespace test workspaces live in: a team namespace, as the namespace
 * policy wants (never `default`, `kube-*` or KAITO's own).
 */
export const TEAM_NAMESPACE = 'ml-team';

/** A simulator with the team namespace (the demo seed has it; `none` does not). */
export async function startTeamSimulator(
  options: SimulatorOptions,
): Promise<RunningSimulator> {
  const sim = await startSimulator(options);
  if (!sim.store.get({ group: '', plural: 'namespaces', name: TEAM_NAMESPACE })) {
    await sim.store.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: TEAM_NAMESPACE },
    });
  }
  return sim;
}

/** The app-config a simulator needs, as for any AKS cluster, with quick watch retries. */
export function simulatorConfig(
  sim: RunningSimulator,
  name = 'sim',
  extra: JsonObject = {},
): JsonObject {
  return { ...withQuickWatchRetries(simulatorAppConfig(sim, name)), ...extra };
}

/**
 * A simulator's app-config plus two more clusters: `sim-unset`, the same
 * simulator without `nodeProvisioning` in config (as app-config.yaml has
 * it, so only the cluster's admission knows the rules), and `sim-down`, a
 * cluster nothing answers for (port 9, discard).
 */
export function simulatorConfigWithSpares(sim: RunningSimulator): any {
  const config: any = simulatorConfig(sim);
  const [cluster] = config.kubernetes.clusterLocatorMethods[0].clusters;
  config.kubernetes.clusterLocatorMethods[0].clusters.push(
    { ...cluster, name: 'sim-unset' },
    { ...cluster, name: 'sim-down', url: 'https://127.0.0.1:9' },
  );
  config.kaito.clusters['sim-unset'] = {};
  return config;
}

/** The backend with this package's two test entities unless others are given. */
export function startKaitoBackend(options: KaitoTestBackendOptions) {
  return startKaitoTestBackend({
    entities: [TEST_ENTITY, OTHER_ENTITY],
    ...options,
  });
}

/** An auditor that records `<eventId>:success` or `<eventId>:fail` per event. */
export function recordingAuditor() {
  const audit: string[] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async ({ eventId }) => ({
      success: async () => {
        audit.push(`${eventId}:success`);
      },
      fail: async () => {
        audit.push(`${eventId}:fail`);
      },
    }),
  });
  return { audit, factory: auditor.factory };
}
