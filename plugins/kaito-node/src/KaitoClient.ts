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
  CreateGpuPoolRequest,
  CreateWorkspaceRequest,
  CreateWorkspaceResponse,
  GpuPoolList,
  GpuPoolView,
  KaitoPreset,
  ListClustersResponse,
  ListPresetsResponse,
  ListRunsResponse,
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
  /** Creates a workspace (or, with `dryRun`, only builds its manifest). */
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
   * Creates the pool unless one with that name exists; an existing pool of
   * another VM size is a ConflictError.
   */
  ensureGpuPool(
    request: CreateGpuPoolRequest,
    options: KaitoRequestOptions,
  ): Promise<{ pool: GpuPoolView; created: boolean }>;
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

const STATUS_ERRORS: Record<number, new (message: string, cause?: Error) => Error> = {
  400: InputError,
  401: AuthenticationError,
  403: NotAllowedError,
  404: NotFoundError,
  409: ConflictError,
  501: NotImplementedError,
  503: ServiceUnavailableError,
};

/**
 * Turns a failed KAITO backend response into the `@backstage/errors` error
 * the backend threw (InputError, NotFoundError, ...), keeping its message.
 *
 * @public
 */
export async function kaitoResponseError(response: Response): Promise<Error> {
  const error = await ResponseError.fromResponse(response);
  const remote = error.body?.error;
  const ErrorClass =
    (remote?.name && ERRORS[remote.name]) || STATUS_ERRORS[response.status];
  if (!ErrorClass) {
    return error;
  }
  return new ErrorClass(remote?.message ?? error.message, error);
}

function path(...segments: string[]): string {
  return segments.map(s => encodeURIComponent(s)).join('/');
}

function workspacePath(ref: KaitoWorkspaceRef): string {
  const query = ref.entityRef
    ? `?entityRef=${encodeURIComponent(ref.entityRef)}`
    : '';
  return `/clusters/${path(ref.cluster)}/namespaces/${path(
    ref.namespace,
  )}/workspaces/${path(ref.name)}${query}`;
}

/**
 * The default {@link KaitoService}: HTTP to the KAITO backend, found
 * through discovery, with a plugin request token on behalf of the caller.
 *
 * @public
 */
