/**
 * `yarn bench:soak` (issue 14): a compressed day on one cluster. Ten users
 * create, run and delete 300 workspaces through the KAITO REST API (40 %
 * tuning runs, deleted a while after they succeed; 60 % inference
 * endpoints, deleted after one to four hours) while they keep their
 * entity's tab open (a list read every 5 s, a detail every 15 s, the run
 * history every 30 s). The full simulator runs the day (KAITO,
 * gpu-provisioner, AKS node pools) at a time scale that fits it in minutes.
 *
 * The backend is a forked process (a Backstage test backend with the KAITO
 * backend plugin, mock auth with one identity per user). Sampled every
 * 10 s: its RSS and heap, the watch streams open at the API server, and its
 * active handles by kind (timers, sockets). At the end, with everything
 * deleted and the backend quiet, the same figures after a full GC are set
 * against those taken before the first workspace: they should be flat.
 * It prints figures; it never fails on a figure.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import {
  simulatorAppConfig,
  startSimulator,
  type RunningSimulator,
} from '@kaito-backstage/simulator';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { prng } from '../api/fixtures';
import type { MemorySample, ResourceUsage } from '../api/backendProcess';
import { precompileBackend } from '../api/precompile';
import { BackendProcess } from '../api/processes';
import { writeJsonResults } from '../api/apiBenchReport';
import { formatMiB, wholeRunLine } from '../api/stats';

export interface SoakOptions {
  users: number;
  workspaces: number;
  /** Nominal seconds per real second: 86,400 / 360 = a day in 4 minutes. */
  timeScale: number;
  json?: string;
}

export const DEFAULT_SOAK_OPTIONS: SoakOptions = {
  users: 10,
  workspaces: 300,
  timeScale: 360,
};

export const SOAK_USAGE = `Usage: yarn bench:soak [options]

  --users N        simulated users, one entity and namespace each (default 10)
  --workspaces N   workspaces created over the day (default 300)
  --time-scale N   nominal seconds per real second (default 360: the day takes 4 minutes)
  --json FILE      also write the results as JSON
`;

export function parseSoakArgs(argv: string[]): SoakOptions | 'help' {
  const options = { ...DEFAULT_SOAK_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--json') {
      options.json = argv[++i];
      continue;
    }
    const key = (
      {
        '--users': 'users',
        '--workspaces': 'workspaces',
        '--time-scale': 'timeScale',
      } as const
    )[arg as '--users'];
    const value = Number(argv[i + 1]);
    if (!key || !Number.isFinite(value) || value <= 0) {
      throw new Error(
        `bad argument ${arg} ${argv[i + 1] ?? ''}\n\n${SOAK_USAGE}`,
      );
    }
    options[key] = value;
    i++;
  }
  return options;
}

const log = (line = '') => process.stdout.write(`${line}\n`);
const DAY_MS = 86_400_000;
const MINUTE = 60_000;
const SKU = 'Standard_NC24ads_A100_v4';
const PRESET = 'phi-3-mini-128k-instruct';

/** Watch streams open on one server (requests with `watch=1|true` whose response has not closed). */
function trackOpenWatches(port: number): () => number {
  let open = 0;
  subscribe('http.server.request.start', message => {
    const { request, response, server } = message as {
      request: IncomingMessage;
      response: ServerResponse;
      server: Server;
    };
    if ((server.address() as AddressInfo | null)?.port !== port) return;
    const watch = new URL(request.url ?? '/', 'http://x').searchParams.get(
      'watch',
    );
    if (watch !== '1' && watch !== 'true') return;
    open++;
    response.once('close', () => open--);
  });
  return () => open;
}

interface Planned {
  index: number;
  user: number;
  name: string;
  kind: 'tuning' | 'inference';
  /** Real ms after the day started. */
  createAt: number;
  /** Inference: real ms after creation it is deleted; tuning: after it succeeded. */
  keepFor: number;
  createdAt?: number;
  deleteAt?: number;
  deleted?: boolean;
}

