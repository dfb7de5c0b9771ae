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
} from '@kaito-backstage/plugin-kaito-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { CatalogService } from './service/CatalogService';
import { ChatProxy } from './service/ChatProxy';
import { BufferPool } from './service/BufferPool';
import { ClusterSet } from './service/ClusterSet';
import { LogStreamer } from './service/LogStreamer';
import { PoolService } from './service/PoolService';
import { RunHistoryService } from './service/RunHistoryService';
import { sendJsonBytes } from './service/sendJsonBytes';
import { EntityMappings } from './signals/EntityMappings';
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
  /** Learns which entities are read, for change signals. */
  entityMappings?: EntityMappings;
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
    return stringifyEntityRef(parseEntityRef(value));
  } catch (error) {
    throw new InputError(
      `${field}: "${value}" is not an entity ref of the form kind:namespace/name [entity-ref.invalid]`,
    );
  }
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
    entityMappings,
  } = options;

  const router = Router();
  const listBuffers = new BufferPool();
  router.use(express.json({ limit: '2mb' }));

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

  async function getEntity(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(`Entity ${ref} not found in the catalog`);
    }
    return entity;
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
    entityMappings?.remember(entity);
    return ref;
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
    await authorize(req, kaitoGpuPoolReadPermission);
    const body: ListClustersResponse = { items: clusters.info() };
    res.json(body);
  });

  // --- workspaces ---------------------------------------------------------

  router.get('/workspaces', async (req, res) => {
    const ref = entityRefParam(queryParam(req, 'entityRef'));
    const credentials = await authorize(req, kaitoWorkspaceReadPermission, ref);
    const entity = await getEntity(ref, credentials);
    entityMappings?.remember(entity);
    sendJsonBytes(res, await workspaces.listForEntityJson(entity), listBuffers);
  });

  router.post('/workspaces', async (req, res) => {
    const body = req.body as CreateWorkspaceRequest;
    let ref: string | undefined;
    try {
      ref = entityRefParam(body?.entityRef);
    } catch {
      ref = undefined; // validation below names the field
    }
    const credentials = ref
      ? await authorize(req, kaitoWorkspaceCreatePermission, ref)
      : await httpAuth.credentials(req);
    let entity: Entity | undefined;
    if (ref) {
      entity = await catalog.getEntityByRef(ref, { credentials });
      if (!entity) {
        throw new InputError(
          `entityRef: ${ref} was not found in the catalog [entity.not-found]`,
        );
      }
    }
    const taskHeader = req.header('x-kaito-template-task-id');
    const result = await audited(
      req,
      'workspace-create',
      {
        entityRef: ref,
        cluster: body?.cluster,
        namespace: body?.namespace,
        name: body?.name,
        mode: body?.tuning ? 'tuning' : 'inference',
        dryRun: Boolean(body?.dryRun),
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
    const { cluster, namespace, name } = req.params;
    const { workspace } = await workspaces.getWorkspace(cluster, namespace, name);
    const ref = await workspaceEntityRef(req, workspace);
    await authorize(req, kaitoWorkspaceReadPermission, ref);
    res.json(await workspaces.getDetail(cluster, namespace, name));
  });

  router.delete(workspacePath, async (req, res) => {
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

  router.post(`${workspacePath}/chat/completions`, async (req, res) => {
    const { cluster, namespace, name } = req.params;
    const { workspace } = await workspaces.getWorkspace(cluster, namespace, name);
    const ref = await workspaceEntityRef(req, workspace);
    await authorize(req, kaitoWorkspaceReadPermission, ref);
    await authorize(req, kaitoChatPermission, ref);
    if (workspace.tuning) {
      throw new InputError(
        `Workspace ${namespace}/${name} is a tuning workspace; only inference workspaces serve chat completions`,
      );
    }
    await audited(
      req,
      'chat-completion',
      {
        entityRef: ref,
        cluster,
        namespace,
        name,
        model: typeof req.body?.model === 'string' ? req.body.model : undefined,
        stream: Boolean(req.body?.stream),
      },
      () => chat.proxy({ cluster, namespace, name }, req, res),
      'low',
    );
  });

  // --- GPU pools ------------------------------------------------------------

  router.get('/clusters/:cluster/gpu-pools', async (req, res) => {
    await authorize(req, kaitoGpuPoolReadPermission);
    res.json(await pools.list(req.params.cluster));
  });

  router.post('/clusters/:cluster/gpu-pools', async (req, res) => {
    const credentials = await authorize(req, kaitoGpuPoolManagePermission);
    const { cluster } = req.params;
    const body = { ...(req.body ?? {}) } as CreateGpuPoolRequest;
    if (body.cluster !== undefined && body.cluster !== cluster) {
      throw new InputError(
        `cluster: "${body.cluster}" differs from the cluster in the path, "${cluster}" [cluster.mismatch]`,
      );
    }
    body.cluster = cluster;
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
    await authorize(req, kaitoGpuPoolReadPermission);
    res.json(await pools.get(req.params.cluster, req.params.pool));
  });

  router.patch('/clusters/:cluster/gpu-pools/:pool', async (req, res) => {
    await authorize(req, kaitoGpuPoolManagePermission);
    const { cluster, pool } = req.params;
    const body = (req.body ?? {}) as UpdateGpuPoolRequest;
    const result = await audited(
      req,
      'gpu-pool-update',
      { cluster, name: pool, ...body },
      () => pools.update(cluster, pool, body),
    );
    res.status(202).json(result);
  });

  router.delete('/clusters/:cluster/gpu-pools/:pool', async (req, res) => {
    await authorize(req, kaitoGpuPoolManagePermission);
    const { cluster, pool } = req.params;
    const force = queryParam(req, 'force');
    if (force !== undefined && force !== 'true' && force !== 'false') {
      throw new InputError(`force: "${force}" must be true or false [query.boolean]`);
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
    await authorize(req, kaitoGpuPoolReadPermission);
    const body: ListPresetsResponse = { items: catalogService.presets() };
    res.json(body);
  });

  router.get('/catalog/skus', async (req, res) => {
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
    const ref = entityRefParam(queryParam(req, 'entityRef'));
    await authorize(req, kaitoWorkspaceReadPermission, ref);
    const limitParam = queryParam(req, 'limit');
    if (limitParam !== undefined && !/^\d{1,4}$/.test(limitParam)) {
      throw new InputError(
        `limit: "${limitParam}" must be a whole number from 1 to 9999 [query.limit]`,
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

  return router;
}
