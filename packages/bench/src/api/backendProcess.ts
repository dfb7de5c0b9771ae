/**
 * The backend under test, in a process of its own (forked by the benchmark)
 * so its memory is the backend's alone and the load generator and the API
 * servers do not share its event loop: a Backstage test backend with the
 * real KAITO backend plugin and the real Kubernetes backend plugin, a mock
 * catalog holding the benchmark's entities, mock auth (every request is a
 * mock user) and permissions that allow everything.
 *
 * Protocol (IPC): the parent sends `start`; this process answers `started`
 * once kaito-backend reports every cluster healthy and the backend has gone
 * quiet, then `memory` for each `memory` request, `samples` (CPU time
 * per read since the last `samples`) for each `samples` request, `usage`
 * (CPU time and active handles) for each `usage` request, and exits on
 * `stop`. bench:scale and the soak start it with the KAITO plugin only.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import kaitoPlugin from '@kaito-backstage/plugin-kaito-backend';
import { subscribe } from 'node:diagnostics_channel';
import { request, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StartMessage {
  type: 'start';
  config: JsonObject;
  entities: Entity[];
  clusterCount: number;
  /** The plugins the backend runs; both by default (bench:api compares them). */
  plugins?: Array<'kaito' | 'kubernetes'>;
  /** How long the backend must stay quiet before it reports `started` (default 1 s). */
  quietMs?: number;
}

/** What the process used so far and what keeps it busy (for leak checks). */
export interface ResourceUsage {
  /** User + system CPU time since the process started. */
  cpuMs: number;
  /** `process.getActiveResourcesInfo()` by kind: Timeout, TCPSocketWrap, ... */
  activeResources: Record<string, number>;
}

export interface MemorySample {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  /** heapUsed right after a full GC (what the heap really retains). */
  heapUsedAfterGcBytes?: number;
}

export interface StartedMessage {
  type: 'started';
  port: number;
  /** startTestBackend() resolved (plugins initialised, HTTP listening). */
  backendStartedMs: number;
  /** Every cluster `healthy` per kaito-backend (the latest `health.since`). */
  cacheSyncedMs: number;
  /** The process stopped burning CPU (run history import and GC done). */
  settledMs: number;
  clusters: Array<{ name: string; state: string; since: string }>;
}

/** The routes the benchmark reads, as the backend sees them. */
export const MEASURED_ROUTES = [
  '/api/kaito/workspaces',
  '/api/kubernetes/resources/custom/query',
] as const;

/** Per measured route: the process CPU time of each request. */
export type ServerSamples = Record<string, { cpuMs: number[] }>;

/**
 * Measures the CPU time the whole backend process used from the moment the
 * server parsed a request to a measured route (`http.server.request.start`)
 * to the moment its response was flushed (`http.server.response.finish`).
 * Reads are sequential, so that is the request's CPU time (with any GC it
 * caused); unlike latency, it hardly depends on what else the machine runs.
 */
function serverSampler(): () => ServerSamples {
  const started = new WeakMap<
    IncomingMessage,
    { cpu: NodeJS.CpuUsage; route: string }
  >();
  let samples: ServerSamples = {};
  subscribe('http.server.request.start', message => {
    const { request: req } = message as { request: IncomingMessage };
    const path = (req.url ?? '').split('?')[0];
    const route = MEASURED_ROUTES.find(r => path === r);
    if (route) {
      started.set(req, { cpu: process.cpuUsage(), route });
    }
  });
  subscribe('http.server.response.finish', message => {
    const { request: req } = message as { request: IncomingMessage };
    const begun = started.get(req);
    if (!begun) return;
    const cpu = process.cpuUsage(begun.cpu);
    const series = (samples[begun.route] ??= { cpuMs: [] });
    series.cpuMs.push((cpu.user + cpu.system) / 1000);
  });
  return () => {
    const taken = samples;
    samples = {};
    return taken;
  };
}

