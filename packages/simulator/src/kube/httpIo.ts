/** Request/response plumbing shared by the API server's handlers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { StatusError, badRequest, unsupportedMediaType } from './errors';
import { decodeProtobufObject } from './protobuf';

/** The API server's request body limit (3 MiB). */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

/** Splits an Accept or Content-Type header into media ranges, in the client's order. */
export function parseMediaTypes(header: string | undefined): MediaRange[] {
  if (!header) {
    return [];
  }
  return header
    .split(',')
    .map(part => {
      const [type, ...params] = part.split(';').map(s => s.trim());
      return {
        type: type.toLowerCase(),
        params: Object.fromEntries(
          params
            .filter(p => p.includes('='))
            .map(p => {
              const eq = p.indexOf('=');
              return [
                p.slice(0, eq).trim().toLowerCase(),
                p
                  .slice(eq + 1)
                  .trim()
                  .replace(/^"|"$/g, ''),
              ];
            }),
        ),
      };
    })
    .filter(m => m.type);
}

export type ResponseFormat =
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'metadata'; version: 'v1' | 'v1beta1' };

const notAcceptable = () =>
  new StatusError(
    406,
    'NotAcceptable',
    'only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io',
  );

/** Content negotiation for object responses; protobuf and CBOR are not served. */
export function negotiate(accept: string | undefined): ResponseFormat {
  const ranges = parseMediaTypes(accept);
  if (ranges.length === 0) {
    return { kind: 'json' };
  }
  for (const range of ranges) {
    const { as, g, v } = range.params;
    if (range.type === 'application/json' && as) {
      if (g !== 'meta.k8s.io' || (v !== 'v1' && v !== 'v1beta1')) {
        continue;
      }
      if (as === 'Table') {
        return { kind: 'table', version: v };
      }
      if (
        as === 'PartialObjectMetadata' ||
        as === 'PartialObjectMetadataList'
      ) {
        return { kind: 'metadata', version: v };
      }
      continue;
    }
    if (
      range.type === 'application/json' ||
      range.type === '*/*' ||
      range.type === 'application/*'
    ) {
      return { kind: 'json' };
    }
    if (range.type === 'application/yaml') {
      return { kind: 'yaml' };
    }
  }
  throw notAcceptable();
}

export function sendObject(
  res: ServerResponse,
  code: number,
  body: unknown,
  options: {
    format?: ResponseFormat;
    pretty?: boolean;
    contentType?: string;
  } = {},
) {
  const format = options.format ?? { kind: 'json' };
  let text: string;
  let contentType: string;
  if (format.kind === 'yaml') {
    text = stringifyYaml(body);
    contentType = 'application/yaml';
  } else {
    text = JSON.stringify(body, null, options.pretty ? 2 : undefined);
    contentType =
      options.contentType ??
      (format.kind === 'table'
        ? `application/json;as=Table;v=${format.version};g=meta.k8s.io`
        : 'application/json');
    text += '\n';
  }
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

export function toStatusError(error: unknown): StatusError {
  if (error instanceof StatusError) {
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new StatusError(
    500,
    'InternalError',
    `Internal error occurred: ${message}`,
    {
      causes: [{ message }],
    },
  );
}

export function sendStatusError(
  res: ServerResponse,
  error: unknown,
  pretty = false,
) {
  const status = toStatusError(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (status.code === 429 && status.details?.retryAfterSeconds) {
    res.setHeader('Retry-After', String(status.details.retryAfterSeconds));
  }
  sendObject(res, status.code, status.toStatus(), { pretty });
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(
          new StatusError(
            413,
            'RequestEntityTooLarge',
            'Request entity too large: limit is 3145728',
          ),
        );
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Decodes a JSON or YAML request body (create, update, DeleteOptions). */
export function decodeBody(
  body: Buffer,
  contentType: string | undefined,
): unknown {
  const type = parseMediaTypes(contentType)[0]?.type ?? 'application/json';
  const text = body.toString('utf8');
  if (text.trim() === '') {
    return undefined;
  }
  if (type === 'application/vnd.kubernetes.protobuf') {
    return decodeProtobufObject(body);
  }
  if (type === 'application/yaml') {
    try {
      return parseYaml(text);
    } catch (error) {
      throw badRequest(
        `error converting YAML to JSON: ${(error as Error).message}`,
      );
    }
  }
  if (type !== 'application/json' && type !== '*/*') {
    throw unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(
      `the object provided is unrecognized: ${(error as Error).message}`,
    );
  }
}

/** Parses a JSON body of a PATCH (any patch content type carries JSON, apply may carry YAML). */
export function parsePatchBody(body: Buffer, yaml: boolean): unknown {
  const text = body.toString('utf8');
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw badRequest(`error decoding patch: ${(error as Error).message}`);
  }
}
