import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  ClusterInfo,
  CreateWorkspaceRequest,
  CreateWorkspaceResponse,
  EnsureGpuPoolRequest,
  EnsureGpuPoolResponse,
  GpuPoolList,
  GpuPoolView,
  KaitoApiClient,
  KaitoPreset,
  ListWorkspacesResponse,
  RunView,
  SkuCatalog,
  SkuCatalogQuery,
  UpdateGpuPoolRequest,
  WorkspaceDetail,
  WorkspaceSummary,
} from '@kaito-backstage/plugin-kaito-common';
import { KaitoWorkspaceRef } from './types';

/**
 * Options of every call: whose behalf the KAITO backend acts on. Pass the
 * initiating user's credentials (e.g. `ctx.getInitiatorCredentials()` in a
 * scaffolder action) so their permissions apply.
 *
 * @public
 */
export interface KaitoRequestOptions {
  credentials: BackstageCredentials;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/**
 * A typed client of the KAITO backend for other backend plugins.
 *
 * @public
 */
export interface KaitoService {
  listClusters(options: KaitoRequestOptions): Promise<ClusterInfo[]>;
  listWorkspaces(
    entityRef: string,
    options: KaitoRequestOptions,
  ): Promise<ListWorkspacesResponse>;
  /**
   * Creates a workspace (or, with `dryRun`, only builds its manifest). With
   * `taskId`, the workspace that task already created is answered with
   * `created: false` (a retried step), not a ConflictError.
   */
  createWorkspace(
    request: CreateWorkspaceRequest,
    options: KaitoRequestOptions & { taskId?: string },
  ): Promise<CreateWorkspaceResponse>;
  /** The workspace, or undefined when it does not exist. */
  getWorkspace(
    ref: KaitoWorkspaceRef,
    options: KaitoRequestOptions,
  ): Promise<WorkspaceDetail | undefined>;
  /** Deletes a workspace; resolves with undefined when it did not exist. */
  deleteWorkspace(
    ref: KaitoWorkspaceRef,
    options: KaitoRequestOptions,
  ): Promise<WorkspaceSummary | undefined>;
  listGpuPools(
    cluster: string,
    options: KaitoRequestOptions,
  ): Promise<GpuPoolList>;
  /** The pool, or undefined when it does not exist. */
  getGpuPool(
    cluster: string,
    name: string,
    options: KaitoRequestOptions,
  ): Promise<GpuPoolView | undefined>;
  /**
   * Finds or creates a GPU pool for a SKU through the backend
   * (`POST /clusters/:cluster/gpu-pools/ensure`): the named pool, or without
   * a name a usable pool of the SKU, else a new one named after the SKU;
   * the quota is checked before anything is created. Idempotent; a pool of
   * that name with another VM size or Spot setting is a ConflictError.
   */
  ensureGpuPool(
    request: EnsureGpuPoolRequest,
    options: KaitoRequestOptions,
  ): Promise<EnsureGpuPoolResponse>;
  updateGpuPool(
    cluster: string,
    name: string,
    request: UpdateGpuPoolRequest,
    options: KaitoRequestOptions,
  ): Promise<GpuPoolView>;
  deleteGpuPool(
    cluster: string,
    name: string,
    options: KaitoRequestOptions & { force?: boolean },
  ): Promise<void>;
  listPresets(options: KaitoRequestOptions): Promise<KaitoPreset[]>;
  listSkus(
    query: SkuCatalogQuery,
    options: KaitoRequestOptions,
  ): Promise<SkuCatalog>;
  listRuns(entityRef: string, options: KaitoRequestOptions): Promise<RunView[]>;
}

const ERRORS: Record<string, new (message: string, cause?: Error) => Error> = {
  InputError,
  KaitoValidationError: InputError,
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
  ConflictError,
  NotImplementedError,
  ServiceUnavailableError,
};

const STATUS_ERRORS: Record<
  number,
  new (message: string, cause?: Error) => Error
> = {
  400: InputError,
  401: AuthenticationError,
  403: NotAllowedError,
  404: NotFoundError,
  409: ConflictError,
  501: NotImplementedError,
  503: ServiceUnavailableError,
};

/**
 * The `@backstage/errors` error the KAITO backend threw (InputError,
 * NotFoundError, ...) for a failed call's ResponseError, with the backend's
 * message: backend callers handle errors by their class.
 */
function typedError(error: ResponseError): Error {
  const remote = error.body?.error;
  const ErrorClass =
    (remote?.name && ERRORS[remote.name]) || STATUS_ERRORS[error.statusCode];
  if (!ErrorClass) {
    return error;
  }
  return new ErrorClass(remote?.message ?? error.message, error);
}

/**
 * Turns a failed KAITO backend response into the `@backstage/errors` error
 * the backend threw (InputError, NotFoundError, ...), keeping its message.
 *
 * @public
 */
export async function kaitoResponseError(response: Response): Promise<Error> {
  return typedError(await ResponseError.fromResponse(response));
}

/**
 * The default {@link KaitoService}: kaito-common's `KaitoApiClient` (the
 * one REST client of the suite), found through discovery, with a plugin
 * request token on behalf of the caller. What it adds for backend callers:
 * credentials instead of tokens, errors by class, `undefined` for what does
 * not exist, and lists as arrays.
 *
 * @public
 */
export class KaitoClient implements KaitoService {
  private readonly api: KaitoApiClient;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      fetch?: typeof fetch;
    },
  ) {
    const customFetch = options.fetch;
    this.api = new KaitoApiClient({
      discoveryApi: options.discovery,
      ...(customFetch ? { fetchApi: { fetch: customFetch } } : {}),
    });
  }

  /** Calls the backend as `options.credentials`, with errors by class. */
  private async call<T>(
    options: KaitoRequestOptions,
    fn: (call: { token: string; signal?: AbortSignal }) => Promise<T>,
  ): Promise<T> {
    const { token } = await this.options.auth.getPluginRequestToken({
      onBehalfOf: options.credentials,
      targetPluginId: 'kaito',
    });
    try {
      return await fn({ token, signal: options.signal });
    } catch (error) {
      throw ResponseError.is(error) ? typedError(error) : error;
    }
  }

  /** Like `call`, but undefined when the backend answers 404. */
  private async orUndefined<T>(
    options: KaitoRequestOptions,
    fn: (call: { token: string; signal?: AbortSignal }) => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await this.call(options, fn);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async listClusters(options: KaitoRequestOptions): Promise<ClusterInfo[]> {
    return (await this.call(options, o => this.api.listClusters(o))).items;
  }

  listWorkspaces(
    entityRef: string,
    options: KaitoRequestOptions,
  ): Promise<ListWorkspacesResponse> {
    return this.call(options, o => this.api.listWorkspaces(entityRef, o));
  }

  createWorkspace(
    request: CreateWorkspaceRequest,
    options: KaitoRequestOptions & { taskId?: string },
  ): Promise<CreateWorkspaceResponse> {
    return this.call(options, o =>
      this.api.createWorkspace(request, { ...o, taskId: options.taskId }),
    );
  }

  getWorkspace(
    ref: KaitoWorkspaceRef,
    options: KaitoRequestOptions,
  ): Promise<WorkspaceDetail | undefined> {
    return this.orUndefined(options, o => this.api.getWorkspace(ref, o));
  }

  deleteWorkspace(
    ref: KaitoWorkspaceRef,
    options: KaitoRequestOptions,
  ): Promise<WorkspaceSummary | undefined> {
    return this.orUndefined(options, o => this.api.deleteWorkspace(ref, o));
  }

  listGpuPools(
    cluster: string,
    options: KaitoRequestOptions,
  ): Promise<GpuPoolList> {
    return this.call(options, o => this.api.listGpuPools(cluster, o));
  }

  getGpuPool(
    cluster: string,
    name: string,
    options: KaitoRequestOptions,
  ): Promise<GpuPoolView | undefined> {
    return this.orUndefined(options, o =>
      this.api.getGpuPool(cluster, name, o),
    );
  }

  ensureGpuPool(
    request: EnsureGpuPoolRequest,
    options: KaitoRequestOptions,
  ): Promise<EnsureGpuPoolResponse> {
    return this.call(options, o => this.api.ensureGpuPool(request, o));
  }

  updateGpuPool(
    cluster: string,
    name: string,
    request: UpdateGpuPoolRequest,
    options: KaitoRequestOptions,
  ): Promise<GpuPoolView> {
    return this.call(options, o =>
      this.api.updateGpuPool(cluster, name, request, o),
    );
  }

  async deleteGpuPool(
    cluster: string,
    name: string,
    options: KaitoRequestOptions & { force?: boolean },
  ): Promise<void> {
    await this.call(options, o =>
      this.api.deleteGpuPool(cluster, name, { ...o, force: options.force }),
    );
  }

  async listPresets(options: KaitoRequestOptions): Promise<KaitoPreset[]> {
    return (await this.call(options, o => this.api.listPresets(o))).items;
  }

  listSkus(
    query: SkuCatalogQuery,
    options: KaitoRequestOptions,
  ): Promise<SkuCatalog> {
    return this.call(options, o => this.api.listSkus(query, o));
  }

  async listRuns(
    entityRef: string,
    options: KaitoRequestOptions,
  ): Promise<RunView[]> {
    return (await this.call(options, o => this.api.listRuns(entityRef, o)))
      .items;
  }
}
