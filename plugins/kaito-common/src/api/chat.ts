/*
 * REST types of `POST /clusters/:cluster/namespaces/:ns/workspaces/:name/chat/completions`:
 * the OpenAI-compatible chat completion API of KAITO's model servers (vLLM,
 * and transformers from KAITO v0.9), proxied by kaito-backend. With
 * `stream: true` the answer is a `text/event-stream` of
 * {@link ChatCompletionChunk}s ending with `data: [DONE]`.
 */

/**
 * A chat message.
 *
 * @public
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * Body of a chat completion request.
 *
 * @public
 */
export interface ChatCompletionRequest {
  /** Served model name; the model server's only model when absent. */
  model?: string;
  messages: ChatMessage[];
  temperature?: number;
  max_tokens?: number;
  top_p?: number;
  stream?: boolean;
  stop?: string | string[];
}

/**
 * Token counts of a completion.
 *
 * @public
 */
export interface ChatCompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/**
 * A non-streamed chat completion.
 *
 * @public
 */
export interface ChatCompletionResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: ChatMessage;
    finish_reason: string | null;
  }>;
  usage?: ChatCompletionUsage;
}

/**
 * One server-sent event of a streamed chat completion.
 *
 * @public
 */
export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: { role?: ChatMessage['role']; content?: string | null };
    finish_reason: string | null;
  }>;
  usage?: ChatCompletionUsage | null;
}
