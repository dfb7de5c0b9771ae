import { ResponseError } from '@backstage/errors';

/** The message to show for an error: the backend's own message when it sent one. */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.body?.error?.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The HTTP status of a failed backend call. */
export function errorStatus(error: unknown): number | undefined {
  return ResponseError.is(error) ? error.statusCode : undefined;
}
