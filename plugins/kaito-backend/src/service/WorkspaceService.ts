import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  CreateWorkspaceRequest,
  CreateWorkspaceResponse,
  KAITO_API_GROUP,
  KaitoValidationError,
  TuningProgress,
  WORKSPACE_PLURAL,
  Workspace,
  WorkspaceDetail,
  WorkspaceSummary,
  buildWorkspaceManifest,
  getEntityKubernetesId,
  getEntityKubernetesNamespace,
  getEntityLabelSelector,
  shown,
  validateCreateWorkspaceRequest,
} from '@kaito-backstage/plugin-kaito-common';
import { ApiException, CustomObjectsApi } from '@kubernetes/client-node';
import { ClusterSet } from './ClusterSet';
import { invalidRequest } from './httpErrors';
import { NamespacePolicy } from './namespacePolicy';
import { JsonBytes } from './JsonBytes';
import { toClusterError } from './kubeHttp';
import {
  Requirement,
  matchesLabelSelector,
  parseLabelSelector,
} from './labelSelector';
import { mainContainer, readPodLog } from './podLogs';
import { RunHistoryService } from './RunHistoryService';
import { parseTrainerLog } from './trainerLogs';
import { ClusterWatchCache } from './WatchCache';
import {
  RawEvent,
  RawObject,
  RememberedSummary,
  WorkspaceSummaries,
  describeWorkspace,
  selectWorkspaceObjects,
  summarizeWorkspace,
} from './workspaceViews';

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
/** Trainer logs read for progress are capped at this size. */
const PROGRESS_LOG_LIMIT_BYTES = 4 * 1024 * 1024;

/** How an entity maps to workspaces, as the Kubernetes plugin maps it. */
export interface EntityWorkspaceSelector {
  selector: string;
  requirements: Requirement[];
  namespace?: string;
}

export function entityWorkspaceSelector(entity: Entity): EntityWorkspaceSelector {
  const selector = getEntityLabelSelector(entity);
  let requirements: Requirement[];
  try {
    requirements = parseLabelSelector(selector);
  } catch (error) {
    throw new InputError(
      `Entity ${stringifyEntityRef(entity)} has an invalid backstage.io/kubernetes-label-selector annotation: ${
        (error as Error).message
      }`,
    );
  }
  return {
    selector,
    requirements,
    namespace: getEntityKubernetesNamespace(entity),
  };
}

export function workspaceMatchesEntity(
  ws: Workspace,
  selector: EntityWorkspaceSelector,
): boolean {
  if (selector.namespace && ws.metadata.namespace !== selector.namespace) {
    return false;
  }
  return matchesLabelSelector(selector.requirements, ws.metadata.labels);
}

/**
 * The workspaces of a cluster that an entity maps to. A selector that is
 * just `<label>=<value>` on the label the cache indexes workspaces by (the
 * `backstage.io/kubernetes-id` mapping) reads the index; any other label
 * selector scans the cache.
 */
