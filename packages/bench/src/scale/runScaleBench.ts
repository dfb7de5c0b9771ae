/**
 * `yarn bench:scale` (issue 14): does kaito-backend grow with KAITO's
 * objects or with the cluster? The same 2,000 workspaces (with their GPU
 * nodes, pods and events) on a cluster that holds only them, then on a busy
 * cluster that also holds 20,000 application pods, 200,000 events and 500
 * ordinary nodes; and the backend's memory per cached workspace at 10,000
 * workspaces (5 clusters) against an empty cluster.
 *
 * Per scenario: fresh clusters (the simulator's Kubernetes API and store,
 * without its controllers, as in bench:api), a fresh backend process (a
 * Backstage test backend with only the KAITO backend plugin, SQLite, mock
 * catalog and auth), then startup sync time, startup CPU, memory after a
 * full GC, and one minute of steady cluster churn: the bytes the API
 * servers send the backend over its watches and the CPU the backend spends.
 * It prints figures and PASS/MISS against the targets; it never
 * fails on a figure.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBenchCluster, type BenchCluster } from '../api/clusters';
import { catalogEntities, DEFAULT_FIXTURE } from '../api/fixtures';
import { precompileBackend } from '../api/precompile';
import { BackendProcess } from '../api/processes';
import { backendConfig } from '../api/apiBenchOptions';
import { writeJsonResults } from '../api/apiBenchReport';
import { formatMiB, wholeRunLine } from '../api/stats';
import {
  BUSY_CHURN,
  BUSY_CLUSTER,
  ClusterChurn,
  KAITO_CHURN,
  seedKaitoPodsAndEvents,
  seedUnrelatedLoad,
  type UnrelatedLoad,
} from './busyCluster';
import { trackBytesSent } from './traffic';

export type ScenarioName = 'baseline' | 'kaito' | 'busy' | 'cached';

export interface ScaleBenchOptions {
  /** KAITO workspaces of the quiet/busy comparison (one cluster). */
  workspaces: number;
  unrelated: UnrelatedLoad;
  /** Seconds of cluster churn measured per scenario. */
  churnSeconds: number;
  /** Clusters of 2,000 workspaces each in the `cached` scenario. */
  cachedClusters: number;
  scenarios: ScenarioName[];
  /** Run the backend through the development node transform instead of precompiled. */
  devTransform: boolean;
  json?: string;
}

export const DEFAULT_SCALE_OPTIONS: ScaleBenchOptions = {
  workspaces: 2_000,
  unrelated: BUSY_CLUSTER,
  churnSeconds: 60,
  cachedClusters: 5,
  scenarios: ['baseline', 'kaito', 'busy', 'cached'],
  devTransform: false,
};

const TARGETS = { busyWithinPercent: 10, cachedRssMiB: 300 };

export const SCALE_USAGE = `Usage: yarn bench:scale [options]

  --scenarios a,b     any of baseline,kaito,busy,cached (default all)
  --workspaces N      KAITO workspaces on the quiet and the busy cluster (default 2000)
  --pods N --events N --nodes N
                      unrelated load of the busy cluster (default 20000, 200000, 500)
  --churn-seconds N   churn measured per scenario (default 60)
  --cached-clusters N clusters of 2,000 workspaces in the cached scenario (default 5)
  --dev-transform     run the backend through the development node transform (SWC in the
                      process, as bench:api does) instead of precompiled JavaScript
  --json FILE         also write the results as JSON
`;

export function parseScaleArgs(argv: string[]): ScaleBenchOptions | 'help' {
  const options: ScaleBenchOptions = {
    ...DEFAULT_SCALE_OPTIONS,
    unrelated: { ...BUSY_CLUSTER },
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    const number = () => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) {
        throw new Error(
          `${arg} needs a whole number, got "${value ?? ''}"\n\n${SCALE_USAGE}`,
        );
      }
      i++;
      return n;
    };
    switch (arg) {
      case '--help':
      case '-h':
        return 'help';
      case '--scenarios': {
        const names = (value ?? '').split(',').filter(Boolean);
        const known = DEFAULT_SCALE_OPTIONS.scenarios;
        const unknown = names.filter(n => !known.includes(n as ScenarioName));
        if (names.length === 0 || unknown.length) {
          throw new Error(
            `--scenarios: unknown ${
              unknown.join(', ') || '(none)'
            }; known: ${known.join(', ')}`,
          );
        }
        options.scenarios = names as ScenarioName[];
        i++;
        break;
      }
      case '--workspaces':
        options.workspaces = number();
        break;
      case '--pods':
        options.unrelated.pods = number();
        break;
      case '--events':
        options.unrelated.events = number();
        break;
      case '--nodes':
        options.unrelated.nodes = Math.max(1, number());
        break;
      case '--churn-seconds':
        options.churnSeconds = number();
        break;
      case '--cached-clusters':
        options.cachedClusters = Math.max(1, number());
        break;
      case '--dev-transform':
        options.devTransform = true;
        break;
      case '--json':
        options.json = value;
        i++;
        break;
      default:
        throw new Error(`unknown option ${arg}\n\n${SCALE_USAGE}`);
    }
  }
  return options;
}

