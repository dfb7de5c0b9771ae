import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  ANNOTATION_CREATED_BY,
  ANNOTATION_ENTITY_REF,
  ANNOTATION_TEMPLATE_TASK_ID,
  CreateWorkspaceRequest,
  CreateWorkspaceResponse,
  KAITO_API_GROUP,
  KaitoValidationError,
  WORKSPACE_PLURAL,
  Workspace,
  WorkspaceDetail,
  WorkspaceSummary,
  buildWorkspaceManifest,
  getEntityKubernetesId,
  isReservedLabelKey,
  shown,
  summarizeWorkspaceStatus,
  validateCreateWorkspaceRequest,
  workspaceKind,
} from '@kaito-backstage/plugin-kaito-common';
import { ApiException, CustomObjectsApi } from '@kubernetes/client-node';
import { ClusterSet } from './ClusterSet';
import { invalidRequest } from './httpErrors';
import { NamespacePolicy } from './namespacePolicy';
import { JsonBytes } from './JsonBytes';
import { toClusterError } from './kubeHttp';
import {
  entityWorkspaceSelector,
  entityWorkspaces,
  workspaceMatchesEntity,
} from './entityWorkspaces';
import { RunHistoryService } from './RunHistoryService';
import { TuningProgressReader } from './TuningProgressReader';
import { ClusterWatchCache } from './WatchCache';
import { RawEvent, RawObject } from './rawObjects';
import { describeWorkspace, selectWorkspaceObjects } from './workspaceDetail';
import {
  RememberedSummary,
  WorkspaceSummaries,
  summarizeWorkspace,
} from './workspaceSummaries';

const WORKSPACE_VERSION = 'v1beta1';

/**
 * A refused create (or dry run) as the caller should see it: the API
 * server's answer naming the cluster, and a namespace that does not exist
 * as a problem of the request's `namespace` field.
 */
