import type { RunningSimulator } from '@kaito-backstage/simulator';
import { simulatorAppConfig } from '@kaito-backstage/simulator';
import { resolve } from 'node:path';

/** The cluster name the templates and the example entities use. */
export const CLUSTER = 'aks-kaito-dev';

/** The user the tests sign in as (fixtures/users.yaml). */
export const TEST_USER = 'user:default/mlops';

export interface SiteConfigOptions {
  repoRoot: string;
  sim: RunningSimulator;
  databasePrefix: string;
  /** Seconds between the KAITO catalog provider's refreshes. */
  catalogRefreshSeconds: number;
  /** Seconds without a heartbeat before another replica recovers a task. */
  recoverAfterSeconds: number;
}

/**
 * What the test site adds to app-config.yaml + app-config.production.yaml,
 * the way an operator's own overlay would: the clusters (the simulator, as
 * any AKS cluster), the database prefix, a shorter wait before a task is
 * recovered and the catalog's locations. The database connection itself comes from the POSTGRES_*
 * variables that app-config.production.yaml reads.
 *
 * Test-only: the guest provider outside development (real sites sign in
 * through their IdP) and `backend.auth.dangerouslyDisableDefaultAuthPolicy`
 * is NOT set: every request carries a token.
 */
export function siteConfig(
  options: SiteConfigOptions,
): Record<string, unknown> {
  const { repoRoot, sim } = options;
  const cluster = simulatorAppConfig(sim, CLUSTER);
  const file = (path: string) => resolve(repoRoot, path);
  return {
    backend: {
      database: { prefix: options.databasePrefix },
    },
    auth: {
      providers: {
        guest: {
          userEntityRef: TEST_USER,
          dangerouslyAllowOutsideDevelopment: true,
        },
      },
    },
    catalog: {
      locations: [
        { type: 'file', target: file('examples/entities.yaml') },
        {
          type: 'file',
          target: file('examples/org.yaml'),
          rules: [{ allow: ['User', 'Group'] }],
        },
        {
          type: 'file',
          target: file('test/production/fixtures/users.yaml'),
          rules: [{ allow: ['User'] }],
        },
        {
          type: 'file',
          target: file('templates/*/template.yaml'),
          rules: [{ allow: ['Template'] }],
        },
      ],
      providers: {
        kaito: {
          schedule: {
            frequency: { seconds: options.catalogRefreshSeconds },
            timeout: { minutes: 2 },
            initialDelay: { seconds: 1 },
          },
        },
      },
    },
    scaffolder: {
      // Task recovery itself is on in app-config.production.yaml.
      EXPERIMENTAL_recoverTasksTimeout: {
        seconds: options.recoverAfterSeconds,
      },
    },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      ...cluster.kubernetes,
    },
    kaito: cluster.kaito,
  };
}

/** What differs between replicas: where each one listens. */
export function replicaConfig(port: number): Record<string, unknown> {
  const url = `http://127.0.0.1:${port}`;
  return {
    app: { baseUrl: url },
    backend: { baseUrl: url, listen: `127.0.0.1:${port}` },
  };
}
