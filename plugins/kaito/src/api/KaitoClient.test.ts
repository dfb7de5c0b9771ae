import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { KaitoClient } from '.';

const server = setupServer();
registerMswTestHooks(server);

const base = 'http://example.com/api/kaito';
const ref = { cluster: 'dev', namespace: 'ml team', name: 'tune-1' };

function client() {
  return new KaitoClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi(),
  });
}

function sseStream(events: string[], delayMs = 0) {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const e of events) {
        controller.enqueue(encoder.encode(e));
        if (delayMs) await new Promise(r => setTimeout(r, delayMs));
      }
      controller.close();
    },
  });
}

describe('KaitoClient', () => {
  it('lists an entity’s workspaces with the entity ref in the query', async () => {
    let seen: string | null = null;
    server.use(
      http.get(`${base}/workspaces`, ({ request }) => {
        seen = new URL(request.url).searchParams.get('entityRef');
        return HttpResponse.json({ items: [], errors: [] });
      }),
    );
    await expect(
      client().listWorkspaces('component:default/bot'),
    ).resolves.toEqual({ items: [], errors: [] });
    expect(seen).toBe('component:default/bot');
  });

  it('encodes path segments of a workspace', async () => {
    server.use(
      http.get(
        `${base}/clusters/dev/namespaces/ml%20team/workspaces/tune-1`,
        () => HttpResponse.json({ name: 'tune-1' }),
      ),
    );
    await expect(client().getWorkspace(ref)).resolves.toEqual({
      name: 'tune-1',
    });
  });

  it('throws a ResponseError carrying the backend’s message', async () => {
    server.use(
      http.delete(
        `${base}/clusters/dev/namespaces/ml%20team/workspaces/tune-1`,
        () =>
          HttpResponse.json(
            {
              error: { name: 'NotAllowedError', message: 'Unauthorized' },
              request: { method: 'DELETE', url: '/x' },
              response: { statusCode: 403 },
            },
            { status: 403 },
          ),
      ),
    );
    const error = await client()
      .deleteWorkspace(ref)
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(403);
    expect(error.cause.message).toBe('Unauthorized');
  });

  it('sends SKU queries and pool updates', async () => {
    let query: URLSearchParams | undefined;
    let patch: unknown;
    server.use(
      http.get(`${base}/catalog/skus`, ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json({ items: [] });
      }),
      http.patch(`${base}/clusters/dev/gpu-pools/gpu1`, async ({ request }) => {
        patch = await request.json();
        return HttpResponse.json({ name: 'gpu1' });
      }),
    );
    await client().listSkus({
      preset: 'phi-4',
      mode: 'tuning',
      method: 'qlora',
    });
    expect(query?.get('preset')).toBe('phi-4');
    expect(query?.get('mode')).toBe('tuning');
    expect(query?.get('method')).toBe('qlora');
    expect(query?.has('cluster')).toBe(false);
    await client().updateGpuPool('dev', 'gpu1', { count: 2 });
    expect(patch).toEqual({ count: 2 });
  });

  it('streams chat completions chunk by chunk until [DONE]', async () => {
    let body: any;
    server.use(
      http.post(
        `${base}/clusters/dev/namespaces/ml%20team/workspaces/tune-1/chat/completions`,
        async ({ request }) => {
          body = await request.json();
          const chunk = (content: string) =>
            `data: ${JSON.stringify({
              id: '1',
              object: 'chat.completion.chunk',
              created: 1,
              model: 'm',
              choices: [{ index: 0, delta: { content }, finish_reason: null }],
            })}\n\n`;
          return new HttpResponse(
            sseStream([
              chunk('Hel'),
              chunk('lo'),
              ': keep-alive\n\n',
              'data: [DONE]\n\n',
            ]),
            { headers: { 'Content-Type': 'text/event-stream' } },
          );
        },
      ),
    );
    const parts: string[] = [];
    for await (const chunk of client().streamChatCompletion(ref, {
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.2,
      max_tokens: 64,
    })) {
      parts.push(chunk.choices[0].delta.content ?? '');
    }
    expect(parts).toEqual(['Hel', 'lo']);
    expect(body).toMatchObject({
      stream: true,
      temperature: 0.2,
      max_tokens: 64,
    });
  });

  it('handles events split across network chunks', async () => {
    server.use(
      http.post(
        `${base}/clusters/dev/namespaces/ml%20team/workspaces/tune-1/chat/completions`,
        () =>
          new HttpResponse(
            sseStream([
              'data: {"id":"1","object":"chat.completion.chunk","created":1,"model":"m","choi',
              'ces":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}\r\n\r\ndata: [DONE]\r\n\r\n',
            ]),
            { headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } },
          ),
      ),
    );
    const chunks = [];
    for await (const c of client().streamChatCompletion(ref, {
      messages: [{ role: 'user', content: 'hi' }],
    })) {
      chunks.push(c);
    }
    expect(chunks).toHaveLength(1);
    expect(chunks[0].choices[0].delta.content).toBe('ok');
  });

  it('streams logs with the pod and container from the headers', async () => {
    let follow: string | null = null;
    server.use(
      http.get(
        `${base}/clusters/dev/namespaces/ml%20team/workspaces/tune-1/logs`,
        ({ request }) => {
          follow = new URL(request.url).searchParams.get('follow');
          return new HttpResponse(sseStream(['line 1\n', 'line 2\n']), {
            headers: {
              'Content-Type': 'text/plain',
              'X-Kaito-Pod': 'tune-1-abcde',
              'X-Kaito-Container': 'tune-1',
            },
          });
        },
      ),
    );
    const stream = await client().streamWorkspaceLogs(ref, {
      follow: true,
      tailLines: 100,
    });
    expect(stream.pod).toBe('tune-1-abcde');
    expect(stream.container).toBe('tune-1');
    let text = '';
    for await (const chunk of stream.chunks) text += chunk;
    expect(text).toBe('line 1\nline 2\n');
    expect(follow).toBe('true');
  });
});
