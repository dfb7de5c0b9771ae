/**
 * The simulated Kubernetes API server: HTTP (or HTTPS), bearer-token
 * authentication, discovery, OpenAPI v3, the REST verbs on registered types,
 * watches and server-side tables, with the kube faults of the FaultStore
 * applied (added latency, dropped watch streams, the API server down).
 *
 * kubectl (client-go's clientcmd) only sends credentials over TLS, so serve
 * with `tls` for kubectl; @kubernetes/client-node sends the token over plain
 * HTTP too.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { stringify as stringifyYaml } from 'yaml';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Faults, FaultStore } from '../faults';
import {
  KUBERNETES_VERSION,
  aggregatedDiscovery,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from './discovery';
import { StatusError, unauthorized } from './errors';
import { parseMediaTypes, sendObject, sendStatusError } from './httpIo';
import { openApiV3Document, openApiV3Index } from './openapi';
import { checkRequestTimeout, isPrettyPrint } from './queryOptions';
import { parseRequestPath, type RequestTarget } from './requestInfo';
import { handleResourceRequest } from './resourceRouter';
import type { InMemoryObjectStore } from './store';
import { WatchSessions } from './watchStream';

export interface KubeApiServerOptions {
  store: InMemoryObjectStore;
  faults: FaultStore;
  /** The bearer token clients must present (`Authorization: Bearer <token>`). */
  token: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** How often watches that allow bookmarks get a BOOKMARK event. Default 60 s, as upstream. */
  bookmarkIntervalMs?: number;
  /**
   * The WatchList feature gate: watches with `sendInitialEvents`. Off by
   * default, as in Kubernetes 1.33 (on again from 1.34).
   */
  watchList?: boolean;
  /** Serve HTTPS with this certificate (PEM). `caCertPem` is what a kubeconfig must trust (default: the certificate itself). */
  tls?: { certPem: string; keyPem: string; caCertPem?: string };
}

export interface KubeApiServer {
  /** e.g. `http://127.0.0.1:43121` */
  url: string;
  /** Number of watch streams currently open. */
  openWatches(): number;
  /** A kubeconfig (YAML) for this server: its URL, the token and, with TLS, the CA to trust. */
  kubeconfig(options?: { namespace?: string; name?: string }): string;
  close(): Promise<void>;
}

const NOT_FOUND = () =>
  new StatusError(
    404,
    'NotFound',
    'the server could not find the requested resource',
  );

/** Endpoints the `system:public-info-viewer` role opens to unauthenticated clients. */
const PUBLIC_TARGETS = new Set<RequestTarget['kind']>(['version', 'health']);

type DiscoveryVersion = 'v2' | 'v2beta1' | undefined;

/** Whether the client asked for aggregated discovery (and which version), in its order of preference. */
function aggregatedDiscoveryVersion(
  accept: string | undefined,
): DiscoveryVersion {
  for (const range of parseMediaTypes(accept)) {
    if (range.type !== 'application/json') {
      continue;
    }
    const { g, v, as } = range.params;
    if (!g && !as) {
      return undefined;
    }
    if (
      g === 'apidiscovery.k8s.io' &&
      as === 'APIGroupDiscoveryList' &&
      (v === 'v2' || v === 'v2beta1')
    ) {
      return v;
    }
  }
  return undefined;
}

