import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
  CreateGpuPoolRequest,
  CreateWorkspaceRequest,
  CreateWorkspaceResponse,
  DeleteGpuPoolResponse,
  GpuPoolList,
  GpuPoolView,
  ListClustersResponse,
  ListPresetsResponse,
  ListRunsResponse,
  ListWorkspacesResponse,
  SkuCatalog,
  SkuCatalogQuery,
  UpdateGpuPoolRequest,
  WorkspaceDetail,
  WorkspaceLogsQuery,
  WorkspaceRef,
  WorkspaceSummary,
} from '@kaito-backstage/plugin-kaito-common';
import { KaitoApi, KaitoRequestOptions, WorkspaceLogStream } from './KaitoApi';
import { readServerSentEvents, readTextChunks } from './streams';

const PLUGIN_ID = 'kaito';

type Query = Record<string, string | number | boolean | undefined>;

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

function workspacePath(ref: WorkspaceRef): string {
  return `/clusters/${encodeURIComponent(
    ref.cluster,
  )}/namespaces/${encodeURIComponent(
    ref.namespace,
  )}/workspaces/${encodeURIComponent(ref.name)}`;
}

function poolPath(cluster: string, pool?: string): string {
  const base = `/clusters/${encodeURIComponent(cluster)}/gpu-pools`;
  return pool === undefined ? base : `${base}/${encodeURIComponent(pool)}`;
}

/**
 * {@link KaitoApi} over `fetchApi` (which adds the user's Backstage token)
 * and `discoveryApi` (which finds `/api/kaito`).
 *
 * @public
 */
export class KaitoClient implements KaitoApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  private async request(
    path: string,
    init: RequestInit & { query?: Query } = {},
  ): Promise<Response> {
    const { query, ...rest } = init;
    const baseUrl = await this.discoveryApi.getBaseUrl(PLUGIN_ID);
    const response = await this.fetchApi.fetch(
      `${baseUrl}${path}${queryString(query)}`,
      rest,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  private async json<T>(
    path: string,
    init: RequestInit & { query?: Query } = {},
  ): Promise<T> {
    const response = await this.request(path, init);
    return (await response.json()) as T;
  }

  private jsonBody(method: string, body: unknown, signal?: AbortSignal) {
    return {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    };
  }

  async listClusters(
    options?: KaitoRequestOptions,
  ): Promise<ListClustersResponse> {
    return this.json('/clusters', { signal: options?.signal });
  }

  async listWorkspaces(
    entityRef: string,
    options?: KaitoRequestOptions,
  ): Promise<ListWorkspacesResponse> {
    return this.json('/workspaces', {
      query: { entityRef },
      signal: options?.signal,
    });
  }

  async getWorkspace(
    ref: WorkspaceRef,
    options?: KaitoRequestOptions,
  ): Promise<WorkspaceDetail> {
    return this.json(workspacePath(ref), { signal: options?.signal });
  }

  async createWorkspace(
    request: CreateWorkspaceRequest,
    options?: KaitoRequestOptions,
  ): Promise<CreateWorkspaceResponse> {
    return this.json(
      '/workspaces',
      this.jsonBody('POST', request, options?.signal),
    );
  }

  async deleteWorkspace(
    ref: WorkspaceRef,
    options?: KaitoRequestOptions,
  ): Promise<WorkspaceSummary> {
    return this.json(workspacePath(ref), {
      method: 'DELETE',
      signal: options?.signal,
    });
  }

  async getWorkspaceLogs(
    ref: WorkspaceRef,
    query: Omit<WorkspaceLogsQuery, 'follow'> = {},
    options?: KaitoRequestOptions,
  ): Promise<string> {
    const response = await this.request(`${workspacePath(ref)}/logs`, {
      query: { ...query },
      headers: { Accept: 'text/plain' },
      signal: options?.signal,
    });
    return response.text();
  }

  async streamWorkspaceLogs(
    ref: WorkspaceRef,
    query: WorkspaceLogsQuery = {},
    options?: KaitoRequestOptions,
  ): Promise<WorkspaceLogStream> {
    const response = await this.request(`${workspacePath(ref)}/logs`, {
      query: { ...query },
      headers: { Accept: 'text/plain' },
      signal: options?.signal,
    });
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

  async createChatCompletion(
    ref: WorkspaceRef,
    request: ChatCompletionRequest,
    options?: KaitoRequestOptions,
  ): Promise<ChatCompletionResponse> {
    return this.json(
      `${workspacePath(ref)}/chat/completions`,
      this.jsonBody('POST', { ...request, stream: false }, options?.signal),
    );
  }

  async *streamChatCompletion(
    ref: WorkspaceRef,
    request: ChatCompletionRequest,
    options?: KaitoRequestOptions,
  ): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const signal = options?.signal;
    const response = await this.request(
      `${workspacePath(ref)}/chat/completions`,
      {
        ...this.jsonBody('POST', { ...request, stream: true }, signal),
        headers: {
          'Content-Type': 'application/json',
          Accept: 'text/event-stream',
        },
      },
    );
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
    for await (const event of readServerSentEvents(response.body, signal)) {
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
    return this.json(poolPath(cluster), { signal: options?.signal });
  }

  async getGpuPool(
    cluster: string,
    pool: string,
    options?: KaitoRequestOptions,
  ): Promise<GpuPoolView> {
    return this.json(poolPath(cluster, pool), { signal: options?.signal });
  }

  async createGpuPool(
    request: CreateGpuPoolRequest,
    options?: KaitoRequestOptions,
  ): Promise<GpuPoolView> {
    return this.json(
      poolPath(request.cluster),
      this.jsonBody('POST', request, options?.signal),
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
      this.jsonBody('PATCH', request, options?.signal),
    );
  }

  async deleteGpuPool(
    cluster: string,
    pool: string,
    options?: KaitoRequestOptions & { force?: boolean },
  ): Promise<DeleteGpuPoolResponse> {
    return this.json(poolPath(cluster, pool), {
      method: 'DELETE',
      query: { force: options?.force ? 'true' : undefined },
      signal: options?.signal,
    });
  }

  async listPresets(
    options?: KaitoRequestOptions,
  ): Promise<ListPresetsResponse> {
    return this.json('/catalog/presets', { signal: options?.signal });
  }

  async listSkus(
    query: SkuCatalogQuery,
    options?: KaitoRequestOptions,
  ): Promise<SkuCatalog> {
    return this.json('/catalog/skus', {
      query: { ...query },
      signal: options?.signal,
    });
  }

  async listRuns(
    entityRef: string,
    options?: KaitoRequestOptions & { limit?: number },
  ): Promise<ListRunsResponse> {
    return this.json('/runs', {
      query: { entityRef, limit: options?.limit },
      signal: options?.signal,
    });
  }
}