function getJson(port: number, path: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = request(
      // A connection per poll: a kept-alive one can be closed by the
      // server's keep-alive timeout just as the next poll goes out
      // ("socket hang up") while a long sync keeps the backend busy.
      { host: '127.0.0.1', port, path, method: 'GET', agent: false },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function memory(gc: boolean): MemorySample {
  const m = process.memoryUsage();
  const sample: MemorySample = {
    rssBytes: m.rss,
    heapUsedBytes: m.heapUsed,
    heapTotalBytes: m.heapTotal,
    externalBytes: m.external,
  };
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gc && collect) {
    collect();
    sample.heapUsedAfterGcBytes = process.memoryUsage().heapUsed;
  }
  return sample;
}

function usage(): ResourceUsage {
  const cpu = process.cpuUsage();
  const activeResources: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    activeResources[kind] = (activeResources[kind] ?? 0) + 1;
  }
  return { cpuMs: (cpu.user + cpu.system) / 1000, activeResources };
}

/** Waits until the process used < 5 % of a core for `quietMs` in a row. */
async function settle(quietMs = 1000, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  let quietSince = Date.now();
  let last = process.cpuUsage();
  let lastAt = Date.now();
  while (Date.now() < deadline) {
    await sleep(100);
    const now = Date.now();
    const used = process.cpuUsage(last);
    const share = (used.user + used.system) / 1000 / Math.max(1, now - lastAt);
    last = process.cpuUsage();
    lastAt = now;
    if (share > 0.05) quietSince = now;
    if (now - quietSince >= quietMs) return;
  }
}

async function start(message: StartMessage): Promise<void> {
  const takeSamples = serverSampler();
  const t0 = Date.now();
  const plugins = message.plugins ?? ['kaito', 'kubernetes'];
  const backend = await startTestBackend({
    features: [
      ...(plugins.includes('kaito') ? [kaitoPlugin] : []),
      ...(plugins.includes('kubernetes') ? [kubernetesPlugin] : []),
      mockServices.rootConfig.factory({ data: message.config }),
      catalogServiceMock.factory({ entities: message.entities }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
  });
  const backendStartedMs = Date.now() - t0;
  const port = backend.server.port();

  let clusters: StartedMessage['clusters'] = [];
  for (;;) {
    const body = await getJson(port, '/api/kaito/clusters');
    clusters = (body.items ?? []).map((c: any) => ({
      name: c.name,
      state: c.health?.state,
      since: c.health?.since,
    }));
    if (
      clusters.length === message.clusterCount &&
      clusters.every(c => c.state === 'healthy')
    ) {
      break;
    }
    if (Date.now() - t0 > 120_000) {
      throw new Error(`clusters did not sync: ${JSON.stringify(clusters)}`);
    }
    await sleep(5);
  }
  const cacheSyncedMs =
    Math.max(...clusters.map(c => Date.parse(c.since))) - t0;
  await settle(message.quietMs);
  const settledMs = Date.now() - t0;

  const send = (m: unknown) => process.send!(m);
  process.on('message', async (m: { type: string; gc?: boolean }) => {
    if (m.type === 'memory') {
      send({ type: 'memory', sample: memory(Boolean(m.gc)) });
    } else if (m.type === 'usage') {
      send({ type: 'usage', usage: usage() });
    } else if (m.type === 'samples') {
      send({ type: 'samples', samples: takeSamples() });
    } else if (m.type === 'stop') {
      await backend.stop().catch(() => undefined);
      process.exit(0);
    }
  });
  send({
    type: 'started',
    port,
    backendStartedMs,
    cacheSyncedMs,
    settledMs,
    clusters,
  } satisfies StartedMessage);
}

/** Entry point of the forked process. */
export function main(): void {
  if (!process.send) {
    throw new Error('backendProcess must be forked with an IPC channel');
  }
  process.once('message', (message: StartMessage) => {
    start(message).catch(error => {
      process.stderr.write(`bench backend: ${error?.stack ?? error}\n`);
      process.exit(1);
    });
  });
  process.on('disconnect', () => process.exit(0));
}
