import { CustomErrorBase, InputError } from '@backstage/errors';
import {
  KaitoValidationError,
  ValidationIssue,
} from '@kaito-backstage/plugin-kaito-common';

/*
 * The errors of kaito-backend that @backstage/errors has no class for, and
 * the structured details an error response may carry next to its message.
 * The error handler (./errorHandler) serializes exactly these and nothing
 * else of an error.
 */

const DETAILS = Symbol('kaito.errorDetails');

/** Structured, JSON-safe fields an error response carries besides name and message. */
export interface ErrorDetails {
  /** The problems of an invalid request (400). */
  issues?: ValidationIssue[];
  /** A workspace's phase, when it cannot do what was asked yet (409). */
  state?: string;
  /** What that workspace waits for (409). */
  waitingFor?: string;
  /** When to try again (429, also sent as `Retry-After`). */
  retryAfterSeconds?: number;
}

/** Attaches response details to an error. */
export function withDetails<E extends Error>(
  error: E,
  details: ErrorDetails,
): E {
  (error as any)[DETAILS] = details;
  return error;
}

export function detailsOf(error: unknown): ErrorDetails | undefined {
  return error && typeof error === 'object'
    ? (error as any)[DETAILS]
    : undefined;
}

/** A 400 listing a request's validation issues, in the message and as `issues`. */
export function invalidRequest(
  subject: string,
  issues: ValidationIssue[],
): InputError {
  return withDetails(
    new InputError(new KaitoValidationError(subject, issues).message),
    { issues },
  );
}

/** 413: a request body above the route's limit. */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

/** 415: a request body that is not JSON. */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  statusCode = 415;
}

/** 429: a per-user limit was reached; `Retry-After` says when to try again. */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  statusCode = 429;

  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    withDetails(this, {
      retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)),
    });
  }
}
