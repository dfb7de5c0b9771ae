/**
 * DeleteOptions as the API server decodes them from the query string or the
 * body (JSON, YAML or protobuf) and validates them
 * (`Convert_url_Values_To_v1_DeleteOptions`, `ValidateDeleteOptions`):
 * propagation policy, grace period, dry run and the preconditions.
 */
import { badRequest, invalid, type StatusCause } from './errors';
import { fieldInvalid, fieldNotSupported, goQuote } from './fieldErrors';
import {
  META_GROUP,
  boolParam,
  first,
  int64Param,
  validateDryRun,
} from './queryParameters';
import type { PropagationPolicy } from './strategy';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  orphanDependents?: boolean;
  propagationPolicy?: string;
  dryRun: string[];
}

/** `Convert_url_Values_To_v1_DeleteOptions`, including the `uid` and `resourceVersion` preconditions. */
function deleteOptionsFromQuery(query: URLSearchParams): DeleteOptions {
  const uid = first(query, 'uid') ?? '';
  const resourceVersion = first(query, 'resourceVersion') ?? '';
  const propagationPolicy = first(query, 'propagationPolicy');
  return {
    gracePeriodSeconds: int64Param(query, 'gracePeriodSeconds'),
    orphanDependents: boolParam(query, 'orphanDependents'),
    ...(propagationPolicy !== undefined ? { propagationPolicy } : {}),
    dryRun: query.getAll('dryRun'),
    ...(uid || resourceVersion
      ? {
          preconditions: {
            ...(uid ? { uid } : {}),
            ...(resourceVersion ? { resourceVersion } : {}),
          },
        }
      : {}),
  };
}

function jsonTypeOf(value: unknown): string {
  if (Array.isArray(value)) {
    return 'array';
  }
  return value === null ? 'null' : typeof value;
}

const typeError = (field: string, expected: string, got: unknown) =>
  badRequest(
    `json: cannot unmarshal ${jsonTypeOf(
      got,
    )} into Go struct field DeleteOptions.${field} of type ${expected}`,
  );

/** A DeleteOptions body (JSON, YAML or protobuf, already decoded). */
function deleteOptionsFromBody(body: unknown): DeleteOptions {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('decoded object cannot be converted to DeleteOptions');
  }
  const b = body as Record<string, unknown>;
  if (b.kind !== undefined && b.kind !== 'DeleteOptions') {
    throw badRequest('decoded object cannot be converted to DeleteOptions');
  }
  const options: DeleteOptions = { dryRun: [] };
  if (b.gracePeriodSeconds !== undefined && b.gracePeriodSeconds !== null) {
    if (!Number.isInteger(b.gracePeriodSeconds)) {
      throw typeError('gracePeriodSeconds', 'int64', b.gracePeriodSeconds);
    }
    options.gracePeriodSeconds = b.gracePeriodSeconds as number;
  }
  if (b.orphanDependents !== undefined && b.orphanDependents !== null) {
    if (typeof b.orphanDependents !== 'boolean') {
      throw typeError('orphanDependents', 'bool', b.orphanDependents);
    }
    options.orphanDependents = b.orphanDependents;
  }
  if (b.propagationPolicy !== undefined && b.propagationPolicy !== null) {
    if (typeof b.propagationPolicy !== 'string') {
      throw typeError(
        'propagationPolicy',
        'v1.DeletionPropagation',
        b.propagationPolicy,
      );
    }
    options.propagationPolicy = b.propagationPolicy;
  }
  if (b.dryRun !== undefined && b.dryRun !== null) {
    if (!Array.isArray(b.dryRun) || b.dryRun.some(v => typeof v !== 'string')) {
      throw typeError('dryRun', '[]string', b.dryRun);
    }
    options.dryRun = b.dryRun as string[];
  }
  if (b.preconditions !== undefined && b.preconditions !== null) {
    const p = b.preconditions as Record<string, unknown>;
    options.preconditions = {
      ...(typeof p.uid === 'string' ? { uid: p.uid } : {}),
      ...(typeof p.resourceVersion === 'string'
        ? { resourceVersion: p.resourceVersion }
        : {}),
    };
  }
  return options;
}

export interface ResolvedDeleteOptions {
  propagationPolicy?: PropagationPolicy;
  dryRun: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}

/**
 * DeleteOptions as the delete handlers read them: from the body when it has
 * one, otherwise from the query string (never both), then ValidateDeleteOptions.
 */
export function deleteOptionsOf(
  query: URLSearchParams,
  body: unknown | undefined,
): ResolvedDeleteOptions {
  const options =
    body === undefined
      ? deleteOptionsFromQuery(query)
      : deleteOptionsFromBody(body);
  const causes: StatusCause[] = [];
  const policy = options.propagationPolicy;
  if (options.orphanDependents !== undefined && policy !== undefined) {
    causes.push(
      fieldInvalid(
        'propagationPolicy',
        goQuote(policy),
        'orphanDependents and deletionPropagation cannot be both set',
      ),
    );
  }
  if (
    policy !== undefined &&
    policy !== 'Foreground' &&
    policy !== 'Background' &&
    policy !== 'Orphan'
  ) {
    causes.push(
      fieldNotSupported('propagationPolicy', goQuote(policy), [
        'Foreground',
        'Background',
        'Orphan',
        'nil',
      ]),
    );
  }
  causes.push(...validateDryRun(options.dryRun));
  if (causes.length > 0) {
    throw invalid('DeleteOptions', META_GROUP, '', causes);
  }
  let propagationPolicy = policy as PropagationPolicy | undefined;
  if (
    propagationPolicy === undefined &&
    options.orphanDependents !== undefined
  ) {
    propagationPolicy = options.orphanDependents ? 'Orphan' : 'Background';
  }
  return {
    propagationPolicy,
    dryRun: options.dryRun.length > 0,
    preconditions: options.preconditions,
    gracePeriodSeconds: options.gracePeriodSeconds,
  };
}
