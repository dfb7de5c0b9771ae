/**
 * The API benchmark (issue 4): one entity's workspace list through
 * kaito-backend (watch cache) against the Kubernetes plugin's live
 * custom-resource query for the same entity on the same clusters.
 *
 * Topology: this process seeds and serves the simulated clusters and drives
 * the run; the backend runs in a forked process (see backendProcess.ts) and
 * so does the load generator that sends and times the reads (see
 * loadProcess.ts).
 * Reads are sequential, over one keep-alive connection, and alternate between
 * the two endpoints (so both see the same background load on a shared
 * machine); every read's Kubernetes API requests are counted at the API
 * servers between two snapshots taken around it. It prints figures and
 * PASS/MISS against the issue's targets; it never fails on a figure (only on
 * wrong answers, which would make the figures meaningless).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JsonObject } from '@backstage/types';
import type { MemorySample, ServerSamples } from './backendProcess';
import { BackendProcess, handshake } from './processes';
import type { LoadInit, ReadReply, ReadRequest } from './loadProcess';
import {
  diffCounts,
  startBenchCluster,
  sumCounts,
  type BenchCluster,
  type RequestCounts,
} from './clusters';
import {
  catalogEntities,
  DEFAULT_FIXTURE,
  entityRef,
  type FixtureOptions,
} from './fixtures';
import { formatMiB, formatMs, latencyStats, type LatencyStats } from './stats';

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

const TARGETS = { kaitoP95Ms: 20, requestsPerRead: 0, speedup: 10 };

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

const log = (line = '') => process.stdout.write(`${line}\n`);

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

/** What one endpoint's measured reads cost. */
interface SeriesResult {
  label: string;
  /** Client-observed: request sent to last response byte, over loopback. */
  latency: LatencyStats;
  /** CPU time of the backend process per read. */
  backendCpu: LatencyStats;
  /** CPU time of the load generator per read (sending, receiving, checking). */
  loadCpu: LatencyStats;
  /** CPU time of this process (the API servers, and the IPC) per read. */
  apiServersCpu: LatencyStats;
  /** API requests at the simulated clusters during this endpoint's reads. */
  requests: RequestCounts;
  requestsPerRead: number;
}

/** Samples of one endpoint while the series runs. */
class Series {
  readonly latencyMs: number[] = [];
  readonly loadCpuMs: number[] = [];
  readonly apiServersCpuMs: number[] = [];
  private readonly counts: RequestCounts[] = [];

  constructor(
    readonly label: string,
    readonly route: string,
    readonly read: () => Promise<ReadReply>,
  ) {}

  /** One read, with the API requests and the CPU time it caused. */
  async measure(snapshot: () => RequestCounts): Promise<void> {
    const before = snapshot();
    const cpu = process.cpuUsage();
    const reply = await this.read();
    const used = process.cpuUsage(cpu);
    this.counts.push(diffCounts(snapshot(), before));
    this.apiServersCpuMs.push((used.user + used.system) / 1000);
    this.loadCpuMs.push(reply.cpuMs);
    this.latencyMs.push(reply.ms);
  }

  result(server: ServerSamples): SeriesResult {
    const requests = sumCounts(this.counts);
    return {
      label: this.label,
      latency: latencyStats(this.latencyMs),
      backendCpu: latencyStats(server[this.route]?.cpuMs ?? []),
      loadCpu: latencyStats(this.loadCpuMs),
      apiServersCpu: latencyStats(this.apiServersCpuMs),
      requests,
      requestsPerRead: requests.requests / this.latencyMs.length,
    };
  }
}

/** The load generator (see loadProcess.ts): sends and times the reads. */
class LoadGenerator {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: ReadReply) => void>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: any) => {
      if (m?.type !== 'read') return;
      const resolve = this.pending.get(m.id);
      this.pending.delete(m.id);
      resolve?.(m as ReadReply);
    });
    child.on('exit', code => {
      if (this.pending.size > 0) {
        process.stderr.write(`bench:api: the load generator died (${code})\n`);
        process.exit(1);
      }
    });
  }

  static async start(init: LoadInit): Promise<LoadGenerator> {
    const child = fork(
      require.resolve('@kaito-backstage/bench/bin/bench-api'),
      ['--load-process'],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    await handshake(child, init, 'ready', 'the load generator');
    return new LoadGenerator(child);
  }

  /** One read; stops the benchmark on a wrong answer. */
  async read(request: Omit<ReadRequest, 'type' | 'id'>): Promise<ReadReply> {
    const id = this.nextId++;
    const reply = await new Promise<ReadReply>(resolve => {
      this.pending.set(id, resolve);
      this.child.send({ type: 'read', id, ...request } satisfies ReadRequest);
    });
    if (reply.problem) throw new Error(reply.problem);
    return reply;
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
  }
}