const log = (line = '') => process.stdout.write(`${line}\n`);

export interface ScenarioResult {
  name: ScenarioName;
  clusters: number;
  /** KAITO workspaces the backend caches. */
  workspaces: number;
  /** Objects in the clusters (all kinds the store holds, KAITO's or not). */
  objectsInClusters: number;
  seedMs: number;
  cacheSyncedMs: number;
  settledMs: number;
  startupCpuMs: number;
  /** What the API servers sent the backend from its start until it settled. */
  startupBytes: number;
  startupRequests: number;
  /** Right after the caches synced and the backend went quiet (the sync's garbage still mapped). */
  rssAtSyncBytes: number;
  /** After the churn minute and a full GC: what the process keeps. */
  rssBytes: number;
  heapUsedAfterGcBytes: number;
  /** During the churn window, scaled to one minute. */
  churn: {
    seconds: number;
    changesPerMinute: number;
    bytesPerMinute: number;
    backendCpuMsPerMinute: number;
  };
  openWatches: number;
}

function objectCount(cluster: BenchCluster): number {
  let total = 0;
  for (const type of cluster.store.types()) {
    total += cluster.store.list({ group: type.group, plural: type.plural })
      .items.length;
  }
  return total;
}

/** Seeds the scenario's clusters (KAITO's objects, and the busy load). */
async function clustersFor(
  name: ScenarioName,
  options: ScaleBenchOptions,
  token: string,
): Promise<BenchCluster[]> {
  const perEntity = DEFAULT_FIXTURE.workspacesPerEntity;
  const fixture = (workspaces: number) => ({
    ...DEFAULT_FIXTURE,
    entities: Math.ceil(workspaces / perEntity),
    workspacesPerEntity: workspaces === 0 ? 0 : perEntity,
  });
  const count = name === 'cached' ? options.cachedClusters : 1;
  const perCluster: Record<ScenarioName, number> = {
    baseline: 0,
    kaito: options.workspaces,
    busy: options.workspaces,
    cached: 2_000,
  };
  const workspaces = perCluster[name];
  const clusters: BenchCluster[] = [];
  for (let i = 0; i < count; i++) {
    const cluster = await startBenchCluster(i, {
      ...fixture(workspaces),
      token,
    });
    const items = cluster.store.list({
      group: 'kaito.sh',
      plural: 'workspaces',
    }).items;
    await seedKaitoPodsAndEvents(
      cluster.store,
      items.map(ws => ({
        name: ws.metadata.name,
        namespace: ws.metadata.namespace!,
        tuning: Boolean((ws as any).tuning),
        node: (ws.status as any)?.workerNodes?.[0],
      })),
    );
    if (name === 'busy') {
      log(`  seeding the unrelated load of ${cluster.name}...`);
      await seedUnrelatedLoad(cluster.store, options.unrelated, line =>
        log(line),
      );
    }
    clusters.push(cluster);
  }
  return clusters;
}

