import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService as CatalogClient } from '@backstage/plugin-catalog-node';
import {
  CreateGpuPoolRequest,
  CreateWorkspaceRequest,
  EnsureGpuPoolRequest,
  ListClustersResponse,
  ListPresetsResponse,
  ListRunsResponse,
  UpdateGpuPoolRequest,
  kaitoChatPermission,
  kaitoGpuPoolManagePermission,
  kaitoGpuPoolReadPermission,
  kaitoRoutes,
  kaitoWorkspaceCreatePermission,
  kaitoWorkspaceDeletePermission,
  kaitoWorkspaceReadPermission,
  shown,
  validateCreateGpuPoolRequest,
  validateEnsureGpuPoolRequest,
} from '@kaito-backstage/plugin-kaito-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { RequestGuard } from './requestGuard';
import {
  checkQuery,
  entityRefParam,
  limitKey,
  poolRequestBody,
  principalRef,
  queryParam,
} from './requestParams';
import { BufferPool } from './service/BufferPool';
import { CatalogService } from './service/CatalogService';
import { ChatLimiter } from './service/ChatLimiter';
import { ChatProxy, assertServing } from './service/ChatProxy';
import { RequestLimits } from './service/config';
import { kaitoErrorHandler } from './service/errorHandler';
import { jsonBody } from './service/jsonBody';
import { NamespacePolicy } from './service/namespacePolicy';
import { ClusterSet } from './service/ClusterSet';
import { ensureGpuPool } from './service/ensureGpuPool';
import { LogStreamer } from './service/LogStreamer';
import { PoolService } from './service/PoolService';
import { RunHistoryService } from './service/RunHistoryService';
import { sendJsonBytes } from './service/sendJsonBytes';
import { WorkspaceService } from './service/WorkspaceService';

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