export async function runApiBench(options: ApiBenchOptions): Promise<void> {
  const started = Date.now();
  const perEntityTotal = options.workspacesPerEntity * options.clusters;
  const ref = entityRef(options.entity);
  log(`# KAITO API benchmark`);
  log();
  log(
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(
      os.totalmem() /
      2 ** 30
    ).toFixed(0)} GiB, Node ${
      process.version
    }, ${os.platform()} ${os.release()}`,
  );
  log(
    `fixture: ${options.clusters} clusters × ${
      options.entities * options.workspacesPerEntity
    } workspaces (${options.entities} entities × ${
      options.workspacesPerEntity
    }); reading ${ref} (${perEntityTotal} workspaces); ${
      options.warmup
    } warm-up + ${options.reads} measured sequential reads per endpoint; ${
      options.apiLatencyMs
    } ms added to every Kubernetes API request`,
  );

  // 1. Clusters.
  const token = randomBytes(24).toString('hex');
  const clusters: BenchCluster[] = [];
  const seedStart = Date.now();
  for (let i = 0; i < options.clusters; i++) {
    clusters.push(await startBenchCluster(i, { ...options, token }));
  }
  const totalWorkspaces = clusters.reduce((n, c) => n + c.workspaces, 0);
  const totalNodes = clusters.reduce((n, c) => n + c.nodes, 0);
  log(
    `seeded ${totalWorkspaces} workspaces and ${totalNodes} GPU nodes in ${
      Date.now() - seedStart
    } ms`,
  );
  const snapshot = () => sumCounts(clusters.map(c => c.counts()));

  let backend: BackendProcess | undefined;
  let load: LoadGenerator | undefined;
  try {
    // 2. Backend, until kaito-backend's caches are synced.
    const beforeStartup = snapshot();
    backend = await BackendProcess.start({
      type: 'start',
      config: backendConfig(clusters),
      entities: catalogEntities(options),
      clusterCount: options.clusters,
    });
    const startup = diffCounts(snapshot(), beforeStartup);
    const { port, backendStartedMs, cacheSyncedMs, settledMs } =
      backend.started;
    log(
      `backend up in ${backendStartedMs} ms; kaito caches synced at ${cacheSyncedMs} ms; quiet at ${settledMs} ms; ${startup.requests} API requests during startup (${startup.watches} watches)`,
    );
    const memorySynced = await backend.memory(true);

    load = await LoadGenerator.start({
      type: 'init',
      port,
      expected: { workspaces: perEntityTotal, clusters: options.clusters },
    });
    const generator = load;
    const kaitoRead = (withBody = false) =>
      generator.read({
        endpoint: 'kaito',
        method: 'GET',
        path: `/api/kaito/workspaces?entityRef=${encodeURIComponent(ref)}`,
        withBody,
      });
    const kubernetesRead = () =>
      generator.read({
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
      });

    const kaitoSeries = new Series(
      'kaito-backend `GET /api/kaito/workspaces?entityRef=`',
      '/api/kaito/workspaces',
      () => kaitoRead(),
    );
    const kubernetesSeries = new Series(
      'Kubernetes plugin `POST /api/kubernetes/resources/custom/query`',
      '/api/kubernetes/resources/custom/query',
      kubernetesRead,
    );
    /**
     * Reads alternate (kaito, k8s, k8s, kaito, ...) so that both endpoints
     * see the same background load on a shared machine; each read's API
     * requests are counted between its own two snapshots.
     */
    const alternate = async (reads: number, measure: boolean) => {
      for (let i = 0; i < reads; i++) {
        const pair =
          i % 2 === 0
            ? [kaitoSeries, kubernetesSeries]
            : [kubernetesSeries, kaitoSeries];
        for (const series of pair) {
          if (measure) await series.measure(snapshot);
          else await series.read();
        }
      }
    };

    // 3. Warm-up (JIT, connection pools, caches), then memory.
    await alternate(options.warmup, false);
    await backend.samples(); // drop the warm-up's server-side samples
    const memoryWarm = await backend.memory(true);
    const sample = (await kaitoRead(true)).body as { items: any[] };

    // 4. Measured reads.
    const loadBefore = os.loadavg();
    const windowBefore = snapshot();
    const measureStart = Date.now();
    await alternate(options.reads, true);
    const measureMs = Date.now() - measureStart;
    await sleep(250); // anything a read set off in the background
    const window = diffCounts(snapshot(), windowBefore);
    const loadAfter = os.loadavg();
    const server = await backend.samples();
    const kaito = kaitoSeries.result(server);
    const kubernetes = kubernetesSeries.result(server);
    const unattributed =
      window.requests - kaito.requests.requests - kubernetes.requests.requests;
    const memoryEnd = await backend.memory(true);
    const openWatches = clusters.reduce((n, c) => n + c.openWatches(), 0);

    // 5. Report.
    const states: Record<string, number> = {};
    for (const item of sample.items) {
      states[item.state] = (states[item.state] ?? 0) + 1;
    }
    const ratio = (
      pick: (r: SeriesResult) => LatencyStats,
      k: keyof LatencyStats,
    ) => pick(kubernetes)[k] / pick(kaito)[k];
    const times = (n: number) => `${n.toFixed(1)}×`;
    const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    const stats = (l: LatencyStats) =>
      `${formatMs(l.p50Ms)} | ${formatMs(l.p95Ms)} | ${formatMs(
        l.p99Ms,
      )} | ${formatMs(l.meanMs)} | ${formatMs(l.maxMs)}`;
    const routes = (c: RequestCounts) =>
      Object.entries(c.byRoute)
        .map(([route, n]) => `\`${route}\` × ${n}`)
        .join(', ') || 'none';
    const mem = (label: string, m: MemorySample) =>
      `| ${label} | ${formatMiB(m.rssBytes)} | ${formatMiB(
        m.heapUsedBytes,
      )} | ${formatMiB(m.heapTotalBytes)} | ${formatMiB(
        m.heapUsedAfterGcBytes,
      )} |`;

    log();
    log(
      `## One entity's workspace list: ${options.reads} reads per endpoint, sequential, alternating`,
    );
    log();
    log(
      `Measured ${(measureMs / 1000).toFixed(
        1,
      )} s; load average ${loadBefore[0].toFixed(
        2,
      )} before, ${loadAfter[0].toFixed(2)} after (1 min).`,
    );
    log();
    log('| ms | p50 | p95 | p99 | mean | max |');
    log('|---|---:|---:|---:|---:|---:|');
    for (const [what, pick] of [
      ['latency (client)', (r: SeriesResult) => r.latency],
      ['backend CPU per read', (r: SeriesResult) => r.backendCpu],
    ] as const) {
      log(`| kaito-backend: ${what} | ${stats(pick(kaito))} |`);
      log(`| Kubernetes plugin: ${what} | ${stats(pick(kubernetes))} |`);
    }
    log();
    log(
      '| Kubernetes API requests (counted at the API servers) | total | per read | new connections | routes |',
    );
    log('|---|---:|---:|---:|---|');
    for (const r of [kaito, kubernetes]) {
      log(
        `| ${r.label} | ${r.requests.requests} | ${r.requestsPerRead} | ${
          r.requests.connections
        } | ${routes(r.requests)} |`,
      );
    }
    log();
    log(
      `Requests during the window not caused by a read: ${unattributed}. Watch streams open at the clusters: ${openWatches} (kaito-backend's informers, opened at startup).`,
    );
    log(
      `CPU per read, mean, of the process of the ${
        options.clusters
      } API servers: kaito ${formatMs(
        kaito.apiServersCpu.meanMs,
      )} ms, Kubernetes plugin ${formatMs(
        kubernetes.apiServersCpu.meanMs,
      )} ms (the API servers' work, plus the IPC with the load generator); of the load generator (sending, receiving and checking the answer): kaito ${formatMs(
        kaito.loadCpu.meanMs,
      )} ms, Kubernetes plugin ${formatMs(kubernetes.loadCpu.meanMs)} ms.`,
    );
    log(
      `States in the list: ${Object.entries(states)
        .map(([state, n]) => `${state} ${n}`)
        .join(', ')}.`,
    );
    log();
    log('## Ratio (Kubernetes plugin ÷ kaito-backend)');
    log();
    log('| | p50 | p95 | p99 | mean |');
    log('|---|---:|---:|---:|---:|');
    for (const [what, pick] of [
      ['latency (client)', (r: SeriesResult) => r.latency],
      ['backend CPU per read', (r: SeriesResult) => r.backendCpu],
    ] as const) {
      log(
        `| ${what} | ${times(ratio(pick, 'p50Ms'))} | ${times(
          ratio(pick, 'p95Ms'),
        )} | ${times(ratio(pick, 'p99Ms'))} | ${times(
          ratio(pick, 'meanMs'),
        )} |`,
      );
    }
    log(
      `| Kubernetes API requests per read | ${kubernetes.requestsPerRead} vs ${kaito.requestsPerRead} | | | |`,
    );
    log();
    log('## Backend process memory (MiB)');
    log();
    log('| when | RSS | heap used | heap total | heap used after a full GC |');
    log('|---|---:|---:|---:|---:|');
    log(mem('caches synced, backend quiet', memorySynced));
    log(
      mem(`after warm-up (${options.warmup} reads per endpoint)`, memoryWarm),
    );
    log(mem(`after the run (${options.reads} more per endpoint)`, memoryEnd));
    log();
    log('## Startup (ms after `startTestBackend()` was called)');
    log();
    log('| | ms |');
    log('|---|---:|');
    log(
      `| backend started (plugins initialised, listening) | ${backendStartedMs} |`,
    );
    log(
      `| kaito-backend caches synced (all ${options.clusters} clusters \`healthy\`) | ${cacheSyncedMs} |`,
    );
    log(`| backend quiet (run history import done) | ${settledMs} |`);
    log();
    log(
      `API requests during startup (both plugins): ${
        startup.requests
      }, of which ${startup.watches} watches; ${routes(startup)}.`,
    );
    log();
    log('## Targets');
    log();
    log(
      `- kaito p95 ≤ ${TARGETS.kaitoP95Ms} ms: ${formatMs(
        kaito.latency.p95Ms,
      )} ms — ${mark(kaito.latency.p95Ms <= TARGETS.kaitoP95Ms)}`,
    );
    log(
      `- zero Kubernetes API requests per kaito read: ${
        kaito.requests.requests
      } in ${options.reads} reads — ${mark(
        kaito.requests.requests === TARGETS.requestsPerRead,
      )}`,
    );
    // The typical read (median) decides; the tail is shown next to it.
    log(
      `- ≥ ${
        TARGETS.speedup
      }× faster than the Kubernetes plugin's query (client latency, median read): p50 ${times(
        ratio(r => r.latency, 'p50Ms'),
      )} — ${mark(
        ratio(r => r.latency, 'p50Ms') >= TARGETS.speedup,
      )} (mean ${times(ratio(r => r.latency, 'meanMs'))}, p95 ${times(
        ratio(r => r.latency, 'p95Ms'),
      )})`,
    );
    const driver = process.memoryUsage();
    log();
    log(
      `(simulated clusters process: RSS ${formatMiB(
        driver.rss,
      )} MiB; whole run ${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );

    if (options.json) {
      await writeFile(
        options.json,
        `${JSON.stringify(
          {
            options,
            node: process.version,
            cores: os.cpus().length,
            totalMemBytes: os.totalmem(),
            fixture: { workspaces: totalWorkspaces, nodes: totalNodes },
            startup: { ...backend.started, requests: startup },
            loadAverage: { before: loadBefore, after: loadAfter },
            kaito,
            kubernetes,
            unattributedRequests: unattributed,
            memory: { synced: memorySynced, warm: memoryWarm, end: memoryEnd },
          },
          null,
          2,
        )}\n`,
      );
    }
  } finally {
    load?.stop();
    await backend?.stop();
    for (const cluster of clusters) {
      await cluster.close();
    }
  }
}

/** Entry point of `yarn bench:api` (and of the processes it forks). */
export async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--backend-process') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('./backendProcess').main();
    return;
  }
  if (argv[0] === '--load-process') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('./loadProcess').main();
    return;
  }
  const options = parseArgs(argv);
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  await runApiBench(options);
}
