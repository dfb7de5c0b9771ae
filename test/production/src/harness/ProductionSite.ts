import {
  startSimulator,
  type FaultsPatch,
  type RunningSimulator,
} from '@kaito-backstage/simulator';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import YAML from 'yaml';
import { BackendReplica } from './BackendReplica';
import { SiteClient, TokenSource } from './SiteClient';
import {
  dropDatabases,
  postgresFromEnv,
  uniqueDatabasePrefix,
  queryPluginDatabase,
  type PostgresServer,
} from './postgres';
import { CLUSTER, replicaConfig, siteConfig } from './siteConfig';
import { eventually } from './eventually';

/** The repository root (this package is test/production). */
export const REPO_ROOT = resolve(
  dirname(require.resolve('@kaito-backstage/production-tests/package.json')),
  '../..',
);

/** The namespace of the example entities (their backstage.io/kubernetes-namespace). */
export const TEAM_NAMESPACE = 'ml-team';

export interface ProductionSiteOptions {
  /** Names the site's logs and database prefix. */
  name: string;
  replicas?: number;
  /** Simulator time scale; default 120. */
  timeScale?: number;
  faults?: FaultsPatch;
  catalogRefreshSeconds?: number;
  recoverAfterSeconds?: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Environment of a replica: the production database variables, nothing of the dev setup. */
function replicaEnv(pg: PostgresServer): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    // The dev simulator's coordinates (scripts/lib/simulator.sh) and Jest's own.
    if (key.startsWith('KAITO_SIM_') || key.startsWith('JEST_'))
      delete env[key];
  }
  return {
    ...env,
    NODE_ENV: 'production',
    POSTGRES_HOST: pg.host,
    POSTGRES_PORT: String(pg.port),
    POSTGRES_USER: pg.user,
    POSTGRES_PASSWORD: pg.password,
  };
}

/**
 * A production-shaped site: the simulator (one AKS cluster with KAITO),
 * one PostgreSQL database set, and N replicas of packages/backend behind no
 * load balancer (the tests pick the replica for each request).
 */
export class ProductionSite {
  readonly tokens = new TokenSource(() => this.replicas);

  private constructor(
    readonly name: string,
    readonly sim: RunningSimulator,
    readonly pg: PostgresServer,
    readonly databasePrefix: string,
    readonly replicas: BackendReplica[],
    private readonly workDir: string,
  ) {}

  static async start(options: ProductionSiteOptions): Promise<ProductionSite> {
    const pg = postgresFromEnv();
    const logDir = resolve(
      process.env.KAITO_PRODUCTION_LOG_DIR ??
        join(REPO_ROOT, '.tools/test-results/production'),
      options.name,
    );
    await mkdir(logDir, { recursive: true });
    const workDir = await mkdtemp(
      join(tmpdir(), `kaito-prod-${options.name}-`),
    );
    const sim = await startSimulator({
      timeScale: options.timeScale ?? 120,
      seed: 'none',
      clusterName: CLUSTER,
      ...(options.faults ? { faults: options.faults } : {}),
    });
    const databasePrefix = uniqueDatabasePrefix(options.name);
    const replicas: BackendReplica[] = [];
    try {
      await seedTeamNamespace(sim);
      const common = join(workDir, 'site.yaml');
      await writeFile(
        common,
        YAML.stringify(
          siteConfig({
            repoRoot: REPO_ROOT,
            sim,
            databasePrefix,
            catalogRefreshSeconds: options.catalogRefreshSeconds ?? 5,
            recoverAfterSeconds: options.recoverAfterSeconds ?? 5,
          }),
        ),
      );
      const names = 'abcdefgh';
      for (let i = 0; i < (options.replicas ?? 2); i++) {
        const port = await freePort();
        const own = join(workDir, `replica-${names[i]}.yaml`);
        await writeFile(own, YAML.stringify(replicaConfig(port)));
        replicas.push(
          new BackendReplica({
            name: names[i],
            repoRoot: REPO_ROOT,
            port,
            configFiles: [
              'app-config.yaml',
              'app-config.production.yaml',
              common,
              own,
            ],
            env: replicaEnv(pg),
            logFile: join(logDir, `replica-${names[i]}.log`),
          }),
        );
      }
      const site = new ProductionSite(
        options.name,
        sim,
        pg,
        databasePrefix,
        replicas,
        workDir,
      );
      // The first replica creates the databases and runs the migrations;
      // the others start together once it is ready. Backstage cannot run
      // the first migrations of one database from two processes at once
      // (knex's migration lock fails the second one's startup), so a
      // first rollout of several replicas needs the same order.
      await replicas[0].start();
      await Promise.all(replicas.slice(1).map(r => r.start()));
      await Promise.all(replicas.map(r => site.waitClusterHealthy(r)));
      return site;
    } catch (error) {
      await Promise.all(replicas.map(r => r.dispose()));
      await sim.stop();
      throw error;
    }
  }

  get a(): BackendReplica {
    return this.replicas[0];
  }

  get b(): BackendReplica {
    return this.replicas[1];
  }

  client(replica: BackendReplica): SiteClient {
    return new SiteClient(replica, this.tokens);
  }

  /** Waits until the replica's KAITO backend reports the cluster healthy. */
  async waitClusterHealthy(replica: BackendReplica, timeoutMs = 60_000) {
    const client = this.client(replica);
    return eventually(
      async () => {
        const { items } = await client.kaito<{
          items: { name: string; health: { state: string } }[];
        }>('GET', '/clusters');
        return items.find(c => c.name === CLUSTER)?.health.state === 'healthy';
      },
      {
        timeoutMs,
        what: `cluster ${CLUSTER} healthy on replica ${replica.name}`,
      },
    );
  }

  /** Rows of a query on one plugin's database, e.g. `kaito` (`?` placeholders). */
  query<T>(
    pluginId: string,
    sql: string,
    bindings: unknown[] = [],
  ): Promise<T[]> {
    return queryPluginDatabase<T>(
      this.pg,
      this.databasePrefix,
      pluginId,
      sql,
      bindings as any,
    );
  }

  /** Every audit event the replicas logged, from every start of each. */
  auditEvents(filter: Parameters<BackendReplica['auditEvents']>[0] = {}) {
    return this.replicas.flatMap(r =>
      r.auditEvents(filter).map(line => ({ replica: r.name, ...line })),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.replicas.map(r => r.dispose()));
    await this.sim.stop();
    await dropDatabases(this.pg, this.databasePrefix).catch(() => undefined);
    await rm(this.workDir, { recursive: true, force: true });
  }
}

/** The team namespace and its registry push secret, as the platform team sets them up. */
async function seedTeamNamespace(sim: RunningSimulator): Promise<void> {
  await sim.store.create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: TEAM_NAMESPACE },
  });
  const auth = Buffer.from(
    '00000000-0000-0000-0000-000000000000:test',
  ).toString('base64');
  await sim.store.create({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/dockerconfigjson',
    metadata: { name: 'acr-push-secret', namespace: TEAM_NAMESPACE },
    data: {
      '.dockerconfigjson': Buffer.from(
        JSON.stringify({ auths: { 'kaitodemo.azurecr.io': { auth } } }),
      ).toString('base64'),
    },
  });
}