/** The REST API of kaito-backend; the routes are kaito-common's `kaitoRoutes`. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
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
  const guard = new RequestGuard(options);

  const router = Router();
  const listBuffers = new BufferPool();
  // Bodies are parsed per route, each with its bound (413 beyond it).
  const writeBody = jsonBody(limits.bodyBytes);
  const chatBody = jsonBody(limits.chat.bodyBytes);

  /** A workspace of the path, read once, with the entity it belongs to. */
  async function pathWorkspace(req: Request) {
    const { cluster, namespace, name } = req.params;
    const found = await workspaces.getWorkspace(cluster, namespace, name);
    const entityRef = await guard.workspaceEntityRef(req, found.workspace);
    return { found, entityRef, cluster, namespace, name };
  }

  // --- clusters -----------------------------------------------------------

  router.get(kaitoRoutes.clusters, async (req, res) => {
    checkQuery(req, 'none');
    await guard.authorize(req, kaitoGpuPoolReadPermission);
    const body: ListClustersResponse = { items: clusters.info() };
    res.json(body);
  });

  // --- workspaces ---------------------------------------------------------

  router.get(kaitoRoutes.workspaces, async (req, res) => {
    checkQuery(req, 'listWorkspaces');
    const ref = entityRefParam(queryParam(req, 'entityRef'));
    const entity = await guard.entity(ref, await guard.credentials(req));
    await guard.authorize(req, kaitoWorkspaceReadPermission, ref);
    sendJsonBytes(res, await workspaces.listForEntityJson(entity), listBuffers);
  });

  router.post(kaitoRoutes.workspaces, ...writeBody, async (req, res) => {
    checkQuery(req, 'none');
    const body = req.body as CreateWorkspaceRequest;
    let ref: string | undefined;
    try {
      ref = entityRefParam(body?.entityRef);
    } catch {
      ref = undefined; // validation below names the field
    }
    let credentials = await guard.credentials(req);
    let entity: Entity | undefined;
    if (ref) {
      entity = await guard.entity(ref, credentials);
      credentials = await guard.authorize(
        req,
        kaitoWorkspaceCreatePermission,
        ref,
      );
    }
    const taskHeader = req.header('x-kaito-template-task-id');
    const result = await guard.audited(
      req,
      'workspace-create',
      {
        entityRef: ref,
        cluster:
          typeof body?.cluster === 'string'
            ? body.cluster.slice(0, 253)
            : undefined,
        namespace:
          typeof body?.namespace === 'string'
            ? body.namespace.slice(0, 63)
            : undefined,
        name:
          typeof body?.name === 'string' ? body.name.slice(0, 63) : undefined,
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
    res
      .status(result.dryRun || result.created === false ? 200 : 201)
      .json(result);
  });

  router.get(kaitoRoutes.workspace, async (req, res) => {
    checkQuery(req, 'workspace');
    const { found, entityRef } = await pathWorkspace(req);
    await guard.authorize(req, kaitoWorkspaceReadPermission, entityRef);
    res.json(await workspaces.getDetail(found));
  });

  router.delete(kaitoRoutes.workspace, async (req, res) => {
    checkQuery(req, 'workspace');
    const { found, entityRef, cluster, namespace, name } = await pathWorkspace(
      req,
    );
    await guard.authorize(req, kaitoWorkspaceDeletePermission, entityRef);
    const result = await guard.audited(
      req,
      'workspace-delete',
      {
        entityRef,
        cluster,
        namespace,
        name,
        uid: found.workspace.metadata.uid,
      },
      () => workspaces.delete(found),
    );
    res.status(202).json(result);
  });

  router.get(kaitoRoutes.workspaceLogs, async (req, res) => {
    checkQuery(req, 'logs');
    const { found, entityRef } = await pathWorkspace(req);
    await guard.authorize(req, kaitoWorkspaceReadPermission, entityRef);
    await logs.stream(
      found,
      {
        follow: queryParam(req, 'follow'),
        tailLines: queryParam(req, 'tailLines'),
        pod: queryParam(req, 'pod'),
        container: queryParam(req, 'container'),
      },
      res,
    );
  });

  router.post(kaitoRoutes.chatCompletions, ...chatBody, async (req, res) => {
    checkQuery(req, 'workspace');
    const { found, entityRef, cluster, namespace, name } = await pathWorkspace(
      req,
    );
    await guard.authorize(req, kaitoWorkspaceReadPermission, entityRef);
    const credentials = await guard.authorize(
      req,
      kaitoChatPermission,
      entityRef,
    );
    const entity = await guard.entity(entityRef, credentials);
    await guard.audited(
      req,
      'chat-completion',
      {
        entityRef,
        cluster,
        namespace,
        name,
        model:
          typeof req.body?.model === 'string'
            ? req.body.model.slice(0, 200)
            : undefined,
        stream: Boolean(req.body?.stream),
      },
      async () => {
        namespaces.check({
          cluster,
          namespace,
          owner: guard.namespaceOwner(entity),
        });
        ChatProxy.check(req.body);
        assertServing(cluster, found.workspace);
        await chatLimiter.admit(limitKey(credentials), res);
        await chat.proxy({ cluster, namespace, name }, req, res);
      },
      'low',
    );
  });

  // --- GPU pools ------------------------------------------------------------

  router.get(kaitoRoutes.gpuPools, async (req, res) => {
    checkQuery(req, 'none');
    await guard.authorize(req, kaitoGpuPoolReadPermission);
    res.json(await pools.list(req.params.cluster));
  });

  router.post(kaitoRoutes.gpuPools, ...writeBody, async (req, res) => {
    checkQuery(req, 'none');
    const credentials = await guard.authorize(
      req,
      kaitoGpuPoolManagePermission,
    );
    const { cluster } = req.params;
    const raw = poolRequestBody<CreateGpuPoolRequest>(req);
    const body = await guard.checkPoolRequest(
      req,
      raw,
      cluster,
      validateCreateGpuPoolRequest(raw),
    );
    const { pool } = await guard.audited(
      req,
      'gpu-pool-create',
      {
        cluster: body.cluster,
        name: body.name,
        vmSize: body.vmSize,
        entityRef: body.entityRef,
        workspace: body.workspace,
      },
      () => pools.create(body, principalRef(credentials)),
    );
    res.status(202).json(pool);
  });

  router.post(kaitoRoutes.gpuPoolEnsure, ...writeBody, async (req, res) => {
    checkQuery(req, 'none');
    // Finding a pool needs read access; creating or re-submitting one,
    // manage access (checked when it comes to that).
    const credentials = await guard.authorize(req, kaitoGpuPoolReadPermission);
    const { cluster } = req.params;
    const raw = poolRequestBody<EnsureGpuPoolRequest>(req);
    const body = await guard.checkPoolRequest(
      req,
      raw,
      cluster,
      validateEnsureGpuPoolRequest(raw),
    );
    const result = await ensureGpuPool(pools, body, {
      createdBy: principalRef(credentials),
      write: async (eventId, meta, write) => {
        await guard.authorize(req, kaitoGpuPoolManagePermission);
        return guard.audited(req, eventId, meta, write);
      },
    });
    res
      .status(result.outcome === 'existing' || result.dryRun ? 200 : 202)
      .json(result);
  });

  router.get(kaitoRoutes.gpuPool, async (req, res) => {
    checkQuery(req, 'none');
    await guard.authorize(req, kaitoGpuPoolReadPermission);
    res.json(await pools.get(req.params.cluster, req.params.pool));
  });

  router.patch(kaitoRoutes.gpuPool, ...writeBody, async (req, res) => {
    checkQuery(req, 'none');
    await guard.authorize(req, kaitoGpuPoolManagePermission);
    const { cluster, pool } = req.params;
    const body = (req.body ?? {}) as UpdateGpuPoolRequest;
    const result = await guard.audited(
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

  router.delete(kaitoRoutes.gpuPool, async (req, res) => {
    checkQuery(req, 'deleteGpuPool');
    await guard.authorize(req, kaitoGpuPoolManagePermission);
    const { cluster, pool } = req.params;
    const force = queryParam(req, 'force');
    if (force !== undefined && force !== 'true' && force !== 'false') {
      throw new InputError(
        `force: ${shown(force)} must be true or false [query.boolean]`,
      );
    }
    const result = await guard.audited(
      req,
      'gpu-pool-delete',
      { cluster, name: pool, force: force === 'true' },
      () => pools.delete(cluster, pool, { force: force === 'true' }),
    );
    res.status(202).json(result);
  });

  // --- catalog --------------------------------------------------------------

  router.get(kaitoRoutes.presets, async (req, res) => {
    checkQuery(req, 'none');
    await guard.authorize(req, kaitoGpuPoolReadPermission);
    const body: ListPresetsResponse = { items: catalogService.presets() };
    res.json(body);
  });

  router.get(kaitoRoutes.skus, async (req, res) => {
    checkQuery(req, 'skus');
    await guard.authorize(req, kaitoGpuPoolReadPermission);
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

  router.get(kaitoRoutes.runs, async (req, res) => {
    checkQuery(req, 'runs');
    const ref = entityRefParam(queryParam(req, 'entityRef'));
    await guard.entity(ref, await guard.credentials(req));
    await guard.authorize(req, kaitoWorkspaceReadPermission, ref);
    const limitParam = queryParam(req, 'limit');
    if (limitParam !== undefined && !/^\d{1,4}$/.test(limitParam)) {
      throw new InputError(
        `limit: ${shown(
          limitParam,
        )} must be a whole number from 1 to 9999 [query.limit]`,
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
