import {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
  CreateWorkspaceResponse,
  DeleteGpuPoolResponse,
  EnsureGpuPoolResponse,
  GpuPoolList,
  GpuPoolView,
  ListClustersResponse,
  ListPresetsResponse,
  ListRunsResponse,
  ListWorkspacesResponse,
  SkuCatalog,
  SkuCatalogQuery,
  WorkspaceDetail,
  WorkspaceLogsQuery,
  WorkspaceRef,
  WorkspaceSummary,
} from '../api';
import {
  CreateGpuPoolRequest,
  CreateWorkspaceRequest,
  EnsureGpuPoolRequest,
  UpdateGpuPoolRequest,
} from '../validation/requests';

/**
 * Options of every call: a Backstage token to send (the browser's
 * `fetchApi` adds the user's own; backend callers pass one on behalf of
 * the user), and a signal that cancels the call.
 *
 * @public
 */
export interface KaitoRequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  signal?: AbortSignal;
}

/**
 * An open log stream of a workspace pod.
 *
 * @public
 */
export interface WorkspaceLogStream {
  /** The pod the log is read from (header `X-Kaito-Pod`). */
  pod?: string;
  /** Its container (header `X-Kaito-Container`). */
  container?: string;
  /** The log text as it arrives; ends when the server closes the stream. */
  chunks: AsyncIterable<string>;
}

/**
 * Client of the kaito-backend REST API (`/api/kaito`), for the browser and
 * for backend plugins alike (see `KaitoApiClient`). A failed call rejects
 * with the `ResponseError` of `@backstage/errors` (status code, and the
 * backend's error as its `cause`).
 *
 * @public
 */
export interface KaitoApi {
  /** `GET /clusters`. */
  listClusters(options?: KaitoRequestOptions): Promise<ListClustersResponse>;

  /** `GET /workspaces?entityRef=`: the entity's workspaces on every cluster. */
  listWorkspaces(
    entityRef: string,
    options?: KaitoRequestOptions,
  ): Promise<ListWorkspacesResponse>;

  /**
   * `GET /clusters/:cluster/namespaces/:ns/workspaces/:name`. `entityRef`
   * names the owning entity of a workspace the suite did not create (one
   * without the entity-ref annotation).
   */
  getWorkspace(
    ref: WorkspaceRef & { entityRef?: string },
    options?: KaitoRequestOptions,
  ): Promise<WorkspaceDetail>;

  /**
   * `POST /workspaces` (with `dryRun`, returns the manifest only). With a
   * `taskId` (header `X-Kaito-Template-Task-Id`), a workspace that task
   * already created is answered with `created: false` instead of a conflict.
   */
  createWorkspace(
    request: CreateWorkspaceRequest,
    options?: KaitoRequestOptions & { taskId?: string },
  ): Promise<CreateWorkspaceResponse>;

  /** `DELETE .../workspaces/:name` (`entityRef` as for `getWorkspace`). */
  deleteWorkspace(
    ref: WorkspaceRef & { entityRef?: string },
    options?: KaitoRequestOptions,
  ): Promise<WorkspaceSummary>;

  /** `GET .../workspaces/:name/logs` without follow: the log text. */
  getWorkspaceLogs(
    ref: WorkspaceRef,
    query?: Omit<WorkspaceLogsQuery, 'follow'>,
    options?: KaitoRequestOptions,
  ): Promise<string>;

  /**
   * `GET .../workspaces/:name/logs` as a stream (`follow: true` keeps it
   * open). Rejects with the server's error before any text arrives; abort
   * the signal to stop following.
   */
  streamWorkspaceLogs(
    ref: WorkspaceRef,
    query?: WorkspaceLogsQuery,
    options?: KaitoRequestOptions,
  ): Promise<WorkspaceLogStream>;

  /** `POST .../workspaces/:name/chat/completions` without streaming. */
  createChatCompletion(
    ref: WorkspaceRef,
    request: ChatCompletionRequest,
    options?: KaitoRequestOptions,
  ): Promise<ChatCompletionResponse>;

  /**
   * `POST .../workspaces/:name/chat/completions` with `stream: true`: the
   * server-sent chunks as they arrive, until `[DONE]`.
   */
  streamChatCompletion(
    ref: WorkspaceRef,
    request: ChatCompletionRequest,
    options?: KaitoRequestOptions,
  ): AsyncGenerator<ChatCompletionChunk, void, undefined>;

  /** `GET /clusters/:cluster/gpu-pools`. */
  listGpuPools(
    cluster: string,
    options?: KaitoRequestOptions,
  ): Promise<GpuPoolList>;

  /** `GET /clusters/:cluster/gpu-pools/:pool`. */
  getGpuPool(
    cluster: string,
    pool: string,
    options?: KaitoRequestOptions,
  ): Promise<GpuPoolView>;

  /** `POST /clusters/:cluster/gpu-pools`. */
  createGpuPool(
    request: CreateGpuPoolRequest,
    options?: KaitoRequestOptions,
  ): Promise<GpuPoolView>;

  /**
   * `POST /clusters/:cluster/gpu-pools/ensure`: an existing pool of the SKU
   * that has room, or a new one (quota checked first); idempotent.
   */
  ensureGpuPool(
    request: EnsureGpuPoolRequest,
    options?: KaitoRequestOptions,
  ): Promise<EnsureGpuPoolResponse>;

  /** `PATCH /clusters/:cluster/gpu-pools/:pool`. */
  updateGpuPool(
    cluster: string,
    pool: string,
    request: UpdateGpuPoolRequest,
    options?: KaitoRequestOptions,
  ): Promise<GpuPoolView>;

  /** `DELETE /clusters/:cluster/gpu-pools/:pool`. */
  deleteGpuPool(
    cluster: string,
    pool: string,
    options?: KaitoRequestOptions & { force?: boolean },
  ): Promise<DeleteGpuPoolResponse>;

  /** `GET /catalog/presets`. */
  listPresets(options?: KaitoRequestOptions): Promise<ListPresetsResponse>;

  /** `GET /catalog/skus?preset=&mode=&method=&cluster=`. */
  listSkus(
    query: SkuCatalogQuery,
    options?: KaitoRequestOptions,
  ): Promise<SkuCatalog>;

  /** `GET /runs?entityRef=`: the entity's run history, newest first. */
  listRuns(
    entityRef: string,
    options?: KaitoRequestOptions & { limit?: number },
  ): Promise<ListRunsResponse>;
}
