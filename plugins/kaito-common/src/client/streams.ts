/**
 * Reads a byte stream as text chunks, as they arrive.
 *
 * @public
 */
export async function* readTextChunks(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<string, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const onAbort = () => {
    reader.cancel().catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort);
  try {
    for (;;) {
      if (signal?.aborted) {
        return;
      }
      const { done, value } = await reader.read();
      if (done) {
        const rest = decoder.decode();
        if (rest) {
          yield rest;
        }
        return;
      }
      const text = decoder.decode(value, { stream: true });
      if (text) {
        yield text;
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}

/**
 * One server-sent event.
 *
 * @public
 */
export interface ServerSentEvent {
  event?: string;
  id?: string;
  data: string;
}

function parseEvent(block: string): ServerSentEvent | undefined {
  const data: string[] = [];
  let event: string | undefined;
  let id: string | undefined;
  for (const line of block.split(/\r\n|\r|\n/)) {
    if (!line || line.startsWith(':')) {
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'data') {
      data.push(value);
    } else if (field === 'event') {
      event = value;
    } else if (field === 'id') {
      id = value;
    }
  }
  if (data.length === 0) {
    return undefined;
  }
  return {
    ...(event !== undefined ? { event } : {}),
    ...(id !== undefined ? { id } : {}),
    data: data.join('\n'),
  };
}

const EVENT_BOUNDARY = /\r\n\r\n|\n\n|\r\r/;

/**
 * Parses a `text/event-stream` body into events, as they arrive
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 *
 * @public
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<ServerSentEvent, void, undefined> {
  let buffer = '';
  for await (const text of readTextChunks(body, signal)) {
    buffer += text;
    for (;;) {
      const match = EVENT_BOUNDARY.exec(buffer);
      if (!match) {
        break;
      }
      const block = buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
      const event = parseEvent(block);
      if (event) {
        yield event;
      }
    }
  }
  const last = parseEvent(buffer);
  if (last) {
    yield last;
  }
}
