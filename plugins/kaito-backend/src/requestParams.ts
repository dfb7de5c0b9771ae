import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { Request } from 'express';

/** A single string query parameter; InputError naming it when repeated. */
export function queryParam(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new InputError(`${name}: must be given once, as a string [query.type]`);
  }
  return value;
}

/** A valid entity ref from a request field, normalized. */
export function entityRefParam(value: unknown, field = 'entityRef'): string {
  if (value === undefined || value === null || value === '') {
    throw new InputError(`${field}: an entity ref is required [entity-ref.required]`);
  }
  if (typeof value !== 'string') {
    throw new InputError(`${field}: must be a string [field.type]`);
  }
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch (error) {
    throw new InputError(
      `${field}: "${value}" is not an entity ref of the form kind:namespace/name [entity-ref.invalid]`,
    );
  }
}

/** The user or service a request acts for, as recorded on what it creates. */
export function principalRef(
  credentials: BackstageCredentials,
): string | undefined {
  const principal = credentials.principal as any;
  if (principal?.type === 'user') return principal.userEntityRef;
  if (principal?.type === 'service') return principal.subject;
  return undefined;
}

/**
 * The body of a GPU pool request, with the cluster from the path; a
 * different cluster in the body is an InputError.
 */
export function poolRequestBody<T extends { cluster?: string }>(
  req: Request,
): T & { cluster: string } {
  const { cluster } = req.params;
  const body = { ...(req.body ?? {}) } as T;
  if (body.cluster !== undefined && body.cluster !== cluster) {
    throw new InputError(
      `cluster: "${body.cluster}" differs from the cluster in the path, "${cluster}" [cluster.mismatch]`,
    );
  }
  return { ...body, cluster };
}
