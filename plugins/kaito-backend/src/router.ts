import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { CatalogService as CatalogClient } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ANNOTATION_ENTITY_REF,
  CreateGpuPoolRequest,
  CreateWorkspaceRequest,
  KaitoQueryName,
  ListClustersResponse,
  ListPresetsResponse,
  ListRunsResponse,
  UpdateGpuPoolRequest,
  Workspace,
  kaitoChatPermission,
  kaitoGpuPoolManagePermission,
  kaitoGpuPoolReadPermission,
  kaitoWorkspaceCreatePermission,
  kaitoWorkspaceDeletePermission,
  kaitoWorkspaceReadPermission,
  shown,
  validateCreateGpuPoolRequest,
  validateQuery,
} from '@kaito-backstage/plugin-kaito-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { CatalogService } from './service/CatalogService';
import { ChatLimiter } from './service/ChatLimiter';
import { ChatProxy, assertServing } from './service/ChatProxy';
import { RequestLimits } from './service/config';
import { kaitoErrorHandler } from './service/errorHandler';
import { invalidRequest } from './service/httpErrors';
import { jsonBody } from './service/jsonBody';
import { NamespacePolicy } from './service/namespacePolicy';
import { BufferPool } from './service/BufferPool';
import { ClusterSet } from './service/ClusterSet';
import { LogStreamer } from './service/LogStreamer';
import { PoolService } from './service/PoolService';
import { RunHistoryService } from './service/RunHistoryService';
import { sendJsonBytes } from './service/sendJsonBytes';
import {
  WorkspaceService,
  entityWorkspaceSelector,
  workspaceMatchesEntity,
} from './service/WorkspaceService';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogClient;
  clusters: ClusterSet;
  workspaces: WorkspaceService;
  pools: PoolService;
  catalogService: CatalogService;
  chat: ChatProxy;
  logs: LogStreamer;
  runs: RunHistoryService;
  namespaces: NamespacePolicy;
  limits: RequestLimits;
  chatLimiter: ChatLimiter;
}

/** Refuses query parameters the route does not define (400 naming them). */
function checkQuery(req: Request, route: KaitoQueryName): void {
  const issues = validateQuery(route, req.query);
  if (issues.length > 0) {
    throw invalidRequest('query', issues);
  }
}

/** A single string query parameter; InputError naming it when repeated. */
function queryParam(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new InputError(`${name}: must be given once, as a string [query.type]`);
  }
  return value;
}

/** A valid entity ref from a request field, normalized. */
function entityRefParam(value: unknown, field = 'entityRef'): string {
  if (value === undefined || value === null || value === '') {
    throw new InputError(`${field}: an entity ref is required [entity-ref.required]`);
  }
  if (typeof value !== 'string') {
    throw new InputError(`${field}: must be a string [field.type]`);
  }
  try {
    // Lowercased, as Backstage compares refs.
    return stringifyEntityRef(parseEntityRef(value));
  } catch (error) {
    throw new InputError(
      `${field}: ${shown(value)} is not an entity ref of the form kind:namespace/name [entity-ref.invalid]`,
    );
  }
}

/** Who a chat request counts against: the user, or the calling service. */
function limitKey(credentials: BackstageCredentials): string {
  return principalRef(credentials) ?? 'anonymous';
}

function principalRef(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as any;
  if (principal?.type === 'user') return principal.userEntityRef;
  if (principal?.type === 'service') return principal.subject;
  return undefined;
}

