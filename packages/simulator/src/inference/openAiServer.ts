import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { replyFor, type ChatMessage } from './replies';
import { streamPieces } from './tokens';

/**
 * The OpenAI-compatible API of KAITO's vLLM runtime for one inference
 * workspace: `/health`, `/v1/models` (the served model plus each LoRA adapter
 * with the base as parent), `/v1/chat/completions` and `/v1/completions`,
 * with and without `stream`, and vLLM's error bodies.
 */
export interface ServedModel {
  /** vLLM's served model name, e.g. `phi-3-mini-128k-instruct`. */
  name: string;
  /** Hugging Face repo the weights come from. */
  root: string;
  adapters: string[];
  maxModelLen: number;
  createdSeconds: number;
}

export interface ServerOptions {
  /** Real milliseconds between streamed chunks. */
  chunkDelayMs: number;
  /** Called once per request with the access-log line vLLM's uvicorn would print. */
  accessLog?: (line: string) => void;
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function vllmError(
  res: ServerResponse,
  code: number,
  type: string,
  message: string,
): void {
  sendJson(res, code, { object: 'error', message, type, param: null, code });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  return body ? JSON.parse(body) : {};
}

function modelsList(model: ServedModel) {
  const entry = (id: string, root: string, parent: string | null) => ({
    id,
    object: 'model',
    created: model.createdSeconds,
    owned_by: 'vllm',
    root,
    parent,
    max_model_len: model.maxModelLen,
    permission: [
      {
        id: `modelperm-${createHash('md5').update(id).digest('hex')}`,
        object: 'model_permission',
        created: model.createdSeconds,
        allow_create_engine: false,
        allow_sampling: true,
        allow_logprobs: true,
        allow_search_indices: false,
        allow_view: true,
        allow_fine_tuning: false,
        organization: '*',
        group: null,
        is_blocking: false,
      },
    ],
  });
  return {
    object: 'list',
    data: [
      entry(model.name, model.root, null),
      ...model.adapters.map(a => entry(a, `/mnt/adapter/${a}`, model.name)),
    ],
  };
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export async function handleOpenAiRequest(
  model: ServedModel,
  options: ServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  const route = path.split('?')[0] || '/';
  const respond = (code: number) =>
    options.accessLog?.(
      `INFO:     10.244.0.1:${
        40000 + (code % 1000)
      } - "${method} ${route} HTTP/1.1" ${code} ${
        code === 200 ? 'OK' : 'Error'
      }`,
    );

  if (route === '/health' && method === 'GET') {
    res.writeHead(200);
    res.end();
    return;
  }
  if (route === '/v1/models' && method === 'GET') {
    respond(200);
    sendJson(res, 200, modelsList(model));
    return;
  }
  if (route === '/metrics' && method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(
      `# HELP vllm:num_requests_running Number of requests currently running.\n# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running{model_name="${model.name}"} 0.0\n`,
    );
    return;
  }
  const chat = route === '/v1/chat/completions';
  if (!(chat || route === '/v1/completions')) {
    sendJson(res, 404, { detail: 'Not Found' });
    return;
  }
  if (method !== 'POST') {
    sendJson(res, 405, { detail: 'Method Not Allowed' });
    return;
  }
  let body: {
    model?: string;
    messages?: ChatMessage[];
    prompt?: string;
    stream?: boolean;
    max_tokens?: number;
    max_completion_tokens?: number;
    stream_options?: { include_usage?: boolean };
  };
  try {
    body = (await readJson(req)) as typeof body;
  } catch (e) {
    respond(400);
    vllmError(
      res,
      400,
      'BadRequestError',
      `JSON decode error: ${(e as Error).message}`,
    );
    return;
  }
  const requested = body.model ?? model.name;
  if (requested !== model.name && !model.adapters.includes(requested)) {
    respond(404);
    vllmError(
      res,
      404,
      'NotFoundError',
      `The model \`${requested}\` does not exist.`,
    );
    return;
  }
  const messages = chat
    ? body.messages
    : [{ role: 'user', content: body.prompt ?? '' }];
  if (!Array.isArray(messages) || messages.length === 0) {
    respond(400);
    vllmError(
      res,
      400,
      'BadRequestError',
      "[{'type': 'missing', 'loc': ('body', 'messages'), 'msg': 'Field required'}]",
    );
    return;
  }
  const adapter = requested === model.name ? undefined : requested;
  const reply = replyFor(
    model.name,
    adapter,
    messages,
    body.max_completion_tokens ?? body.max_tokens,
  );
  const id = `${chat ? 'chatcmpl' : 'cmpl'}-${createHash('sha256')
    .update(JSON.stringify(body))
    .digest('hex')
    .slice(0, 32)}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = {
    prompt_tokens: reply.promptTokens,
    total_tokens: reply.promptTokens + reply.completionTokens,
    completion_tokens: reply.completionTokens,
    prompt_tokens_details: null,
  };
  respond(200);

  if (!body.stream) {
    const choice = chat
      ? {
          index: 0,
          message: {
            role: 'assistant',
            reasoning_content: null,
            content: reply.text,
            tool_calls: [],
          },
        }
      : { index: 0, text: reply.text };
    sendJson(res, 200, {
      id,
      object: chat ? 'chat.completion' : 'text_completion',
      created,
      model: requested,
      choices: [
        {
          ...choice,
          logprobs: null,
          finish_reason: reply.finishReason,
          stop_reason: null,
        },
      ],
      usage,
      prompt_logprobs: null,
      kv_transfer_params: null,
    });
    return;
  }

  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
  });
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    res.write(
      `data: ${JSON.stringify({
        id,
        object: chat ? 'chat.completion.chunk' : 'text_completion',
        created,
        model: requested,
        choices,
        ...extra,
      })}\n\n`,
    );
  const delta = (content: string, finish: string | null, first = false) =>
    chat
      ? {
          index: 0,
          delta: first ? { role: 'assistant', content } : { content },
          logprobs: null,
          finish_reason: finish,
        }
      : {
          index: 0,
          text: content,
          logprobs: null,
          finish_reason: finish,
          stop_reason: null,
        };
  if (chat) chunk([delta('', null, true)]);
  for (const piece of streamPieces(reply.text)) {
    await sleep(options.chunkDelayMs);
    if (res.destroyed) return;
    chunk([delta(piece, null)]);
  }
  chunk([delta('', reply.finishReason)]);
  if (body.stream_options?.include_usage) chunk([], { usage });
  res.write('data: [DONE]\n\n');
  res.end();
}
