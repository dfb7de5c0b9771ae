/** The options of `yarn bench:api`, its targets, and the app-config it gives the backend. */
import type { JsonObject } from '@backstage/types';
import type { BenchCluster } from './clusters';
import type { ReadRequest } from './loadProcess';
import { DEFAULT_FIXTURE, type FixtureOptions } from './fixtures';

export interface ApiBenchOptions extends FixtureOptions {
  clusters: number;
  reads: number;
  warmup: number;
  /** Index of the entity whose list is read. */
  entity: number;
  /** Latency added to every Kubernetes API request (0: loopback only). */
  apiLatencyMs: number;
  /** Also write the results as JSON to this file. */
  json?: string;
}

export const DEFAULT_OPTIONS: ApiBenchOptions = {
  ...DEFAULT_FIXTURE,
  clusters: 5,
  reads: 500,
  warmup: 100,
  entity: 42,
  apiLatencyMs: 0,
};

export const TARGETS = { kaitoP95Ms: 20, requestsPerRead: 0, speedup: 10 };

export const USAGE = `Usage: yarn bench:api [options]

  --clusters N      simulated clusters (default ${DEFAULT_OPTIONS.clusters})
  --entities N      catalog entities with workspaces on every cluster (default ${DEFAULT_OPTIONS.entities})
  --per-entity N    workspaces per entity and cluster (default ${DEFAULT_OPTIONS.workspacesPerEntity})
  --reads N         measured reads per endpoint (default ${DEFAULT_OPTIONS.reads})
  --warmup N        warm-up reads per endpoint (default ${DEFAULT_OPTIONS.warmup})
  --entity N        index of the entity read (default ${DEFAULT_OPTIONS.entity})
  --api-latency-ms N  delay every Kubernetes API request by N ms, e.g. a network
                    round trip (default 0: loopback only)
  --json FILE       also write the results as JSON
`;

export function parseArgs(argv: string[]): ApiBenchOptions | 'help' {
  const options = { ...DEFAULT_OPTIONS };
  const numeric: Record<string, keyof ApiBenchOptions> = {
    '--clusters': 'clusters',
    '--entities': 'entities',
    '--per-entity': 'workspacesPerEntity',
    '--reads': 'reads',
    '--warmup': 'warmup',
    '--entity': 'entity',
    '--api-latency-ms': 'apiLatencyMs',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--json') {
      options.json = argv[++i];
      continue;
    }
    const key = numeric[arg];
    const value = Number(argv[i + 1]);
    if (!key || !Number.isInteger(value) || value < 0) {
      throw new Error(`bad argument ${arg} ${argv[i + 1] ?? ''}\n\n${USAGE}`);
    }
    (options as Record<string, unknown>)[key] = value;
    i++;
  }
  if (!argv.includes('--entity')) {
    options.entity = Math.min(DEFAULT_OPTIONS.entity, options.entities - 1);
  }
  if (options.entity >= options.entities) {
    throw new Error(`--entity must be below --entities (${options.entities})`);
  }
  if (options.clusters < 1 || options.reads < 1) {
    throw new Error('--clusters and --reads must be at least 1');
  }
  return options;
}

/** The app-config both plugins read: one cluster list, as in production. */
export function backendConfig(clusters: BenchCluster[]): JsonObject {
  return {
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: clusters.map(c => ({
            name: c.name,
            url: c.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: c.token,
            caData: Buffer.from(c.caCertPem).toString('base64'),
          })),
        },
      ],
    },
    kaito: {
      clusters: Object.fromEntries(
        clusters.map(c => [c.name, { nodeProvisioning: 'auto' }]),
      ),
      watch: { syncTimeoutMs: 30_000 },
    },
  };
}

type Read = Omit<ReadRequest, 'type' | 'id'>;

/** The two reads compared: one entity's workspace list from each plugin. */
export function benchReads(ref: string) {
  return {
    kaito: (withBody = false): Read => ({
      endpoint: 'kaito',
      method: 'GET',
      path: `/api/kaito/workspaces?entityRef=${encodeURIComponent(ref)}`,
      withBody,
    }),
    kubernetes: (): Read => ({
      endpoint: 'kubernetes',
      method: 'POST',
      path: '/api/kubernetes/resources/custom/query',
      json: {
        entityRef: ref,
        auth: {},
        customResources: [
          { group: 'kaito.sh', apiVersion: 'v1beta1', plural: 'workspaces' },
        ],
      },
    }),
  };
}