function auditMeta(value: Record<string, unknown>): JsonObject {
  return JSON.parse(JSON.stringify(value));
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    auditor,
    catalog,
    clusters,
    workspaces,
    pools,
    catalogService,
    chat,
    logs,
    runs,
    namespaces,
    limits,
    chatLimiter,
  } = options;

  const router = Router();
  const listBuffers = new BufferPool();
  // Bodies are parsed per route, each with its bound (413 beyond it).
  const writeBody = jsonBody(limits.bodyBytes);
  const chatBody = jsonBody(limits.chat.bodyBytes);

  async function authorize(
    req: Request,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ): Promise<BackstageCredentials> {
    const credentials = await httpAuth.credentials(req);
    const [decision] =
      permission.type === 'resource'
        ? await permissions.authorize(
            [{ permission: permission as ResourcePermission, resourceRef: resourceRef! }],
            { credentials },
          )
        : await permissions.authorize(
            [{ permission: permission as BasicPermission }],
            { credentials },
          );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to ${permission.name}${resourceRef ? ` on ${resourceRef}` : ''}`,
      );
    }
    return credentials;
  }

  /**
   * The entity, looked up as the caller: 404 for an entity that does not
   * exist or that the caller may not see, on every route alike (before any
   * permission decision on it).
   */
  async function getEntity(
    ref: string,
    credentials: BackstageCredentials,
    field = 'entityRef',
  ): Promise<Entity> {
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(
        `${field}: entity ${shown(ref)} was not found in the catalog [entity.not-found]`,
      );
    }
    return entity;
  }

  /** The namespace policy for a workspace that exists, as chat and pool tags use it. */
  function ownerOf(entity: Entity) {
    return {
      ref: stringifyEntityRef(entity),
      namespace: entityWorkspaceSelector(entity).namespace,
    };
  }

  /**
   * The entity a workspace belongs to: its entity-ref annotation, or else an
   * `entityRef` query parameter that the backend checks against the
   * entity's own annotations (looked up in the catalog as the caller).
   */
  async function workspaceEntityRef(
    req: Request,
    ws: Workspace,
  ): Promise<string> {
    const annotated = ws.metadata.annotations?.[ANNOTATION_ENTITY_REF];
    if (annotated) {
      try {
        return stringifyEntityRef(parseEntityRef(annotated));
      } catch {
        // fall through to the query parameter
      }
    }
    const requested = queryParam(req, 'entityRef');
    if (!requested) {
      throw new NotAllowedError(
        `Workspace ${ws.metadata.namespace}/${ws.metadata.name} is not linked to a catalog entity ` +
          `(no ${ANNOTATION_ENTITY_REF} annotation); pass entityRef=<ref> of the entity it belongs to`,
      );
    }
    const ref = entityRefParam(requested);
    const entity = await getEntity(ref, await httpAuth.credentials(req));
    if (!workspaceMatchesEntity(ws, entityWorkspaceSelector(entity))) {
      throw new NotAllowedError(
        `Workspace ${ws.metadata.namespace}/${ws.metadata.name} does not belong to ${ref}`,
      );
    }
    return ref;
  }

  /**
   * GPU pool tags follow the same rules as workspaces: a tagged entity must
   * exist (404) and a tagged workspace namespace must be one the entity's
   * workspaces may live in (403 naming the rule). Runs after the request's
   * own validation, so malformed tags are 400s naming the field.
   */
  async function checkPoolTags(
    req: Request,
    body: CreateGpuPoolRequest,
    cluster: string,
  ): Promise<void> {
    const issues = validateCreateGpuPoolRequest(body);
    if (issues.length > 0) {
      throw invalidRequest('GPU pool request', issues);
    }
    let owner: ReturnType<typeof ownerOf> | undefined;
    if (body.entityRef !== undefined) {
      const entity = await getEntity(
        entityRefParam(body.entityRef),
        await httpAuth.credentials(req),
      );
      owner = ownerOf(entity);
      body.entityRef = owner.ref;
    }
    if (body.workspace) {
      namespaces.check({
        cluster,
        namespace: body.workspace.namespace,
        owner,
        field: 'workspace.namespace',
      });
    }
  }

  async function audited<T>(
    req: Request,
    eventId: string,
    meta: Record<string, unknown>,
    fn: () => Promise<T>,
    severityLevel: 'low' | 'medium' = 'medium',
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      severityLevel,
      request: req,
      meta: auditMeta(meta),
    });
    try {
      const result = await fn();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  // --- clusters -----------------------------------------------------------

  router.get('/clusters', async (req, res) => {
    checkQuery(req, 'none');
    await authorize(req, kaitoGpuPoolReadPermission);
    const body: ListClustersResponse = { items: clusters.info() };
    res.json(body);
  });

  // --- workspaces ---------------------------------------------------------

  router.get('/workspaces', async (req, res) => {
    checkQuery(req, 'listWorkspaces');
    const ref = entityRefParam(queryParam(req, 'entityRef'));
    const entity = await getEntity(ref, await httpAuth.credentials(req));
    await authorize(req, kaitoWorkspaceReadPermission, ref);
    sendJsonBytes(res, await workspaces.listForEntityJson(entity), listBuffers);
  });

  router.post('/workspaces', ...writeBody, async (req, res) => {
    checkQuery(req, 'none');
    const body = req.body as CreateWorkspaceRequest;
    let ref: string | undefined;
    try {
      ref = entityRefParam(body?.entityRef);
    } catch {
      ref = undefined; // validation below names the field
    }
    let credentials = await httpAuth.credentials(req);
    let entity: Entity | undefined;
    if (ref) {
      entity = await getEntity(ref, credentials);
      credentials = await authorize(req, kaitoWorkspaceCreatePermission, ref);
    }
    const taskHeader = req.header('x-kaito-template-task-id');
    const result = await audited(
      req,
      'workspace-create',
      {
        entityRef: ref,
        cluster: typeof body?.cluster === 'string' ? body.cluster.slice(0, 253) : undefined,
        namespace: typeof body?.namespace === 'string' ? body.namespace.slice(0, 63) : undefined,
        name: typeof body?.name === 'string' ? body.name.slice(0, 63) : undefined,
        mode: body?.tuning ? 'tuning' : 'inference',
        dryRun: body?.dryRun === true,
      },
      () =>
        workspaces.create(body, {
          entity: entity ?? ({ metadata: { name: '' } } as Entity),
          createdBy: principalRef(credentials),
          ...(taskHeader && /^[\w-]{1,100}$/.test(taskHeader)
            ? { taskId: taskHeader }
            : {}),
        }),
    );
    res.status(result.dryRun ? 200 : 201).json(result);
  });

  const workspacePath = '/clusters/:cluster/namespaces/:namespace/workspaces/:name';

  router.get(workspacePath, async (req, res) => {
    checkQuery(req, 'workspace');
    const { cluster, namespace, name } = req.params;
    const { workspace } = await workspaces.getWorkspace(cluster, namespace, name);
    const ref = await workspaceEntityRef(req, workspace);
    await authorize(req, kaitoWorkspaceReadPermission, ref);
    res.json(await workspaces.getDetail(cluster, namespace, name));
  });

  router.delete(workspacePath, async (req, res) => {
    checkQuery(req, 'workspace');
    const { cluster, namespace, name } = req.params;
    const { workspace } = await workspaces.getWorkspace(cluster, namespace, name);
    const ref = await workspaceEntityRef(req, workspace);
    await authorize(req, kaitoWorkspaceDeletePermission, ref);
    const result = await audited(
      req,
      'workspace-delete',
      { entityRef: ref, cluster, namespace, name, uid: workspace.metadata.uid },
      () => workspaces.delete(cluster, namespace, name),
    );
    res.status(202).json(result);
  });

  router.get(`${workspacePath}/logs`, async (req, res) => {
    checkQuery(req, 'logs');
    const { cluster, namespace, name } = req.params;
    const { workspace } = await workspaces.getWorkspace(cluster, namespace, name);
    const ref = await workspaceEntityRef(req, workspace);
    await authorize(req, kaitoWorkspaceReadPermission, ref);
    await logs.stream({ cluster, namespace, name }, {
      follow: queryParam(req, 'follow'),
      tailLines: queryParam(req, 'tailLines'),
      pod: queryParam(req, 'pod'),
      container: queryParam(req, 'container'),
    }, res);
  });

  router.post(`${workspacePath}/chat/completions`, ...chatBody, async (req, res) => {
    checkQuery(req, 'workspace');
    const { cluster, namespace, name } = req.params;
    const { workspace } = await workspaces.getWorkspace(cluster, namespace, name);
    const ref = await workspaceEntityRef(req, workspace);
    await authorize(req, kaitoWorkspaceReadPermission, ref);
    const credentials = await authorize(req, kaitoChatPermission, ref);
    const entity = await getEntity(ref, credentials);
    await audited(
      req,
      'chat-completion',
      {
        entityRef: ref,
        cluster,
        namespace,
        name,
        model: typeof req.body?.model === 'string' ? req.body.model.slice(0, 200) : undefined,
        stream: Boolean(req.body?.stream),
      },
      async () => {
        namespaces.check({ cluster, namespace, owner: ownerOf(entity) });
        ChatProxy.check(req.body);
        assertServing(cluster, workspace);
        await chatLimiter.admit(limitKey(credentials), res);
        await chat.proxy({ cluster, namespace, name }, req, res);
      },
      'low',
    );
  });

  // --- GPU pools ------------------------------------------------------------

  router.get('/clusters/:cluster/gpu-pools', async (req, res) => {
    checkQuery(req, 'none');
    await authorize(req, kaitoGpuPoolReadPermission);
    res.json(await pools.list(req.params.cluster));
  });

  router.post('/clusters/:cluster/gpu-pools', ...writeBody, async (req, res) => {
    checkQuery(req, 'none');
    const credentials = await authorize(req, kaitoGpuPoolManagePermission);
    const { cluster } = req.params;
    const raw = req.body;
    const body = (
      raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...raw } : raw
    ) as CreateGpuPoolRequest;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      if (body.cluster !== undefined && body.cluster !== cluster) {
        throw new InputError(
          `cluster: ${shown(body.cluster)} differs from the cluster in the path, "${cluster}" [cluster.mismatch]`,
        );
      }
      body.cluster = cluster;
      await checkPoolTags(req, body, cluster);
    }
    const pool = await audited(
      req,
      'gpu-pool-create',
      {
        cluster,
        name: body.name,
        vmSize: body.vmSize,
        entityRef: body.entityRef,
        workspace: body.workspace,
      },
      () => pools.create(body, principalRef(credentials)),
    );
    res.status(202).json(pool);
  });

  router.get('/clusters/:cluster/gpu-pools/:pool', async (req, res) => {
    checkQuery(req, 'none');
    await authorize(req, kaitoGpuPoolReadPermission);
    res.json(await pools.get(req.params.cluster, req.params.pool));
  });

  router.patch('/clusters/:cluster/gpu-pools/:pool', ...writeBody, async (req, res) => {
    checkQuery(req, 'none');
    await authorize(req, kaitoGpuPoolManagePermission);
    const { cluster, pool } = req.params;
    const body = (req.body ?? {}) as UpdateGpuPoolRequest;
    const result = await audited(
      req,
      'gpu-pool-update',
      {
        cluster,
        name: pool,
        count: body?.count,
        minCount: body?.minCount,
        maxCount: body?.maxCount,
      },
      () => pools.update(cluster, pool, body),
    );
    res.status(202).json(result);
  });

  router.delete('/clusters/:cluster/gpu-pools/:pool', async (req, res) => {
    checkQuery(req, 'deleteGpuPool');
    await authorize(req, kaitoGpuPoolManagePermission);
    const { cluster, pool } = req.params;
    const force = queryParam(req, 'force');
    if (force !== undefined && force !== 'true' && force !== 'false') {
      throw new InputError(`force: ${shown(force)} must be true or false [query.boolean]`);
    }
    const result = await audited(
      req,
      'gpu-pool-delete',
      { cluster, name: pool, force: force === 'true' },
      () => pools.delete(cluster, pool, { force: force === 'true' }),
    );
    res.status(202).json(result);
  });

  // --- catalog --------------------------------------------------------------

  router.get('/catalog/presets', async (req, res) => {
    checkQuery(req, 'none');
    await authorize(req, kaitoGpuPoolReadPermission);
    const body: ListPresetsResponse = { items: catalogService.presets() };
    res.json(body);
  });

  router.get('/catalog/skus', async (req, res) => {
    checkQuery(req, 'skus');
    await authorize(req, kaitoGpuPoolReadPermission);
    res.json(
      await catalogService.skus({
        preset: queryParam(req, 'preset'),
        mode: queryParam(req, 'mode'),
        method: queryParam(req, 'method'),
        cluster: queryParam(req, 'cluster'),
      }),
    );
  });

  // --- run history ----------------------------------------------------------

  router.get('/runs', async (req, res) => {
    checkQuery(req, 'runs');
    const ref = entityRefParam(queryParam(req, 'entityRef'));
    await getEntity(ref, await httpAuth.credentials(req));
    await authorize(req, kaitoWorkspaceReadPermission, ref);
    const limitParam = queryParam(req, 'limit');
    if (limitParam !== undefined && !/^\d{1,4}$/.test(limitParam)) {
      throw new InputError(
        `limit: ${shown(limitParam)} must be a whole number from 1 to 9999 [query.limit]`,
      );
    }
    const body: ListRunsResponse = {
      items: await runs.listRuns(
        ref,
        limitParam ? Math.max(1, Number(limitParam)) : undefined,
      ),
    };
    res.json(body);
  });

  router.use(kaitoErrorHandler({ logger: options.logger }));
  return router;
}
