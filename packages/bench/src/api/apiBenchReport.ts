/** The Markdown report of `yarn bench:api`: tables, ratios and PASS/MISS against the targets. */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import type { MemorySample } from './backendProcess';
import type { RequestCounts } from './clusters';
import { TARGETS, type ApiBenchOptions } from './apiBenchOptions';
import { entityRef } from './fixtures';
import { formatMiB, formatMs, type LatencyStats } from './stats';

/** What one endpoint's measured reads cost. */
export interface SeriesResult {
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

export interface ApiBenchResults {
  options: ApiBenchOptions;
  /** When the run started (epoch ms). */
  started: number;
  /** API requests during the backend's startup. */
  startup: RequestCounts;
  startedTimes: {
    backendStartedMs: number;
    cacheSyncedMs: number;
    settledMs: number;
  };
  /** One kaito answer, for the states in the list. */
  sample: { items: any[] };
  measureMs: number;
  loadBefore: number[];
  loadAfter: number[];
  kaito: SeriesResult;
  kubernetes: SeriesResult;
  unattributed: number;
  openWatches: number;
  memory: { synced: MemorySample; warm: MemorySample; end: MemorySample };
}

const log = (line = '') => process.stdout.write(`${line}\n`);

/** The report's title: the machine and the fixture. */
export function printHeader(options: ApiBenchOptions): void {
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
}

/** The results as JSON (`--json FILE`), with the machine they were measured on. */
export async function writeJsonResults(
  file: string,
  results: Record<string, unknown>,
): Promise<void> {
  const { options, ...rest } = results;
  await writeFile(
    file,
    `${JSON.stringify(
      {
        options,
        node: process.version,
        cores: os.cpus().length,
        totalMemBytes: os.totalmem(),
        ...rest,
      },
      null,
      2,
    )}\n`,
  );
}

export function printReport(results: ApiBenchResults): void {
  const { options, kaito, kubernetes, memory, startedTimes } = results;
  const states: Record<string, number> = {};
  for (const item of results.sample.items) {
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
    `Measured ${(results.measureMs / 1000).toFixed(
      1,
    )} s; load average ${results.loadBefore[0].toFixed(
      2,
    )} before, ${results.loadAfter[0].toFixed(2)} after (1 min).`,
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
    `Requests during the window not caused by a read: ${results.unattributed}. Watch streams open at the clusters: ${results.openWatches} (kaito-backend's informers, opened at startup).`,
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
      )} | ${times(ratio(pick, 'p99Ms'))} | ${times(ratio(pick, 'meanMs'))} |`,
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
  log(mem('caches synced, backend quiet', memory.synced));
  log(mem(`after warm-up (${options.warmup} reads per endpoint)`, memory.warm));
  log(mem(`after the run (${options.reads} more per endpoint)`, memory.end));
  log();
  log('## Startup (ms after `startTestBackend()` was called)');
  log();
  log('| | ms |');
  log('|---|---:|');
  log(
    `| backend started (plugins initialised, listening) | ${startedTimes.backendStartedMs} |`,
  );
  log(
    `| kaito-backend caches synced (all ${options.clusters} clusters \`healthy\`) | ${startedTimes.cacheSyncedMs} |`,
  );
  log(
    `| backend quiet (run history import done) | ${startedTimes.settledMs} |`,
  );
  log();
  log(
    `API requests during startup (both plugins): ${
      results.startup.requests
    }, of which ${results.startup.watches} watches; ${routes(
      results.startup,
    )}.`,
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
    )} MiB; whole run ${((Date.now() - results.started) / 1000).toFixed(0)} s)`,
  );
}