function createError(request: CreateWorkspaceRequest, error: unknown): Error {
  if (error instanceof ApiException && error.code === 404) {
    const body = typeof error.body === 'string' ? safeJson(error.body) : error.body;
    if (body?.details?.kind === 'namespaces') {
      return new InputError(
        `namespace: ${shown(request.namespace)} does not exist on cluster "${request.cluster}" [namespace.not-found]`,
      );
    }
  }
  const mapped = toClusterError(request.cluster, error);
  if (mapped instanceof InputError) {
    // KAITO's admission webhook or the CRD schema refused the workspace.
    return new InputError(`${mapped.message} [cluster.admission]`);
  }
  return mapped;
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A workspace found in its cluster's cache: what a route reads once and passes on. */
export interface FoundWorkspace {
  cluster: string;
  cache: ClusterWatchCache;
  workspace: Workspace;
}

/** ISO 8601 timestamps sort as plain strings; unknown ones last. */
function newestFirst(
  a: { summary: RememberedSummary },
  b: { summary: RememberedSummary },
) {
  const [x, y] = [a.summary.created ?? '', b.summary.created ?? ''];
  if (x === y) return 0;
  return x < y ? 1 : -1;
}

/**
 * KAITO workspaces: lists and details from the watch cache (no API call),
 * creation and deletion through the API server.
 */
export class WorkspaceService {
  private readonly progress: TuningProgressReader;
  private readonly summaries = new WorkspaceSummaries();

  constructor(
    private readonly clusters: ClusterSet,
    private readonly runs: RunHistoryService,
    private readonly logger: LoggerService,
    private readonly nodeProvisioning: (
      cluster: string,
    ) => 'auto' | 'byo' | undefined = () => undefined,
    private readonly namespaces: NamespacePolicy = new NamespacePolicy(() => undefined),
  ) {
    this.progress = new TuningProgressReader(clusters);
  }

  /**
   * The workspaces of an entity on every cluster, newest first: the JSON
   * of a `ListWorkspacesResponse`. Clusters that cannot be read are
   * reported in `errors`, not fatal; every cluster that answered has its
   * freshness in `clusters` (stale: answered from its last known state).
   */
  async listForEntityJson(entity: Entity): Promise<JsonBytes> {
    const selector = entityWorkspaceSelector(entity);
    const now = Date.now();
    const perCluster = await Promise.all(
      this.clusters.names().map(async cluster => {
        try {
          const cache = await this.clusters.readyCache(cluster);
          const isReady = (node: string) => cache.isNodeReady(node);
          const rows = entityWorkspaces(cache, selector).map(ws => ({
            summary: this.summaries.summaryOf(cluster, ws),
            isReady,
          }));
          return { rows, freshness: cache.freshness() };
        } catch (error) {
          return {
            rows: [],
            error: { cluster, message: (error as Error).message },
          };
        }
      }),
    );
    const rows = perCluster.flatMap(c => c.rows);
    const errors = perCluster.flatMap(c => (c.error ? [c.error] : []));
    const freshness = perCluster.flatMap(c => (c.freshness ? [c.freshness] : []));
    rows.sort(newestFirst);
    const out = new JsonBytes().ascii('{"items":[');
    rows.forEach((row, i) => {
      if (i > 0) out.ascii(',');
      this.summaries.writeJson(row.summary, row.isReady, now, out);
    });
    return out.bytes(
      Buffer.from(
        `],"errors":${JSON.stringify(errors)},"clusters":${JSON.stringify(freshness)}}`,
      ),
    );
  }

  /** A workspace from the cache; 404 naming it when absent, 503 when its cluster is down. */
  async getWorkspace(
    cluster: string,
    namespace: string,
    name: string,
  ): Promise<FoundWorkspace> {
    const cache = await this.clusters.readyCache(cluster);
    const workspace = cache.get<any>('workspaces', name, namespace) as
      | Workspace
      | undefined;
    if (!workspace) {
      throw new NotFoundError(
        `Workspace ${namespace}/${name} not found on cluster "${cluster}"`,
      );
    }
    return { cluster, cache, workspace };
  }

  /** The detail view of a workspace found with `getWorkspace`. */
  async getDetail(found: FoundWorkspace): Promise<WorkspaceDetail> {
    const { cluster, cache, workspace } = found;
    const namespace = workspace.metadata.namespace!;
    const name = workspace.metadata.name!;
    const objects = selectWorkspaceObjects(workspace, {
      jobs: cache.list<RawObject>('jobs', namespace),
      pods: cache.list<RawObject>('pods', namespace),
      nodeClaims: cache.list<RawObject>('nodeclaims'),
      // Node events live in the default namespace; the selection below
      // keeps only events of this workspace's objects.
      events: cache.list<RawEvent>('events'),
      node: n => cache.get<RawObject>('nodes', n),
    });
    const detail = describeWorkspace(cluster, objects, cache.freshness());
    if (detail.tuning) {
      Object.assign(
        detail.tuning,
        await this.progress.read(cluster, name, objects.pods),
      );
    }
    return detail;
  }

  /**
   * Creates a workspace, or with `dryRun` goes the same way up to the write:
   * kaito-common's rules (before anything is sent), the namespace policy,
   * the manifest with the suite's labels and annotations, then the API
   * server's create, with `dryRun=All` on a dry run, so the cluster's own
   * admission (KAITO's webhook, the CRD schema, the namespace) judges both
   * alike and nothing is stored. A dry run that passes means the create
   * passes; its `manifest` is the object the API server would store.
   */
  async create(
    request: CreateWorkspaceRequest,
    context: { entity: Entity; createdBy?: string; taskId?: string },
  ): Promise<CreateWorkspaceResponse> {
    const validation = { nodeProvisioning: this.nodeProvisioning(request.cluster) };
    const issues = validateCreateWorkspaceRequest(request, validation);
    if (issues.length > 0) {
      throw invalidRequest('workspace request', issues);
    }
    if (!this.clusters.names().includes(request.cluster)) {
      throw new InputError(
        `cluster: no cluster named ${shown(request.cluster)} is configured; known clusters: ${
          this.clusters.names().join(', ') || 'none'
        } [cluster.unknown]`,
      );
    }
    const selector = entityWorkspaceSelector(context.entity);
    this.namespaces.check({
      cluster: request.cluster,
      namespace: request.namespace,
      owner: { ref: stringifyEntityRef(context.entity), namespace: selector.namespace },
    });

    let manifest: Workspace;
    try {
      manifest = buildWorkspaceManifest(request, {
        kubernetesId: getEntityKubernetesId(context.entity),
        createdBy: context.createdBy,
        taskId: context.taskId,
        validation,
      });
    } catch (error) {
      if (error instanceof KaitoValidationError) {
        throw invalidRequest('workspace request', error.issues);
      }
      throw error;
    }
    // An entity with its own label selector: carry its equality labels, so
    // the new workspace shows up on the entity's page (not KAITO's own
    // labels: kaito.sh/workspace is the workspace's name).
    for (const r of selector.requirements) {
      if (r.op === 'eq' && !isReservedLabelKey(r.key)) {
        manifest.metadata.labels = { ...manifest.metadata.labels, [r.key]: r.value };
      }
    }
    if (!workspaceMatchesEntity(manifest, selector)) {
      throw new InputError(
        `entityRef: the workspace would not match the label selector "${selector.selector}" of ${stringifyEntityRef(context.entity)} [entity.label-selector]`,
      );
    }

    const dryRun = request.dryRun === true;
    const cluster = this.clusters.cluster(request.cluster);
    const cache = await this.clusters.readyCache(request.cluster);
    const existing = cache.get<any>('workspaces', request.name, request.namespace);
    if (existing) {
      // As the create would answer it: a conflict, or the workspace this
      // task made already.
      const answer = this.answerExisting(
        request,
        existing as Workspace,
        context.taskId,
        cache,
      );
      return dryRun ? { dryRun, manifest: answer.manifest } : answer;
    }
    let created: Workspace;
    try {
      const api = cluster.kubeConfig!.makeApiClient(CustomObjectsApi);
      created = (await api.createNamespacedCustomObject({
        group: KAITO_API_GROUP,
        version: WORKSPACE_VERSION,
        namespace: request.namespace,
        plural: WORKSPACE_PLURAL,
        body: manifest,
        fieldValidation: 'Strict',
        ...(dryRun ? { dryRun: 'All' } : {}),
      })) as Workspace;
    } catch (error) {
      const mapped = createError(request, error);
      if (mapped instanceof ConflictError && !dryRun) {
        // Created meanwhile (e.g. by the first attempt of a retried step).
        const raced = await cache.waitFor<any>(
          'workspaces',
          request.name,
          request.namespace,
          ws => Boolean(ws),
        );
        if (raced) {
          return this.answerExisting(request, raced as Workspace, context.taskId, cache);
        }
      }
      throw mapped;
    }
    if (dryRun) {
      return { dryRun: true, manifest: created };
    }
    try {
      await this.runs.recordCreated(request.cluster, created, context.createdBy);
    } catch (error) {
      this.logger.error(
        `Workspace ${request.namespace}/${request.name} was created on ${request.cluster}, but its run could not be recorded: ${error}`,
      );
    }
    // Read-your-writes: answer once the watch has delivered the new object.
    const seen =
      ((await cache.waitFor<any>(
        'workspaces',
        request.name,
        request.namespace,
        ws => Boolean(ws && ws.metadata?.uid === created.metadata.uid),
      )) as Workspace | undefined) ?? created;
    return {
      dryRun: false,
      created: true,
      manifest: created,
      workspace: summarizeWorkspace(request.cluster, seen, n =>
        cache.get<RawObject>('nodes', n),
      ),
    };
  }

  /**
   * A create request whose workspace exists: the one the same scaffolder
   * task created (a retried or recovered step) is answered as it is; any
   * other is a conflict naming who made it.
   */
  private answerExisting(
    request: CreateWorkspaceRequest,
    existing: Workspace,
    taskId: string | undefined,
    cache: ClusterWatchCache,
  ): CreateWorkspaceResponse {
    const kind = request.tuning ? 'tuning' : 'inference';
    const annotations = existing.metadata.annotations ?? {};
    const task = annotations[ANNOTATION_TEMPLATE_TASK_ID];
    if (!taskId || task !== taskId || workspaceKind(existing) !== kind) {
      const owner = annotations[ANNOTATION_ENTITY_REF];
      const by = annotations[ANNOTATION_CREATED_BY];
      throw new ConflictError(
        `name: workspace ${request.namespace}/${request.name} on cluster "${
          request.cluster
        }" already exists (${workspaceKind(existing)}, ${
          summarizeWorkspaceStatus(existing).phase
        }${owner ? `, for ${owner}` : ''}${by ? `, created by ${by}` : ''}${
          task ? ` in task ${task}` : ''
        }); choose another name or delete it first [workspace.exists]`,
      );
    }
    return {
      dryRun: false,
      created: false,
      manifest: existing,
      workspace: summarizeWorkspace(request.cluster, existing, n =>
        cache.get<RawObject>('nodes', n),
      ),
    };
  }

  /** Deletes a workspace found with `getWorkspace` (KAITO's finalizer then removes its resources). */
  async delete(found: FoundWorkspace): Promise<WorkspaceSummary> {
    const { cluster, cache, workspace } = found;
    const namespace = workspace.metadata.namespace!;
    const name = workspace.metadata.name!;
    try {
      const api = this.clusters
        .cluster(cluster)
        .kubeConfig!.makeApiClient(CustomObjectsApi);
      await api.deleteNamespacedCustomObject({
        group: KAITO_API_GROUP,
        version: WORKSPACE_VERSION,
        namespace,
        plural: WORKSPACE_PLURAL,
        name,
        propagationPolicy: 'Background',
      });
    } catch (error) {
      throw toClusterError(cluster, error);
    }
    const after = (await cache.waitFor<any>(
      'workspaces',
      name,
      namespace,
      ws =>
        !ws ||
        ws.metadata?.uid !== workspace.metadata.uid ||
        Boolean(ws.metadata?.deletionTimestamp),
    )) as Workspace | undefined;
    const last = after ?? {
      ...workspace,
      metadata: {
        ...workspace.metadata,
        deletionTimestamp: new Date().toISOString(),
      },
    };
    return summarizeWorkspace(cluster, last, n =>
      cache.get<RawObject>('nodes', n),
    );
  }
}
