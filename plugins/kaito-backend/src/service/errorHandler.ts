import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, isError } from '@backstage/errors';
import { ErrorRequestHandler } from 'express';
import { randomBytes } from 'node:crypto';
import {
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  detailsOf,
} from './httpErrors';

/*
 * The error responses of kaito-backend. They keep Backstage's
 * ErrorResponseBody shape ({ error: { name, message }, request, response }),
 * which `ResponseError.fromResponse` and the kaito-node client read, but are
 * written from a short allow-list instead of every enumerable property of
 * the error (Backstage's handler serializes them all, so a body-parser error
 * would echo the raw body and an SDK error its request):
 *
 * - `error.name`, `error.message` (cut to MAX_MESSAGE_LENGTH, file paths
 *   removed), and the structured details of ./httpErrors (issues, state,
 *   waitingFor, retryAfterSeconds);
 * - `error.stack` only when NODE_ENV is `development` (Backstage's own rule
 *   in MiddlewareFactory.error) and only for 5xx answers, where it helps to
 *   find a bug; a 4xx is the caller's mistake and its message says it all;
 * - in any other mode the message of an unexpected 5xx is replaced by a log
 *   id, under which the backend log has the whole error.
 */

/** Longest error message sent. */
export const MAX_MESSAGE_LENGTH = 4096;
/** Longest request URL echoed. */
const MAX_URL_LENGTH = 256;

const STATUS_BY_NAME: Record<string, number> = {
  NotModifiedError: 304,
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

/** 5xx errors the suite throws on purpose; their messages are meant for users. */
const DELIBERATE_SERVER_ERRORS = new Set([
  'NotImplementedError',
  'ServiceUnavailableError',
]);

/** Absolute file paths and file URLs (of sources, certificates, configs, ...). */
const FILE_PATH =
  /(?:file:\/\/)?(?<![\w.:/-])(?:\/[\w.@+-]+){2,}\.(?:[cm]?[jt]sx?|json|ya?ml|pem|crt|key|node)(?::\d+){0,2}|file:\/\/\S+/g;

export function cut(text: string, max: number): string {
  return text.length <= max
    ? text
    : `${text.slice(0, max)}\u2026 (${text.length - max} more characters)`;
}

/** A message as it may be sent: file paths removed, at most MAX_MESSAGE_LENGTH long. */
export function safeMessage(message: string): string {
  return cut(
    message.slice(0, 4 * MAX_MESSAGE_LENGTH).replace(FILE_PATH, '<file>'),
    MAX_MESSAGE_LENGTH,
  );
}

function statusOf(error: any): number {
  for (const field of ['statusCode', 'status']) {
    const code = error?.[field];
    if (Number.isInteger(code) && code >= 400 && code <= 599) return code;
  }
  return STATUS_BY_NAME[error?.name] ?? 500;
}

/**
 * Errors of body-parser (express.json) as the suite's own: no echo of the
 * body, which body-parser keeps on the error and puts in the JSON.parse
 * message.
 */
function fromBodyParser(error: any): Error | undefined {
  switch (error?.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError(
        `body: ${
          error.length ?? 'more than the allowed'
        } bytes is too large; this route accepts at most ${
          error.limit
        } bytes of JSON [body.too-large]`,
      );
    case 'entity.parse.failed': {
      const position = /position (\d+)/.exec(String(error.message))?.[1];
      return new InputError(
        `body: is not valid JSON${
          position ? ` (at position ${position})` : ''
        } [body.json]`,
      );
    }
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError(
        'body: send JSON in UTF-8 (Content-Type: application/json) [body.media-type]',
      );
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
    case 'stream.not.readable':
      return new InputError(
        `body: could not be read (${error.type}) [body.unreadable]`,
      );
    default:
      return undefined;
  }
}

function isDevelopment(): boolean {
  return process.env.NODE_ENV === 'development';
}

function stackOf(error: Error, message: string): string | undefined {
  const frames = (error.stack ?? '')
    .split('\n')
    .filter(line => /^\s+at /.test(line));
  return frames.length
    ? [`${error.name}: ${message}`, ...frames].join('\n')
    : undefined;
}

/**
 * The error middleware of the KAITO router (mounted last on it).
 */
export function kaitoErrorHandler(options: {
  logger: LoggerService;
}): ErrorRequestHandler {
  const logger = options.logger.child({ type: 'errorHandler' });
  return (rawError, req, res, next) => {
    const original: Error = isError(rawError)
      ? rawError
      : new Error(`non-error thrown: ${typeof rawError}`);
    const error = fromBodyParser(original) ?? original;
    const statusCode = statusOf(error);
    const details = detailsOf(error) ?? {};
    let message = safeMessage(String(error.message ?? ''));
    let logId: string | undefined;

    if (statusCode >= 500) {
      logId = randomBytes(8).toString('hex');
      logger.error(
        `Request failed with status ${statusCode} (logId=${logId})`,
        original,
      );
      if (!isDevelopment() && !DELIBERATE_SERVER_ERRORS.has(error.name)) {
        message = `An internal error occurred; the backend log has it under logId=${logId}`;
      }
    }
    if (res.headersSent) {
      // A stream that already started (logs, chat) cannot turn into an error response.
      next(error);
      return;
    }
    if (details.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(details.retryAfterSeconds));
    }
    const stack =
      statusCode >= 500 && isDevelopment()
        ? stackOf(original, message)
        : undefined;
    res.status(statusCode).json({
      error: {
        name: error.name || 'Error',
        message,
        ...details,
        ...(logId ? { logId } : {}),
        ...(stack ? { stack } : {}),
      },
      request: {
        method: req.method,
        url: cut(req.originalUrl ?? req.url, MAX_URL_LENGTH),
      },
      response: { statusCode },
    });
  };
}