async function runScenario(
  name: ScenarioName,
  options: ScaleBenchOptions,
  precompiled: string | undefined,
): Promise<ScenarioResult> {
  const token = randomBytes(16).toString('hex');
  log(`\n# scenario ${name}`);
  const seedStarted = Date.now();
  const clusters = await clustersFor(name, options, token);
  const seedMs = Date.now() - seedStarted;
  const bytes = clusters.map(c => trackBytesSent(Number(new URL(c.url).port)));
  const sent = () => bytes.reduce((sum, b) => sum + b(), 0);
  const requests = () =>
    clusters.reduce((sum, c) => sum + c.counts().requests, 0);
  const workspaces = clusters.reduce((sum, c) => sum + c.workspaces, 0);
  const objectsInClusters = clusters.reduce(
    (sum, c) => sum + objectCount(c),
    0,
  );
  log(
    `  ${clusters.length} cluster(s), ${workspaces} workspaces, ${objectsInClusters} objects; seeded in ${seedMs} ms`,
  );

  const bytesBefore = sent();
  const requestsBefore = requests();
  let backend: BackendProcess | undefined;
  const churns: ClusterChurn[] = [];
  try {
    backend = await BackendProcess.start(
      {
        type: 'start',
        config: backendConfig(clusters),
        entities: catalogEntities({ ...DEFAULT_FIXTURE }),
        clusterCount: clusters.length,
        plugins: ['kaito'],
        quietMs: 2000,
      },
      { precompiled },
    );
    const { cacheSyncedMs, settledMs } = backend.started;
    const startupCpuMs = (await backend.usage()).cpuMs;
    const startupBytes = sent() - bytesBefore;
    const startupRequests = requests() - requestsBefore;
    await sleep(1000);
    const memory = await backend.memory(true);
    log(
      `  synced in ${cacheSyncedMs} ms, quiet at ${settledMs} ms; RSS ${formatMiB(
        memory.rssBytes,
      )} MiB, heap after GC ${formatMiB(memory.heapUsedAfterGcBytes)} MiB`,
    );

    // One window of steady churn.
    const rates = name === 'busy' ? BUSY_CHURN : KAITO_CHURN;
    for (const cluster of clusters) {
      const churn = new ClusterChurn(cluster.store, options.unrelated, rates);
      churns.push(churn);
    }
    const churnBytes = sent();
    const churnCpu = (await backend.usage()).cpuMs;
    const churnStarted = Date.now();
    for (const churn of churns) churn.start();
    await sleep(options.churnSeconds * 1000);
    for (const churn of churns) churn.stop();
    const seconds = (Date.now() - churnStarted) / 1000;
    const perMinute = (n: number) => (seconds > 0 ? (n * 60) / seconds : 0);
    const churnResult = {
      seconds,
      changesPerMinute: perMinute(churns.reduce((s, c) => s + c.changes, 0)),
      bytesPerMinute: perMinute(sent() - churnBytes),
      backendCpuMsPerMinute: perMinute(
        (await backend.usage()).cpuMs - churnCpu,
      ),
    };
    await sleep(1000);
    const after = await backend.memory(true);
    log(
      `  after the churn and a full GC: RSS ${formatMiB(
        after.rssBytes,
      )} MiB, heap ${formatMiB(after.heapUsedAfterGcBytes)} MiB`,
    );
    log(
      `  churn: ${churnResult.changesPerMinute.toFixed(0)} changes/min -> ${(
        churnResult.bytesPerMinute / 1024
      ).toFixed(
        0,
      )} KiB/min to the backend, backend CPU ${churnResult.backendCpuMsPerMinute.toFixed(
        0,
      )} ms/min`,
    );
    return {
      name,
      clusters: clusters.length,
      workspaces,
      objectsInClusters,
      seedMs,
      cacheSyncedMs,
      settledMs,
      startupCpuMs,
      startupBytes,
      startupRequests,
      rssAtSyncBytes: memory.rssBytes,
      rssBytes: after.rssBytes,
      heapUsedAfterGcBytes: after.heapUsedAfterGcBytes ?? after.heapUsedBytes,
      churn: churnResult,
      openWatches: clusters.reduce((s, c) => s + c.openWatches(), 0),
    };
  } finally {
    for (const churn of churns) churn.stop();
    await backend?.stop();
    for (const cluster of clusters) await cluster.close();
  }
}

const mib = (bytes: number) => formatMiB(bytes);
const mark = (ok: boolean) => (ok ? '**PASS**' : '**MISS**');
const pct = (a: number, b: number) => ((a - b) / b) * 100;

