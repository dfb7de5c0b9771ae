import { ResponseError } from '@backstage/errors';
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
import { KaitoApi, KaitoRequestOptions, WorkspaceLogStream } from './KaitoApi';
import { kaitoPath, kaitoRoutes } from './routes';
import { readServerSentEvents, readTextChunks } from './streams';

const PLUGIN_ID = 'kaito';

/** Header naming the scaffolder task a create request comes from. */
const TASK_ID_HEADER = 'X-Kaito-Template-Task-Id';

type Query = Record<string, string | number | boolean | undefined>;

interface Call {
  method?: string;
  query?: Query;
  body?: unknown;
  accept?: string;
  headers?: Record<string, string>;
}

function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const workspacePath = (ref: WorkspaceRef) =>
  kaitoPath(kaitoRoutes.workspace, {
    cluster: ref.cluster,
    namespace: ref.namespace,
    name: ref.name,
  });

const poolPath = (cluster: string, pool: string) =>
  kaitoPath(kaitoRoutes.gpuPool, { cluster, pool });

/**
 * The client of kaito-backend's REST API (`/api/kaito`), for the browser
 * and for backend plugins, as `@backstage/catalog-client` is: the frontend
 * gives it `discoveryApi` and `fetchApi` (which adds the user's token); the
 * node library gives it discovery and passes a token per call.
 *
 * @public
 */