export class KaitoClient implements KaitoService {
  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      fetch?: typeof fetch;
    },
  ) {}

  private async request<T>(
    method: string,
    pathAndQuery: string,
    options: KaitoRequestOptions & { headers?: Record<string, string> },
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.options.discovery.getBaseUrl('kaito');
    const { token } = await this.options.auth.getPluginRequestToken({
      onBehalfOf: options.credentials,
      targetPluginId: 'kaito',
    });
    const response = await (this.options.fetch ?? fetch)(
      `${baseUrl}${pathAndQuery}`,
      {
        method,
        headers: {
          Accept: 'application/json',
          Authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...options.headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: options.signal,
      },
    );
    if (!response.ok) {
      throw await kaitoResponseError(response);
    }
    if (response.status === 204) {
      return undefined as T;
    }
    return (await response.json()) as T;
  }

  private async orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async listClusters(options: KaitoRequestOptions): Promise<ClusterInfo[]> {
    const result = await this.request<ListClustersResponse>(
      'GET',
      '/clusters',
      options,
    );
    return result.items;
  }

  listWorkspaces(
    entityRef: string,
    options: KaitoRequestOptions,
  ): Promise<ListWorkspacesResponse> {
    return this.request(
      'GET',
      `/workspaces?entityRef=${encodeURIComponent(entityRef)}`,
      options,
    );
  }

  createWorkspace(
    request: CreateWorkspaceRequest,
    options: KaitoRequestOptions & { taskId?: string },
  ): Promise<CreateWorkspaceResponse> {
    return this.request(
      'POST',
      '/workspaces',
      {
        ...options,
        ...(options.taskId
          ? { headers: { 'X-Kaito-Template-Task-Id': options.taskId } }
          : {}),
      },
      request,
    );
  }

  getWorkspace(
    ref: KaitoWorkspaceRef,
    options: KaitoRequestOptions,
  ): Promise<WorkspaceDetail | undefined> {
    return this.orUndefined(this.request('GET', workspacePath(ref), options));
  }

  deleteWorkspace(
    ref: KaitoWorkspaceRef,
    options: KaitoRequestOptions,
  ): Promise<WorkspaceSummary | undefined> {
    return this.orUndefined(this.request('DELETE', workspacePath(ref), options));
  }

  listGpuPools(
    cluster: string,
    options: KaitoRequestOptions,
  ): Promise<GpuPoolList> {
    return this.request('GET', `/clusters/${path(cluster)}/gpu-pools`, options);
  }

  getGpuPool(
    cluster: string,
    name: string,
    options: KaitoRequestOptions,
  ): Promise<GpuPoolView | undefined> {
    return this.orUndefined(
      this.request('GET', `/clusters/${path(cluster)}/gpu-pools/${path(name)}`, options),
    );
  }

  async ensureGpuPool(
    request: CreateGpuPoolRequest,
    options: KaitoRequestOptions,
  ): Promise<{ pool: GpuPoolView; created: boolean }> {
    const existing = await this.getGpuPool(request.cluster, request.name, options);
    if (existing) {
      const wanted = request.vmSize.toLowerCase();
      if (
        existing.vmSize?.toLowerCase() !== wanted &&
        existing.sku?.toLowerCase() !== wanted
      ) {
        throw new ConflictError(
          `GPU pool "${request.name}" on cluster "${request.cluster}" exists with VM size ${existing.vmSize}, not ${request.vmSize}`,
        );
      }
      return { pool: existing, created: false };
    }
    try {
      const pool = await this.request<GpuPoolView>(
        'POST',
        `/clusters/${path(request.cluster)}/gpu-pools`,
        options,
        request,
      );
      return { pool, created: true };
    } catch (error) {
      // Created concurrently (e.g. a retried scaffolder step): use it.
      if (error instanceof ConflictError) {
        const pool = await this.getGpuPool(request.cluster, request.name, options);
        if (pool && pool.vmSize?.toLowerCase() === request.vmSize.toLowerCase()) {
          return { pool, created: false };
        }
      }
      throw error;
    }
  }

  updateGpuPool(
    cluster: string,
    name: string,
    request: UpdateGpuPoolRequest,
    options: KaitoRequestOptions,
  ): Promise<GpuPoolView> {
    return this.request(
      'PATCH',
      `/clusters/${path(cluster)}/gpu-pools/${path(name)}`,
      options,
      request,
    );
  }

  async deleteGpuPool(
    cluster: string,
    name: string,
    options: KaitoRequestOptions & { force?: boolean },
  ): Promise<void> {
    await this.request(
      'DELETE',
      `/clusters/${path(cluster)}/gpu-pools/${path(name)}${
        options.force ? '?force=true' : ''
      }`,
      options,
    );
  }

  async listPresets(options: KaitoRequestOptions): Promise<KaitoPreset[]> {
    const result = await this.request<ListPresetsResponse>(
      'GET',
      '/catalog/presets',
      options,
    );
    return result.items;
  }

  listSkus(
    query: SkuCatalogQuery,
    options: KaitoRequestOptions,
  ): Promise<SkuCatalog> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, value);
    }
    const qs = params.toString();
    return this.request('GET', `/catalog/skus${qs ? `?${qs}` : ''}`, options);
  }

  async listRuns(
    entityRef: string,
    options: KaitoRequestOptions,
  ): Promise<RunView[]> {
    const result = await this.request<ListRunsResponse>(
      'GET',
      `/runs?entityRef=${encodeURIComponent(entityRef)}`,
      options,
    );
    return result.items;
  }
}
