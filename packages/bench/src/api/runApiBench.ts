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
 * PASS/MISS against the targets; it never fails on a figure (only on
 * wrong answers, which would make the figures meaningless).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerSamples } from './backendProcess';
import { BackendProcess, handshake } from './processes';
import type { LoadInit, ReadReply, ReadRequest } from './loadProcess';
import {
  diffCounts,
  startBenchClusters,
  sumCounts,
  type RequestCounts,
} from './clusters';
import { catalogEntities, entityRef } from './fixtures';
import {
  backendConfig,
  benchReads,
  USAGE,
  parseArgs,
  type ApiBenchOptions,
} from './apiBenchOptions';
import {
  printHeader,
  printReport,
  writeJsonResults,
  type SeriesResult,
} from './apiBenchReport';
import { latencyStats } from './stats';

const log = (line = '') => process.stdout.write(`${line}\n`);

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
  printHeader(options);

  // 1. Clusters.
  const { clusters, totalWorkspaces, totalNodes } = await startBenchClusters({
    ...options,
    token: randomBytes(24).toString('hex'),
  });
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
    const synced = await backend.memory(true);

    load = await LoadGenerator.start({
      type: 'init',
      port,
      expected: { workspaces: perEntityTotal, clusters: options.clusters },
    });
    const generator = load;
    const request = benchReads(ref);
    const kaitoRead = (withBody = false) =>
      generator.read(request.kaito(withBody));
    const kubernetesRead = () => generator.read(request.kubernetes());

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
    const warm = await backend.memory(true);
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
    const memory = { synced, warm, end: await backend.memory(true) };
    const openWatches = clusters.reduce((n, c) => n + c.openWatches(), 0);

    printReport({
      options,
      started,
      startup,
      startedTimes: backend.started,
      sample,
      measureMs,
      loadBefore,
      loadAfter,
      kaito,
      kubernetes,
      unattributed,
      openWatches,
      memory,
    });

    if (options.json) {
      await writeJsonResults(options.json, {
        options,
        fixture: { workspaces: totalWorkspaces, nodes: totalNodes },
        startup: { ...backend.started, requests: startup },
        loadAverage: { before: loadBefore, after: loadAfter },
        kaito,
        kubernetes,
        unattributedRequests: unattributed,
        memory,
      });
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
