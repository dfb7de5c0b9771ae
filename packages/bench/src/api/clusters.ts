/**
 * The benchmark's clusters: the simulator's Kubernetes API server and object
 * store (`createClusterStore` + `createKubeApiServer`, exactly what
 * `startSimulator` serves) over HTTPS with a CA of its own per cluster, but
 * without the simulator's KAITO controllers: they would reconcile all 10,000
 * Workspaces (creating NodeClaims and rewriting the status the benchmark
 * seeds), which is neither what a cluster at rest does nor cheap.
 *
 * Requests are counted on the server side: Node's `http.server.request.start`
 * diagnostics channel fires in the server for every request it parses, and
 * `net.server.socket` for every accepted connection; both are attributed to a
 * cluster by the server's port. Nothing in the simulator is changed.
 */
import {
  createClusterStore,
  createKubeApiServer,
  createSimulatorTls,
  FaultStore,
  type InMemoryObjectStore,
} from '@kaito-backstage/simulator';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { clusterFixtures, namespaces, type FixtureOptions } from './fixtures';
import { nodeObject } from './nodeFixture';

export interface RequestCounts {
  /** Every request the API server parsed. */
  requests: number;
  /** Of which watch requests (`?watch=1|true`): a stream opened, not a read. */
  watches: number;
  /** New TCP (TLS) connections accepted. */
  connections: number;
  /** Requests per `METHOD path` (query string dropped), for the report. */
  byRoute: Record<string, number>;
}

export interface BenchCluster {
  name: string;
  url: string;
  token: string;
  caCertPem: string;
  store: InMemoryObjectStore;
  workspaces: number;
  nodes: number;
  openWatches(): number;
  counts(): RequestCounts;
  close(): Promise<void>;
}

function emptyCounts(): RequestCounts {
  return { requests: 0, watches: 0, connections: 0, byRoute: {} };
}

/** Server-side request counters, per listening port. */
class RequestCounter {
  private readonly byPort = new Map<number, RequestCounts>();
  private subscribed = false;

  track(port: number): () => RequestCounts {
    this.byPort.set(port, emptyCounts());
    if (!this.subscribed) {
      this.subscribed = true;
      subscribe('http.server.request.start', message => {
        const { request, server } = message as {
          request: IncomingMessage;
          server: Server;
        };
        const counts = this.byPort.get(
          (server.address() as AddressInfo | null)?.port ?? -1,
        );
        if (!counts) return;
        counts.requests++;
        const url = new URL(request.url ?? '/', 'http://x');
        const watch = url.searchParams.get('watch');
        if (watch === '1' || watch === 'true') counts.watches++;
        const route = `${request.method} ${url.pathname}${
          watch === '1' || watch === 'true' ? ' (watch)' : ''
        }`;
        counts.byRoute[route] = (counts.byRoute[route] ?? 0) + 1;
      });
      subscribe('net.server.socket', message => {
        const { socket } = message as { socket: Socket };
        const counts = this.byPort.get(socket.localPort ?? -1);
        if (counts) counts.connections++;
      });
    }
    return () => {
      const counts = this.byPort.get(port)!;
      return { ...counts, byRoute: { ...counts.byRoute } };
    };
  }
}

const counter = new RequestCounter();

/** The difference of two snapshots of the same counters. */
export function diffCounts(
  after: RequestCounts,
  before: RequestCounts,
): RequestCounts {
  const byRoute: Record<string, number> = {};
  for (const [route, n] of Object.entries(after.byRoute)) {
    const d = n - (before.byRoute[route] ?? 0);
    if (d) byRoute[route] = d;
  }
  return {
    requests: after.requests - before.requests,
    watches: after.watches - before.watches,
    connections: after.connections - before.connections,
    byRoute,
  };
}

export function sumCounts(all: RequestCounts[]): RequestCounts {
  const total = emptyCounts();
  for (const c of all) {
    total.requests += c.requests;
    total.watches += c.watches;
    total.connections += c.connections;
    for (const [route, n] of Object.entries(c.byRoute)) {
      total.byRoute[route] = (total.byRoute[route] ?? 0) + n;
    }
  }
  return total;
}

/**
 * Starts one cluster: store, namespaces, the fixtures' Workspaces (created,
 * then their status written through the status subresource, as KAITO's
 * controller does) and GPU Nodes, and the HTTPS API server.
 */
export async function startBenchCluster(
  index: number,
  options: FixtureOptions & {
    token: string;
    /** Added to every API request (the simulator's `latencyMs.kube` fault), e.g. a network round trip. */
    apiLatencyMs?: number;
  },
): Promise<BenchCluster> {
  // The store dates objects with `now`; the fixtures say when each was created.
  let seedingAt: Date | undefined;
  const store = await createClusterStore({
    now: () => seedingAt ?? new Date(),
  });
  for (const namespace of namespaces(options)) {
    await store.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    });
  }
  let workspaces = 0;
  let nodes = 0;
  for (const fixture of clusterFixtures(index, options)) {
    for (const node of fixture.nodes) {
      seedingAt = node.createdAt;
      await store.create(nodeObject(node));
      nodes++;
    }
    seedingAt = fixture.createdAt;
    const created = await store.create(
      fixture.workspace as unknown as Parameters<typeof store.create>[0],
    );
    await store.updateStatus({ ...created, status: fixture.status });
    workspaces++;
  }
  seedingAt = undefined;

  const tls = await createSimulatorTls();
  const server = await createKubeApiServer({
    store,
    faults: new FaultStore({ latencyMs: { kube: options.apiLatencyMs ?? 0 } }),
    token: options.token,
    port: 0,
    tls: { certPem: tls.certPem, keyPem: tls.keyPem, caCertPem: tls.caCertPem },
  });
  const counts = counter.track(Number(new URL(server.url).port));
  return {
    name: `aks-bench-${index + 1}`,
    url: server.url,
    token: options.token,
    caCertPem: tls.caCertPem,
    store,
    workspaces,
    nodes,
    openWatches: () => server.openWatches(),
    counts,
    close: () => server.close(),
  };
}

/** Starts the benchmark's clusters one after the other and logs what they hold. */
export async function startBenchClusters(
  options: Parameters<typeof startBenchCluster>[1] & { clusters: number },
): Promise<{
  clusters: BenchCluster[];
  totalWorkspaces: number;
  totalNodes: number;
}> {
  const clusters: BenchCluster[] = [];
  const seedStart = Date.now();
  for (let i = 0; i < options.clusters; i++) {
    clusters.push(await startBenchCluster(i, options));
  }
  const totalWorkspaces = clusters.reduce((n, c) => n + c.workspaces, 0);
  const totalNodes = clusters.reduce((n, c) => n + c.nodes, 0);
  process.stdout.write(
    `seeded ${totalWorkspaces} workspaces and ${totalNodes} GPU nodes in ${
      Date.now() - seedStart
    } ms\n`,
  );
  return { clusters, totalWorkspaces, totalNodes };
}