export function entityWorkspaces(
  cache: ClusterWatchCache,
  selector: EntityWorkspaceSelector,
): Workspace[] {
  const [only] = selector.requirements;
  const indexLabel = cache.indexLabel('workspaces');
  if (
    selector.requirements.length === 1 &&
    only.op === 'eq' &&
    indexLabel !== undefined &&
    only.key === indexLabel
  ) {
    return cache.listByLabel<any>('workspaces', only.value, selector.namespace);
  }
  return cache
    .list<any>('workspaces', selector.namespace)
    .filter((ws: Workspace) => workspaceMatchesEntity(ws, selector));
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
  private readonly progressCache = new Map<string, TuningProgress>();
  private readonly summaries = new WorkspaceSummaries();

  constructor(
    private readonly clusters: ClusterSet,
    private readonly runs: RunHistoryService,
    private readonly logger: LoggerService,
    private readonly nodeProvisioning: (
      cluster: string,
    ) => 'auto' | 'byo' | undefined = () => undefined,
    private readonly namespaces: NamespacePolicy = new NamespacePolicy(() => undefined),
  ) {}

  /**
   * The workspaces of an entity on every cluster, newest first: the JSON
   * of a `ListWorkspacesResponse`. Clusters that cannot be read are
   * reported in `errors`, not fatal.
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
          return { rows };
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
    rows.sort(newestFirst);
    const out = new JsonBytes().ascii('{"items":[');
    rows.forEach((row, i) => {
      if (i > 0) out.ascii(',');
      this.summaries.writeJson(row.summary, row.isReady, now, out);
    });
    return out.bytes(Buffer.from(`],"errors":${JSON.stringify(errors)}}`));
  }

  /** A workspace from the cache; 404 naming it when absent, 503 when its cluster is down. */
  async getWorkspace(
    cluster: string,
    namespace: string,
    name: string,
  ): Promise<{ cache: ClusterWatchCache; workspace: Workspace }> {
    const cache = await this.clusters.readyCache(cluster);
    const workspace = cache.get<any>('workspaces', name, namespace) as
      | Workspace
      | undefined;
    if (!workspace) {
      throw new NotFoundError(
        `Workspace ${namespace}/${name} not found on cluster "${cluster}"`,
      );
    }
    return { cache, workspace };
  }

  async getDetail(
    cluster: string,
    namespace: string,
    name: string,
  ): Promise<WorkspaceDetail> {
    const { cache, workspace } = await this.getWorkspace(cluster, namespace, name);
    const objects = selectWorkspaceObjects(workspace, {
      jobs: cache.list<RawObject>('jobs', namespace),
      pods: cache.list<RawObject>('pods', namespace),
      nodeClaims: cache.list<RawObject>('nodeclaims'),
      // Node events live in the default namespace; the selection below
      // keeps only events of this workspace's objects.
      events: cache.list<RawEvent>('events'),
      node: n => cache.get<RawObject>('nodes', n),
    });
    const detail = describeWorkspace(cluster, objects);
    if (detail.tuning) {
      const pod = [...objects.pods]
        .filter(p => p.status?.phase && p.status.phase !== 'Pending')
        .sort((a, b) =>
          (b.metadata.creationTimestamp ?? '').localeCompare(
            a.metadata.creationTimestamp ?? '',
          ),
        )[0];
      if (!pod) {
        detail.tuning.progressError = 'the tuning pod has not started yet';
      } else {
        try {
          detail.tuning.progress = await this.tuningProgress(
            cluster,
            pod,
            name,
          );
        } catch (error) {
          detail.tuning.progressError = `could not read the log of pod ${pod.metadata.name}: ${
            toClusterError(cluster, error).message
          }`;
        }
      }
    }
    return detail;
  }

  private async tuningProgress(
    cluster: string,
    pod: RawObject,
    workspaceName: string,
  ): Promise<TuningProgress> {
    const finished = ['Succeeded', 'Failed'].includes(pod.status?.phase);
    const key = `${cluster}/${pod.metadata.uid}`;
    const cached = this.progressCache.get(key);
    if (cached) {
      return cached;
    }
    const kc = this.clusters.cluster(cluster).kubeConfig!;
    const log = await readPodLog(kc, pod.metadata.namespace!, pod.metadata.name, {
      container: mainContainer(pod, workspaceName),
      limitBytes: PROGRESS_LOG_LIMIT_BYTES,
    });
    const progress = parseTrainerLog(log);
    if (finished) {
      if (this.progressCache.size > 500) {
        this.progressCache.delete(this.progressCache.keys().next().value!);
      }
      this.progressCache.set(key, progress);
    }
    return progress;
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
    // the new workspace shows up on the entity's page.
    for (const r of selector.requirements) {
      if (r.op === 'eq') {
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
    if (cache.get('workspaces', request.name, request.namespace)) {
      throw new ConflictError(
        `Workspace ${request.namespace}/${request.name} already exists on cluster "${request.cluster}"`,
      );
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
      throw createError(request, error);
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
      manifest: created,
      workspace: summarizeWorkspace(request.cluster, seen, n =>
        cache.get<RawObject>('nodes', n),
      ),
    };
  }

  /** Deletes a workspace (KAITO's finalizer then removes its resources). */
  async delete(
    cluster: string,
    namespace: string,
    name: string,
  ): Promise<WorkspaceSummary> {
    const { cache, workspace } = await this.getWorkspace(cluster, namespace, name);
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
