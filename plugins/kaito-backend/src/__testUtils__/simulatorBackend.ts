import { BackendFeature, ServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import {
  type RunningSimulator,
  type SimulatorOptions,
  simulatorAppConfig,
  startSimulator,
} from '@kaito-backstage/simulator';
import { kaitoPlugin } from '../plugin';

/*
 * Test support (not shipped): the real KAITO backend plugin in a test
 * backend, configured for a simulator started by the test, exactly as an
 * app-config would configure a real AKS cluster.
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
  const config = simulatorAppConfig(sim, name);
  return {
    ...config,
    kaito: {
      ...config.kaito,
      watch: { initialBackoffMs: 50, maxBackoffMs: 500, syncTimeoutMs: 5000 },
    },
    ...extra,
  };
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

export async function startKaitoBackend(options: {
  config: JsonObject;
  entities?: Entity[];
  /** A fixed decision, or a permissions service factory (default ALLOW). */
  permissions?: AuthorizeResult.ALLOW | AuthorizeResult.DENY | ServiceFactory;
  features?: BackendFeature[];
}) {
  return startTestBackend({
    features: [
      kaitoPlugin,
      mockServices.rootConfig.factory({ data: options.config }),
      catalogServiceMock.factory({
        entities: options.entities ?? [TEST_ENTITY, OTHER_ENTITY],
      }),
      typeof options.permissions === 'object'
        ? options.permissions
        : mockServices.permissions.factory({
            result: options.permissions ?? AuthorizeResult.ALLOW,
          }),
      ...(options.features ?? []),
    ],
  });
}

/** Polls `check` until it returns a value (not undefined/false) or times out. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${lastError ? `: ${lastError}` : ''}`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
}