function plan(options: SoakOptions): Planned[] {
  const random = prng(300);
  const real = (nominalMs: number) => nominalMs / options.timeScale;
  return Array.from({ length: options.workspaces }, (_, index) => {
    const kind = index % 5 < 2 ? 'tuning' : 'inference';
    return {
      index,
      user: index % options.users,
      name: `soak-${kind === 'tuning' ? 'tune' : 'serve'}-${String(
        index,
      ).padStart(3, '0')}`,
      kind,
      // Spread over the first 20 hours; what is created late still ends within the day.
      createAt: real(
        (index / options.workspaces) * 20 * 60 * MINUTE +
          random() * 20 * MINUTE,
      ),
      keepFor:
        kind === 'inference'
          ? real((60 + random() * 180) * MINUTE)
          : real((10 + random() * 30) * MINUTE),
    } as Planned;
  });
}

const userRef = (u: number) => `user:default/soak-user-${u}`;
const entityName = (u: number) => `soak-svc-${u}`;
const entityRef = (u: number) => `component:default/${entityName(u)}`;
const namespace = (u: number) => `soak-${u}`;

function entities(options: SoakOptions): Entity[] {
  return Array.from({ length: options.users }, (_, u) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: entityName(u),
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': entityName(u),
        'backstage.io/kubernetes-namespace': namespace(u),
      },
    },
    spec: { type: 'service', owner: userRef(u), lifecycle: 'production' },
  }));
}

async function seedNamespaces(sim: RunningSimulator, options: SoakOptions) {
  for (let u = 0; u < options.users; u++) {
    await sim.store.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace(u) },
    });
    await sim.store.create({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/dockerconfigjson',
      metadata: { name: 'acr-push-secret', namespace: namespace(u) },
      data: {
        '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64'),
      },
    });
  }
}

class Api {
  errors: string[] = [];
  requests = 0;

  constructor(private readonly port: number) {}