export async function runScaleBench(
  options: ScaleBenchOptions,
): Promise<ScenarioResult[]> {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const precompiled = options.devTransform ? undefined : precompileBackend();
  log(
    precompiled
      ? 'backend process: precompiled JavaScript (as a built backend runs), no node transform'
      : 'backend process: the development node transform (SWC in the process)',
  );
  const results: ScenarioResult[] = [];
  for (const name of options.scenarios) {
    results.push(await runScenario(name, options, precompiled));
    // Let the machine (and this process's heap) settle between scenarios.
    (globalThis as { gc?: () => void }).gc?.();
    await sleep(2000);
  }
  const loadAfter = os.loadavg();

  log('\n## Results');
  log();
  log(
    '| scenario | clusters | KAITO workspaces | objects in the clusters | caches synced (ms) | startup CPU (ms) | startup: requests, MiB received | RSS at sync (MiB) | RSS (MiB) | heap after GC (MiB) | churn: changes/min | watch traffic to the backend (KiB/min) | backend CPU (ms/min) | open watches |',
  );
  log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const cells = [
      r.name,
      r.clusters,
      r.workspaces,
      r.objectsInClusters,
      r.cacheSyncedMs,
      r.startupCpuMs.toFixed(0),
      `${r.startupRequests}, ${mib(r.startupBytes)}`,
      mib(r.rssAtSyncBytes),
      mib(r.rssBytes),
      mib(r.heapUsedAfterGcBytes),
      r.churn.changesPerMinute.toFixed(0),
      (r.churn.bytesPerMinute / 1024).toFixed(0),
      r.churn.backendCpuMsPerMinute.toFixed(0),
      r.openWatches,
    ];
    log(`| ${cells.join(' | ')} |`);
  }
  const by = (name: ScenarioName) => results.find(r => r.name === name);
  const kaito = by('kaito');
  const busy = by('busy');
  const baseline = by('baseline');
  const cached = by('cached');
  log('\n## Targets');
  log();
  log(
    '(RSS and heap as the process keeps them: after a minute of churn and a full GC.)',
  );
  if (kaito && busy) {
    const rss = pct(busy.rssBytes, kaito.rssBytes);
    const heap = pct(busy.heapUsedAfterGcBytes, kaito.heapUsedAfterGcBytes);
    log(
      `- busy cluster vs KAITO-only, RSS within ${
        TARGETS.busyWithinPercent
      } %: ${mib(busy.rssBytes)} vs ${mib(kaito.rssBytes)} MiB (${
        rss >= 0 ? '+' : ''
      }${rss.toFixed(1)} %) — ${mark(
        Math.abs(rss) <= TARGETS.busyWithinPercent,
      )}`,
    );
    log(
      `- busy cluster vs KAITO-only, heap after GC within ${
        TARGETS.busyWithinPercent
      } %: ${mib(busy.heapUsedAfterGcBytes)} vs ${mib(
        kaito.heapUsedAfterGcBytes,
      )} MiB (${heap >= 0 ? '+' : ''}${heap.toFixed(1)} %) — ${mark(
        Math.abs(heap) <= TARGETS.busyWithinPercent,
      )}`,
    );
    log(
      `- startup sync: ${busy.cacheSyncedMs} ms busy vs ${
        kaito.cacheSyncedMs
      } ms KAITO-only; startup CPU ${busy.startupCpuMs.toFixed(
        0,
      )} vs ${kaito.startupCpuMs.toFixed(0)} ms; received ${mib(
        busy.startupBytes,
      )} vs ${mib(kaito.startupBytes)} MiB`,
    );
    log(
      `- watch traffic: ${(busy.churn.bytesPerMinute / 1024).toFixed(
        0,
      )} KiB/min busy (${busy.churn.changesPerMinute.toFixed(
        0,
      )} changes/min in the cluster) vs ${(
        kaito.churn.bytesPerMinute / 1024
      ).toFixed(
        0,
      )} KiB/min KAITO-only; backend CPU ${busy.churn.backendCpuMsPerMinute.toFixed(
        0,
      )} vs ${kaito.churn.backendCpuMsPerMinute.toFixed(0)} ms/min`,
    );
  }
  if (cached) {
    log(
      `- RSS at ${cached.workspaces} cached workspaces under ${
        TARGETS.cachedRssMiB
      } MiB: ${mib(cached.rssBytes)} MiB — ${mark(
        cached.rssBytes / 2 ** 20 < TARGETS.cachedRssMiB,
      )}`,
    );
    if (baseline) {
      const perWs = (cached.rssBytes - baseline.rssBytes) / cached.workspaces;
      const heapPerWs =
        (cached.heapUsedAfterGcBytes - baseline.heapUsedAfterGcBytes) /
        cached.workspaces;
      log(
        `- per cached workspace (with its node, pod and events), over an empty cluster (RSS ${mib(
          baseline.rssBytes,
        )} MiB, heap ${mib(baseline.heapUsedAfterGcBytes)} MiB): ${(
          perWs / 1024
        ).toFixed(1)} KiB RSS, ${(heapPerWs / 1024).toFixed(1)} KiB heap`,
      );
    }
  }
  log();
  log(wholeRunLine(started, loadBefore, loadAfter));
  if (options.json) {
    await writeJsonResults(options.json, {
      options,
      loadAverage: { before: loadBefore, after: loadAfter },
      results,
    });
  }
  return results;
}

/** Entry point of `yarn bench:scale`. */
export async function main(argv: string[]): Promise<void> {
  const options = parseScaleArgs(argv);
  if (options === 'help') {
    process.stdout.write(SCALE_USAGE);
    return;
  }
  await runScaleBench(options);
}
