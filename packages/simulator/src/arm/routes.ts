/**
 * The ARM routes the simulator serves. Paths match case-insensitively (ARM
 * does; AKS itself writes `resourcegroups` in ids), names are compared
 * case-insensitively, and every scope is checked from the outside in:
 * subscription, resource group, cluster, agent pool.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ArmService } from './armService';
import {
  agentPoolNotFound,
  ArmError,
  invalidParameter,
  invalidRequestContent,
  invalidResourceType,
  methodNotAllowed,
  noRoute,
  operationNotFound,
  resourceGroupNotFound,
  resourceNotFound,
  subscriptionNotFound,
  unsupportedMediaType,
} from './errors';
import { operationStatusBody } from './operations';
import {
  agentPoolUpgradeProfile,
  operationPath,
  resourceSkus,
} from './resources';

export interface ArmRequest {
  method: string;
  /** Decoded path segments, original case. */
  segments: string[];
  /** Query parameters with lower-cased names. */
  query: Map<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** `https://host:port` as the client addressed us; LRO URLs point back there. */
  baseUrl: string;
  apiVersion: string;
}

export interface ArmResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Params = Record<string, string>;
type Handler = (
  sim: ArmService,
  req: ArmRequest,
  params: Params,
) => ArmResponse;

interface Route {
  pattern: string[];
  handlers: Partial<Record<string, Handler>>;
}

const CLUSTERS =
  'subscriptions/{sub}/resourcegroups/{rg}/providers/microsoft.containerservice/managedclusters';
const CLUSTER = `${CLUSTERS}/{cluster}`;
const POOL = `${CLUSTER}/agentpools/{pool}`;
const CS_LOCATION =
  'subscriptions/{sub}/providers/microsoft.containerservice/locations/{location}';
const COMPUTE = 'subscriptions/{sub}/providers/microsoft.compute';
const MANAGED_CLUSTERS = 'Microsoft.ContainerService/managedClusters';

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const normalizeLocation = (location: string) =>
  location.replace(/\s+/g, '').toLowerCase();

function checkSubscription(sim: ArmService, p: Params) {
  if (!sameName(p.sub, sim.subscriptionId)) throw subscriptionNotFound(p.sub);
}

function checkGroup(sim: ArmService, p: Params) {
  checkSubscription(sim, p);
  if (!sameName(p.rg, sim.resourceGroup)) throw resourceGroupNotFound(p.rg);
}

function checkCluster(sim: ArmService, p: Params) {
  checkGroup(sim, p);
  if (!sameName(p.cluster, sim.clusterName)) {
    throw resourceNotFound(MANAGED_CLUSTERS, p.cluster, p.rg);
  }
}