  async call(
    user: number,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<any> {
    this.requests++;
    const res = await fetch(`http://127.0.0.1:${this.port}/api/kaito${path}`, {
      method,
      headers: {
        authorization: mockCredentials.user.header(userRef(user)),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) {
      this.errors.push(
        `${method} ${path}: ${res.status} ${text.slice(0, 200)}`,
      );
      return undefined;
    }
    return text ? JSON.parse(text) : undefined;
  }
}

function createRequest(w: Planned) {
  return {
    entityRef: entityRef(w.user),
    cluster: 'soak',
    namespace: namespace(w.user),
    name: w.name,
    resource: { instanceType: SKU },
    ...(w.kind === 'tuning'
      ? {
          tuning: {
            preset: PRESET,
            method: 'qlora',
            input: { urls: ['https://example.com/datasets/soak.jsonl'] },
            output: {
              image: `kaitodemo.azurecr.io/soak/${w.name}:v1`,
              imagePushSecret: 'acr-push-secret',
            },
          },
        }
      : { inference: { preset: PRESET } }),
  };
}

interface Sample {
  atSeconds: number;
  live: number;
  rssMiB: number;
  heapUsedMiB: number;
  openWatches: number;
  activeResources: Record<string, number>;
}

function sampleOf(
  started: number,
  live: number,
  memory: MemorySample,
  usage: ResourceUsage,
  watches: number,
): Sample {
  return {
    atSeconds: Math.round((Date.now() - started) / 1000),
    live,
    rssMiB: Number(formatMiB(memory.rssBytes)),
    heapUsedMiB: Number(
      formatMiB(memory.heapUsedAfterGcBytes ?? memory.heapUsedBytes),
    ),
    openWatches: watches,
    activeResources: usage.activeResources,
  };
}

const handles = (s: Sample) =>
  Object.entries(s.activeResources)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

export async function runSoak(options: SoakOptions) {
  const runStarted = Date.now();
  const loadBefore = os.loadavg();
  const sim = await startSimulator({
    timeScale: options.timeScale,
    seed: 'none',
    clusterName: 'soak',
    // Room for the day's GPU nodes (a new subscription allows 100 A100 vCPUs).
    vCpuQuota: { standardNCADSA100v4Family: 4000, cores: 8000 },
  });
  const openWatches = trackOpenWatches(Number(new URL(sim.kubeUrl).port));
  let backend: BackendProcess | undefined;
  try {
    await seedNamespaces(sim, options);
    const base = simulatorAppConfig(sim, 'soak');
    const config: JsonObject = {
      ...base,
      kaito: { ...base.kaito, watch: { syncTimeoutMs: 30_000 } },
    } as JsonObject;
    backend = await BackendProcess.start(
      {
        type: 'start',
        config,
        entities: entities(options),
        clusterCount: 1,
        plugins: ['kaito'],
        quietMs: 2000,
      },
      { precompiled: precompileBackend() },
    );
    const api = new Api(backend.started.port);
    log(
      `soak: ${options.users} users, ${
        options.workspaces
      } workspaces over a nominal day at time scale ${options.timeScale} (${(
        DAY_MS /
        options.timeScale /
        1000
      ).toFixed(0)} s)`,
    );

    // Before the day: a few tab reads so every code path has run once.
    for (let u = 0; u < options.users; u++) {
      await api.call(
        u,
        'GET',
        `/workspaces?entityRef=${encodeURIComponent(entityRef(u))}`,
      );
      await api.call(
        u,
        'GET',
        `/runs?entityRef=${encodeURIComponent(entityRef(u))}`,
      );
    }
    await sleep(3000);
    const started = Date.now();
    const before = sampleOf(
      started,
      0,
      await backend.memory(true),
      await backend.usage(),
      openWatches(),
    );
    log(
      `before: RSS ${before.rssMiB} MiB, heap after GC ${
        before.heapUsedMiB
      } MiB, ${before.openWatches} watch streams, handles: ${handles(before)}`,
    );

    const workspaces = plan(options);
    const samples: Sample[] = [before];
    const live = () =>
      workspaces.filter(w => w.createdAt !== undefined && !w.deleted).length;
    const dayEnds = started + DAY_MS / options.timeScale;
    let lastSample = Date.now();
    let lastList = 0;
    let lastDetail = 0;
    let lastRuns = 0;
    let maxLive = 0;
    while (workspaces.some(w => !w.deleted)) {
      const now = Date.now();
      const t = now - started;
      for (const w of workspaces) {
        if (w.createdAt === undefined && t >= w.createAt) {
          w.createdAt = now;
          await api.call(w.user, 'POST', '/workspaces', createRequest(w));
          if (w.kind === 'inference') w.deleteAt = now + w.keepFor;
        }
      }
      // Tuning runs are deleted a while after they succeed (or at the end of the day).
      const tuning = workspaces.filter(
        w => w.kind === 'tuning' && w.createdAt !== undefined && !w.deleteAt,
      );
      for (const w of tuning) {
        const ws = sim.store.get({
          group: 'kaito.sh',
          plural: 'workspaces',
          namespace: namespace(w.user),
          name: w.name,
        });
        const succeeded = (ws?.status as any)?.conditions?.some(
          (c: any) => c.type === 'WorkspaceSucceeded' && c.status === 'True',
        );
        if (succeeded || now >= dayEnds)
          w.deleteAt = now + (succeeded ? w.keepFor : 0);
      }
      for (const w of workspaces) {
        if (!w.deleted && w.deleteAt !== undefined && now >= w.deleteAt) {
          w.deleted = true;
          await api.call(
            w.user,
            'DELETE',
            `/clusters/soak/namespaces/${namespace(w.user)}/workspaces/${
              w.name
            }`,
          );
        }
      }
      // The users' open tabs.
      if (now - lastList >= 5000) {
        lastList = now;
        for (let u = 0; u < options.users; u++) {
          await api.call(
            u,
            'GET',
            `/workspaces?entityRef=${encodeURIComponent(entityRef(u))}`,
          );
        }
      }
      if (now - lastDetail >= 15_000) {
        lastDetail = now;
        for (const w of workspaces
          .filter(x => x.createdAt !== undefined && !x.deleted)
          .slice(0, options.users)) {
          await api.call(
            w.user,
            'GET',
            `/clusters/soak/namespaces/${namespace(w.user)}/workspaces/${
              w.name
            }`,
          );
        }
      }
      if (now - lastRuns >= 30_000) {
        lastRuns = now;
        for (let u = 0; u < options.users; u++) {
          await api.call(
            u,
            'GET',
            `/runs?entityRef=${encodeURIComponent(entityRef(u))}`,
          );
        }
      }
      maxLive = Math.max(maxLive, live());
      if (now - lastSample >= 10_000) {
        lastSample = now;
        const s = sampleOf(
          started,
          live(),
          await backend.memory(false),
          await backend.usage(),
          openWatches(),
        );
        samples.push(s);
        log(
          `  t=${s.atSeconds}s nominal ${(
            (t * options.timeScale) /
            3_600_000
          ).toFixed(1)} h: ${s.live} live, RSS ${s.rssMiB} MiB, heap ${
            s.heapUsedMiB
          } MiB, ${s.openWatches} watches, ${
            s.activeResources.Timeout ?? 0
          } timers, ${s.activeResources.TCPSocketWrap ?? 0} sockets`,
        );
      }
      await sleep(100);
    }

    // The end of the day: everything the workspaces had is gone.
    const gone = () =>
      sim.store.list({ group: 'kaito.sh', plural: 'workspaces' }).items
        .length === 0 &&
      sim.store.list({ group: 'karpenter.sh', plural: 'nodeclaims' }).items
        .length === 0 &&
      sim.arm.listAgentPools().every(p => p.properties.mode === 'System');
    const cleanupDeadline = Date.now() + 120_000;
    while (!gone() && Date.now() < cleanupDeadline) await sleep(500);
    await sleep(15_000);
    const after = sampleOf(
      started,
      0,
      await backend.memory(true),
      await backend.usage(),
      openWatches(),
    );
    samples.push(after);

    let runs = 0;
    let openRuns = 0;
    for (let u = 0; u < options.users; u++) {
      const body = await api.call(
        u,
        'GET',
        `/runs?entityRef=${encodeURIComponent(entityRef(u))}&limit=1000`,
      );
      runs += body?.items?.length ?? 0;
      openRuns += (body?.items ?? []).filter((r: any) => r.active).length;
    }
    const outcomes: Record<string, number> = {};
    for (let u = 0; u < options.users; u++) {
      const body = await api.call(
        u,
        'GET',
        `/runs?entityRef=${encodeURIComponent(entityRef(u))}&limit=1000`,
      );
      for (const r of body?.items ?? [])
        outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    }

    log('\n## Soak results');
    log();
    log(
      '| | before the day | after the day (all deleted, quiet, after a full GC) |',
    );
    log('|---|---:|---:|');
    log(`| backend RSS (MiB) | ${before.rssMiB} | ${after.rssMiB} |`);
    log(
      `| backend heap used after GC (MiB) | ${before.heapUsedMiB} | ${after.heapUsedMiB} |`,
    );
    log(
      `| watch streams open at the API server | ${before.openWatches} | ${after.openWatches} |`,
    );
    const kinds = [
      ...new Set([
        ...Object.keys(before.activeResources),
        ...Object.keys(after.activeResources),
      ]),
    ].sort();
    for (const kind of kinds) {
      log(
        `| active handles: ${kind} | ${before.activeResources[kind] ?? 0} | ${
          after.activeResources[kind] ?? 0
        } |`,
      );
    }
    const peak = samples.reduce(
      (a, s) => (s.rssMiB > a.rssMiB ? s : a),
      before,
    );
    log();
    log(
      `Workspaces: ${options.workspaces} created and deleted by ${
        options.users
      } users through the API (${maxLive} live at most); runs recorded ${runs}, still open ${openRuns}; outcomes ${JSON.stringify(
        outcomes,
      )}.`,
    );
    log(
      `API: ${api.requests} requests, ${api.errors.length} errors${
        api.errors.length ? ` (first: ${api.errors[0]})` : ''
      }. Peak RSS ${peak.rssMiB} MiB at ${peak.atSeconds} s.`,
    );
    log(wholeRunLine(runStarted, loadBefore, os.loadavg()));
    if (options.json) {
      await writeJsonResults(options.json, {
        options,
        before,
        after,
        samples,
        runs,
        openRuns,
        outcomes,
        errors: api.errors,
        maxLive,
      });
    }
  } finally {
    await backend?.stop();
    await sim.stop();
  }
}

/** Entry point of `yarn bench:soak`. */
export async function main(argv: string[]): Promise<void> {
  const options = parseSoakArgs(argv);
  if (options === 'help') {
    process.stdout.write(SOAK_USAGE);
    return;
  }
  await runSoak(options);
}