function tokenMatches(
  header: string | undefined,
  token: string,
): boolean | undefined {
  if (header === undefined) {
    return undefined;
  }
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) {
    return false;
  }
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function createKubeApiServer(
  options: KubeApiServerOptions,
): Promise<KubeApiServer> {
  const { store, faults, token } = options;
  const sessions = new WatchSessions();
  const handlerContext = {
    store,
    sessions,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    watchList: options.watchList ?? false,
    apiToken: token,
  };
  let serverAddress = '';

  const serveDiscovery = (
    req: IncomingMessage,
    res: ServerResponse,
    target: RequestTarget,
    pretty: boolean,
  ) => {
    const types = store.types();
    const discoveryVersion = aggregatedDiscoveryVersion(req.headers.accept);
    const aggregated = (scope: 'api' | 'apis') =>
      sendObject(
        res,
        200,
        aggregatedDiscovery(types, scope, discoveryVersion!),
        {
          contentType: `application/json;g=apidiscovery.k8s.io;v=${discoveryVersion};as=APIGroupDiscoveryList`,
          pretty,
        },
      );
    switch (target.kind) {
      case 'legacyRoot':
        return discoveryVersion
          ? aggregated('api')
          : sendObject(res, 200, apiVersions(serverAddress), { pretty });
      case 'groupsRoot':
        return discoveryVersion
          ? aggregated('apis')
          : sendObject(res, 200, apiGroupList(types), { pretty });
      case 'group': {
        const group = apiGroupDocument(types, target.group);
        if (!group) {
          throw NOT_FOUND();
        }
        return sendObject(res, 200, group, { pretty });
      }
      case 'groupVersion': {
        const list = apiResourceList(types, target.group, target.version);
        if (!list) {
          throw NOT_FOUND();
        }
        return sendObject(res, 200, list, { pretty });
      }
      default:
        throw NOT_FOUND();
    }
  };

  const route = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    pretty: boolean,
  ) => {
    const target = parseRequestPath(url.pathname);
    const authenticated = tokenMatches(req.headers.authorization, token);
    if (
      authenticated === false ||
      (authenticated === undefined && !PUBLIC_TARGETS.has(target.kind))
    ) {
      throw unauthorized();
    }
    const latency = faults.get().latencyMs.kube;
    if (latency > 0) {
      await sleep(latency);
    }
    const method = req.method ?? 'GET';
    if (target.kind !== 'resource' && method !== 'GET' && method !== 'HEAD') {
      throw new StatusError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
    }
    if (target.kind !== 'resource') {
      checkRequestTimeout(url.searchParams);
    }
    switch (target.kind) {
      case 'version':
        // WriteRawJSON: always indented.
        return sendObject(res, 200, KUBERNETES_VERSION, { pretty: true });
      case 'health':
        res.writeHead(200, {
          'Content-Type': 'text/plain; charset=utf-8',
          'X-Content-Type-Options': 'nosniff',
        });
        res.end('ok');
        return undefined;
      case 'legacyRoot':
      case 'groupsRoot':
      case 'group':
      case 'groupVersion':
        return serveDiscovery(req, res, target, pretty);
      case 'openapiV3Index':
        return sendObject(res, 200, openApiV3Index(store.types()), { pretty });
      case 'openapiV3': {
        const document = openApiV3Document(
          store.types(),
          target.group,
          target.version,
        );
        if (!document) {
          throw NOT_FOUND();
        }
        return sendObject(res, 200, document, { pretty });
      }
      case 'resource':
        return handleResourceRequest(
          handlerContext,
          req,
          res,
          target,
          url.searchParams,
        );
      default:
        // Includes /openapi/v2, which is protobuf-only upstream; clients fall back to v3.
        throw NOT_FOUND();
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Audit-Id', randomUUID());
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pretty = isPrettyPrint(url.searchParams, req.headers['user-agent']);
    route(req, res, url, pretty).catch(error =>
      sendStatusError(res, error, pretty),
    );
  };
  const server = options.tls
    ? createTlsServer(
        { cert: options.tls.certPem, key: options.tls.keyPem },
        listener,
      )
    : createServer(listener);

  let dropTimer: NodeJS.Timeout | undefined;
  const scheduleWatchDrops = (current: Faults) => {
    if (dropTimer) {
      clearInterval(dropTimer);
      dropTimer = undefined;
    }
    if (current.watchDrop.everyMs > 0) {
      dropTimer = setInterval(
        () => sessions.dropAll(),
        current.watchDrop.everyMs,
      );
      dropTimer.unref();
    }
  };
  scheduleWatchDrops(faults.get());
  faults.on('change', scheduleWatchDrops);

  // The API server down: refuse new connections (reset before TLS
  // completes) and cut the open ones, watch streams included.
  let down = false;
  const applyOutage = (current: Faults) => {
    const next = current.kubeApiDown;
    if (next && !down) {
      sessions.dropAll();
      server.closeAllConnections();
    }
    down = next;
  };
  applyOutage(faults.get());
  faults.on('change', applyOutage);
  server.on('connection', socket => {
    if (down) socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host =
    address.family === 'IPv6' ? `[${address.address}]` : address.address;
  serverAddress = `${host}:${address.port}`;

  const url = `${options.tls ? 'https' : 'http'}://${serverAddress}`;
  return {
    url,
    openWatches: () => sessions.size,
    kubeconfig: ({ namespace = 'default', name = 'kaito-sim' } = {}) =>
      stringifyYaml({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name,
            cluster: {
              server: url,
              ...(options.tls
                ? {
                    'certificate-authority-data': Buffer.from(
                      options.tls.caCertPem ?? options.tls.certPem,
                    ).toString('base64'),
                  }
                : {}),
            },
          },
        ],
        users: [{ name, user: { token } }],
        contexts: [{ name, context: { cluster: name, user: name, namespace } }],
        'current-context': name,
      }),
    close: async () => {
      faults.off('change', scheduleWatchDrops);
      faults.off('change', applyOutage);
      if (dropTimer) {
        clearInterval(dropTimer);
      }
      sessions.endAll();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