const header = (req: ArmRequest, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function jsonBody(req: ArmRequest): unknown {
  const contentType = header(req, 'content-type');
  if (req.rawBody.length > 0 && contentType && !/json/i.test(contentType)) {
    throw unsupportedMediaType(contentType);
  }
  if (req.rawBody.trim() === '') {
    throw invalidRequestContent('The request content was empty');
  }
  try {
    return JSON.parse(req.rawBody);
  } catch (e) {
    throw invalidRequestContent((e as Error).message);
  }
}

const ok = (body: unknown): ArmResponse => ({ status: 200, body });

function getPool(sim: ArmService, p: Params) {
  checkCluster(sim, p);
  const pool = sim.getAgentPool(p.pool);
  if (!pool) throw agentPoolNotFound(p.pool, sim.clusterName);
  return pool;
}

function credentials(name: 'clusterUser' | 'clusterAdmin'): Handler {
  return (sim, req, p) => {
    checkCluster(sim, p);
    const format = req.query.get('format');
    if (
      format !== undefined &&
      !['azure', 'exec'].includes(format.toLowerCase())
    ) {
      throw invalidParameter(
        'format',
        `The value of parameter format is invalid: '${format}'. Supported values are 'azure' and 'exec'.`,
      );
    }
    const kubeconfig = sim.clusterKubeconfig();
    return ok({
      kubeconfigs: [
        { name, value: Buffer.from(kubeconfig, 'utf8').toString('base64') },
      ],
    });
  };
}

function operationRecord(sim: ArmService, p: Params) {
  checkSubscription(sim, p);
  const record =
    normalizeLocation(p.location) === sim.location
      ? sim.getOperation(p.operationId)
      : undefined;
  if (!record) throw operationNotFound(p.operationId);
  return record;
}

const ROUTES: Route[] = [
  {
    pattern:
      'subscriptions/{sub}/providers/microsoft.containerservice/managedclusters'.split(
        '/',
      ),
    handlers: {
      GET: (sim, _req, p) => {
        checkSubscription(sim, p);
        return ok({ value: [sim.getManagedCluster()] });
      },
    },
  },
  {
    pattern: CLUSTERS.split('/'),
    handlers: {
      GET: (sim, _req, p) => {
        checkGroup(sim, p);
        return ok({ value: [sim.getManagedCluster()] });
      },
    },
  },
  {
    pattern: CLUSTER.split('/'),
    handlers: {
      GET: (sim, _req, p) => {
        checkCluster(sim, p);
        return ok(sim.getManagedCluster());
      },
    },
  },
  {
    pattern: `${CLUSTER}/listclusterusercredential`.split('/'),
    handlers: { POST: credentials('clusterUser') },
  },
  {
    pattern: `${CLUSTER}/listclusteradmincredential`.split('/'),
    handlers: { POST: credentials('clusterAdmin') },
  },
  {
    pattern: `${CLUSTER}/agentpools`.split('/'),
    handlers: {
      GET: (sim, _req, p) => {
        checkCluster(sim, p);
        return ok({ value: sim.listAgentPools() });
      },
    },
  },
  {
    pattern: POOL.split('/'),
    handlers: {
      GET: (sim, _req, p) => ok(getPool(sim, p)),
      PUT: (sim, req, p) => {
        checkCluster(sim, p);
        const body = jsonBody(req);
        const accepted = sim.putAgentPool(p.pool, body, {
          ifMatch: header(req, 'if-match'),
          ifNoneMatch: header(req, 'if-none-match'),
        });
        return {
          status: accepted.created ? 201 : 200,
          body: accepted.pool,
          headers: {
            'Azure-AsyncOperation': `${req.baseUrl}${operationPath(
              sim.identity(),
              'operations',
              accepted.operation.id,
            )}`,
          },
        };
      },
      DELETE: (sim, req, p) => {
        checkCluster(sim, p);
        const accepted = sim.beginDeleteAgentPool(p.pool, {
          ifMatch: header(req, 'if-match'),
        });
        if (!accepted) return { status: 204 };
        const id = accepted.operation.id;
        return {
          status: 202,
          headers: {
            'Azure-AsyncOperation': `${req.baseUrl}${operationPath(
              sim.identity(),
              'operations',
              id,
            )}`,
            Location: `${req.baseUrl}${operationPath(
              sim.identity(),
              'operationresults',
              id,
            )}`,
          },
        };
      },
    },
  },
  {
    pattern: `${POOL}/abort`.split('/'),
    handlers: {
      POST: (sim, req, p) => {
        checkCluster(sim, p);
        const accepted = sim.beginAbortAgentPoolOperation(p.pool);
        const id = accepted.operation.id;
        return {
          status: 202,
          headers: {
            'Azure-AsyncOperation': `${req.baseUrl}${operationPath(
              sim.identity(),
              'operations',
              id,
            )}`,
            Location: `${req.baseUrl}${operationPath(
              sim.identity(),
              'operationresults',
              id,
            )}`,
          },
        };
      },
    },
  },
  {
    pattern: `${POOL}/upgradeprofiles/default`.split('/'),
    handlers: {
      GET: (sim, _req, p) => {
        const pool = getPool(sim, p);
        const latest = sim.latestNodeImageVersion(pool.properties.osSKU);
        return ok(agentPoolUpgradeProfile(sim.identity(), pool, latest));
      },
    },
  },
  {
    pattern: `${CS_LOCATION}/operations/{operationId}`.split('/'),
    handlers: {
      GET: (sim, _req, p) => ok(operationStatusBody(operationRecord(sim, p))),
    },
  },
  {
    pattern: `${CS_LOCATION}/operationresults/{operationId}`.split('/'),
    handlers: {
      GET: (sim, req, p) => {
        const record = operationRecord(sim, p);
        if (record.status === 'InProgress') {
          return {
            status: 202,
            headers: {
              Location: `${req.baseUrl}${operationPath(
                sim.identity(),
                'operationresults',
                record.id,
              )}`,
            },
          };
        }
        if (record.status === 'Succeeded') {
          const pool =
            record.kind === 'Delete'
              ? undefined
              : sim.getAgentPool(record.poolName);
          return pool ? ok(pool) : { status: 204 };
        }
        const error = record.error ?? {
          code: record.status,
          message: `The operation ${record.status.toLowerCase()}.`,
        };
        throw new ArmError(400, error.code, error.message);
      },
    },
  },
  {
    pattern: `${COMPUTE}/locations/{location}/usages`.split('/'),
    handlers: {
      GET: (sim, _req, p) => {
        checkSubscription(sim, p);
        return ok({ value: sim.computeUsages(p.location) });
      },
    },
  },
  {
    pattern: `${COMPUTE}/skus`.split('/'),
    handlers: {
      GET: (sim, req, p) => {
        checkSubscription(sim, p);
        const filter = /location\s+eq\s+'([^']+)'/i.exec(
          req.query.get('$filter') ?? '',
        );
        const location = filter ? normalizeLocation(filter[1]) : sim.location;
        return ok({ value: resourceSkus(location, sim.unavailableSizes) });
      },
    },
  },
];

function match(pattern: string[], segments: string[]): Params | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i];
    if (part.startsWith('{')) {
      params[part.slice(1, -1)] = segments[i];
    } else if (part !== segments[i].toLowerCase()) {
      return undefined;
    }
  }
  return params;
}

/** Dispatches an authenticated, versioned request to its route. */
export function routeRequest(sim: ArmService, req: ArmRequest): ArmResponse {
  for (const route of ROUTES) {
    const params = match(route.pattern, req.segments);
    if (!params) continue;
    const handler = route.handlers[req.method];
    if (!handler) throw methodNotAllowed(req.method);
    return handler(sim, req, params);
  }
  const lower = req.segments.map(s => s.toLowerCase());
  const providers = lower.indexOf('providers');
  if (providers >= 0 && lower[providers + 1] === 'microsoft.containerservice') {
    const typeSegments = req.segments
      .slice(providers + 2)
      .filter((_, i) => i % 2 === 0);
    throw invalidResourceType(
      typeSegments.join('/'),
      'Microsoft.ContainerService',
      req.apiVersion,
    );
  }
  throw noRoute(`/${req.segments.join('/')}`);
}