export class KaitoApiClient implements KaitoApi {
  private readonly discoveryApi: {
    getBaseUrl(pluginId: string): Promise<string>;
  };
  private readonly fetchApi: { fetch: typeof fetch };

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (...args) => fetch(...args) };
  }

  private async request(
    path: string,
    call: Call,
    options: KaitoRequestOptions = {},
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl(PLUGIN_ID);
    const headers: Record<string, string> = {
      ...(call.accept ? { Accept: call.accept } : {}),
      ...(call.body !== undefined
        ? { 'Content-Type': 'application/json' }
        : {}),
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      ...call.headers,
    };
    const response = await this.fetchApi.fetch(
      `${baseUrl}${path}${queryString(call.query)}`,
      {
        method: call.method ?? 'GET',
        headers,
        ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
        signal: options.signal,
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  private async json<T>(
    path: string,
    call: Call,
    options?: KaitoRequestOptions,
  ): Promise<T> {
    const response = await this.request(
      path,
      { accept: 'application/json', ...call },
      options,
    );
    return (await response.json()) as T;
  }

  async listClusters(
    options?: KaitoRequestOptions,
  ): Promise<ListClustersResponse> {
    return this.json(kaitoRoutes.clusters, {}, options);
  }

  async listWorkspaces(
    entityRef: string,
    options?: KaitoRequestOptions,
  ): Promise<ListWorkspacesResponse> {
    return this.json(kaitoRoutes.workspaces, { query: { entityRef } }, options);
  }

  async getWorkspace(
    ref: WorkspaceRef & { entityRef?: string },
    options?: KaitoRequestOptions,
  ): Promise<WorkspaceDetail> {
    return this.json(
      workspacePath(ref),
      { query: { entityRef: ref.entityRef } },
      options,
    );
  }

  async createWorkspace(
    request: CreateWorkspaceRequest,
    options?: KaitoRequestOptions & { taskId?: string },
  ): Promise<CreateWorkspaceResponse> {
    return this.json(
      kaitoRoutes.workspaces,
      {
        method: 'POST',
        body: request,
        ...(options?.taskId
          ? { headers: { [TASK_ID_HEADER]: options.taskId } }
          : {}),
      },
      options,
    );
  }

  async deleteWorkspace(
    ref: WorkspaceRef & { entityRef?: string },
    options?: KaitoRequestOptions,
  ): Promise<WorkspaceSummary> {
    return this.json(
      workspacePath(ref),
      { method: 'DELETE', query: { entityRef: ref.entityRef } },
      options,
    );
  }

  private logs(
    ref: WorkspaceRef,
    query: WorkspaceLogsQuery,
    options?: KaitoRequestOptions,
  ): Promise<Response> {
    return this.request(
      kaitoPath(kaitoRoutes.workspaceLogs, {
        cluster: ref.cluster,
        namespace: ref.namespace,
        name: ref.name,
      }),
      { query: { ...query }, accept: 'text/plain' },
      options,
    );
  }

  async getWorkspaceLogs(
    ref: WorkspaceRef,
    query: Omit<WorkspaceLogsQuery, 'follow'> = {},
    options?: KaitoRequestOptions,
  ): Promise<string> {
    return (await this.logs(ref, query, options)).text();
  }

  async streamWorkspaceLogs(
    ref: WorkspaceRef,
    query: WorkspaceLogsQuery = {},
    options?: KaitoRequestOptions,
  ): Promise<WorkspaceLogStream> {
    const response = await this.logs(ref, query, options);
    const pod = response.headers.get('X-Kaito-Pod') ?? undefined;
    const container = response.headers.get('X-Kaito-Container') ?? undefined;
    const body = response.body;
    const signal = options?.signal;
    return {
      ...(pod ? { pod } : {}),
      ...(container ? { container } : {}),
      chunks: body
        ? readTextChunks(body, signal)
        : (async function* fromText() {
            yield await response.text();
          })(),
    };
  }

  private chat(
    ref: WorkspaceRef,
    request: ChatCompletionRequest,
    stream: boolean,
    options?: KaitoRequestOptions,
  ): Promise<Response> {
    return this.request(
      kaitoPath(kaitoRoutes.chatCompletions, {
        cluster: ref.cluster,
        namespace: ref.namespace,
        name: ref.name,
      }),
      {
        method: 'POST',
        body: { ...request, stream },
        accept: stream ? 'text/event-stream' : 'application/json',
      },
      options,
    );
  }

  async createChatCompletion(
    ref: WorkspaceRef,
    request: ChatCompletionRequest,
    options?: KaitoRequestOptions,
  ): Promise<ChatCompletionResponse> {
    const response = await this.chat(ref, request, false, options);
    return (await response.json()) as ChatCompletionResponse;
  }

  async *streamChatCompletion(
    ref: WorkspaceRef,
    request: ChatCompletionRequest,
    options?: KaitoRequestOptions,
  ): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const response = await this.chat(ref, request, true, options);
    const contentType = response.headers.get('Content-Type') ?? '';
    if (!contentType.includes('text/event-stream') || !response.body) {
      // The model server answered without streaming: one whole completion.
      const whole = (await response.json()) as ChatCompletionResponse;
      yield {
        id: whole.id,
        object: 'chat.completion.chunk',
        created: whole.created,
        model: whole.model,
        choices: whole.choices.map(c => ({
          index: c.index,
          delta: { role: c.message.role, content: c.message.content },
          finish_reason: c.finish_reason,
        })),
        ...(whole.usage ? { usage: whole.usage } : {}),
      };
      return;
    }
    for await (const event of readServerSentEvents(
      response.body,
      options?.signal,
    )) {
      if (event.data === '[DONE]') {
        return;
      }
      let chunk: ChatCompletionChunk & { error?: { message?: string } };
      try {
        chunk = JSON.parse(event.data);
      } catch {
        throw new Error(
          `The model server sent an unreadable event: ${event.data}`,
        );
      }
      if (chunk.error) {
        throw new Error(chunk.error.message ?? 'The model server failed');
      }
      yield chunk;
    }
  }

  async listGpuPools(
    cluster: string,
    options?: KaitoRequestOptions,
  ): Promise<GpuPoolList> {
    return this.json(kaitoPath(kaitoRoutes.gpuPools, { cluster }), {}, options);
  }

  async getGpuPool(
    cluster: string,
    pool: string,
    options?: KaitoRequestOptions,
  ): Promise<GpuPoolView> {
    return this.json(poolPath(cluster, pool), {}, options);
  }

  async createGpuPool(
    request: CreateGpuPoolRequest,
    options?: KaitoRequestOptions,
  ): Promise<GpuPoolView> {
    return this.json(
      kaitoPath(kaitoRoutes.gpuPools, { cluster: request.cluster }),
      { method: 'POST', body: request },
      options,
    );
  }

  async ensureGpuPool(
    request: EnsureGpuPoolRequest,
    options?: KaitoRequestOptions,
  ): Promise<EnsureGpuPoolResponse> {
    return this.json(
      kaitoPath(kaitoRoutes.gpuPoolEnsure, { cluster: request.cluster }),
      { method: 'POST', body: request },
      options,
    );
  }

  async updateGpuPool(
    cluster: string,
    pool: string,
    request: UpdateGpuPoolRequest,
    options?: KaitoRequestOptions,
  ): Promise<GpuPoolView> {
    return this.json(
      poolPath(cluster, pool),
      { method: 'PATCH', body: request },
      options,
    );
  }

  async deleteGpuPool(
    cluster: string,
    pool: string,
    options?: KaitoRequestOptions & { force?: boolean },
  ): Promise<DeleteGpuPoolResponse> {
    return this.json(
      poolPath(cluster, pool),
      {
        method: 'DELETE',
        query: { force: options?.force ? 'true' : undefined },
      },
      options,
    );
  }

  async listPresets(
    options?: KaitoRequestOptions,
  ): Promise<ListPresetsResponse> {
    return this.json(kaitoRoutes.presets, {}, options);
  }

  async listSkus(
    query: SkuCatalogQuery,
    options?: KaitoRequestOptions,
  ): Promise<SkuCatalog> {
    return this.json(kaitoRoutes.skus, { query: { ...query } }, options);
  }

  async listRuns(
    entityRef: string,
    options?: KaitoRequestOptions & { limit?: number },
  ): Promise<ListRunsResponse> {
    return this.json(
      kaitoRoutes.runs,
      { query: { entityRef, limit: options?.limit } },
      options,
    );
  }
}
