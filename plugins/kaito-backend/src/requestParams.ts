import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  KaitoQueryName,
  shown,
  validateQuery,
} from '@kaito-backstage/plugin-kaito-common';
import { Request } from 'express';
import { invalidRequest } from './service/httpErrors';

/** Refuses query parameters the route does not define (400 naming them). */
export function checkQuery(req: Request, route: KaitoQueryName): void {
  const issues = validateQuery(route, req.query);
  if (issues.length > 0) {
    throw invalidRequest('query', issues);
  }
}

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
    // Lowercased, as Backstage compares refs.
    return stringifyEntityRef(parseEntityRef(value));
  } catch (error) {
    throw new InputError(
      `${field}: ${shown(value)} is not an entity ref of the form kind:namespace/name [entity-ref.invalid]`,
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

/** Who a chat request counts against: the user, or the calling service. */
export function limitKey(credentials: BackstageCredentials): string {
  return principalRef(credentials) ?? 'anonymous';
}

/**
 * The body of a GPU pool request, with the cluster from the path; a
 * different cluster in the body is an InputError. A body that is not an
 * object is passed on as it is, for the request's validation to name.
 */
export function poolRequestBody<T extends { cluster?: string }>(
  req: Request,
): T & { cluster: string } {
  const { cluster } = req.params;
  const raw = req.body;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return raw;
  }
  const body = { ...raw } as T;
  if (body.cluster !== undefined && body.cluster !== cluster) {
    throw new InputError(
      `cluster: ${shown(body.cluster)} differs from the cluster in the path, "${cluster}" [cluster.mismatch]`,
    );
  }
  return { ...body, cluster };
}
