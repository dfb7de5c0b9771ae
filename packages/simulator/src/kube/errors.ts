/**
 * Errors as the Kubernetes API server reports them: a `Status` object with the
 * HTTP code, a machine-readable reason and, for validation, the causes by field.
 */
export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'StatusError';
  }

  toStatus() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      // Go omits an empty reason (StatusReasonUnknown).
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

const resourceName = (group: string, plural: string) =>
  group ? `${plural}.${group}` : plural;

export const badRequest = (message: string) =>
  new StatusError(400, 'BadRequest', message);

export const unauthorized = () =>
  new StatusError(401, 'Unauthorized', 'Unauthorized');

export const forbidden = (message: string, details?: StatusDetails) =>
  new StatusError(403, 'Forbidden', message, details);

export const notFound = (group: string, plural: string, name: string) =>
  new StatusError(
    404,
    'NotFound',
    `${resourceName(group, plural)} "${name}" not found`,
    { name, group: group || undefined, kind: plural },
  );

export const alreadyExists = (group: string, plural: string, name: string) =>
  new StatusError(
    409,
    'AlreadyExists',
    `${resourceName(group, plural)} "${name}" already exists`,
    { name, group: group || undefined, kind: plural },
  );

export const conflict = (group: string, plural: string, name: string) =>
  new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${resourceName(group, plural)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: group || undefined, kind: plural },
  );

/** `utilerrors.Aggregate`'s message: one error as is, several (deduplicated) in brackets. */
function aggregateMessage(causes: StatusCause[]): string {
  const messages = [
    ...new Set(
      causes.map(c => (c.field ? `${c.field}: ${c.message}` : c.message)),
    ),
  ];
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

/**
 * 422 Invalid, worded like the API server (`errors.NewInvalid`):
 * `Workspace.kaito.sh "x" is invalid: resource.instanceType: Required value: ...`,
 * several causes as `... is invalid: [a, b]`.
 */
export const invalid = (
  kind: string,
  group: string,
  name: string,
  causes: StatusCause[],
) =>
  new StatusError(
    422,
    'Invalid',
    `${kind}${group ? `.${group}` : ''} "${name}" is invalid${
      causes.length ? `: ${aggregateMessage(causes)}` : ''
    }`,
    {
      ...(name ? { name } : {}),
      group: group || undefined,
      kind,
      causes: causes.map(c => ({ reason: c.reason ?? 'FieldValueInvalid', ...c })),
    },
  );

/** What a denying validating webhook looks like to a client (403 from the API server). */
export const admissionDenied = (webhook: string, message: string) =>
  new StatusError(
    403,
    'Forbidden',
    `admission webhook "${webhook}" denied the request: ${message}`,
  );

export const methodNotAllowed = (message: string) =>
  new StatusError(405, 'MethodNotAllowed', message);

export const unsupportedMediaType = (message: string) =>
  new StatusError(415, 'UnsupportedMediaType', message);

export const tooManyRequests = (retryAfterSeconds: number) =>
  new StatusError(429, 'TooManyRequests', 'Too many requests, please try again later.', {
    retryAfterSeconds,
  });
