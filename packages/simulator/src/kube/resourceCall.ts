/**
 * What every REST handler shares: the resolved call (type, version, target),
 * reading request bodies, and answering with an object in the negotiated format.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  FieldValidation,
  KubeObject,
  ObjectRef,
  ResourceType,
} from './api';
import { StatusError, badRequest, methodNotAllowed } from './errors';
import { goQuote } from './fieldErrors';
import {
  decodeBody,
  negotiate,
  readBody,
  sendObject,
  type ResponseFormat,
} from './httpIo';
import { apiVersionOf, asVersion } from './objects';
import type { ResourceTarget } from './requestInfo';
import type { InMemoryObjectStore } from './store';
import type { ResourceStrategy } from './strategy';
import { partialObjectMetadata, toTable, type IncludeObject } from './table';
import type { WatchSessions } from './watchStream';

export interface ResourceHandlerContext {
  store: InMemoryObjectStore;
  sessions: WatchSessions;
  bookmarkIntervalMs: number;
  /** The WatchList feature gate (sendInitialEvents on watches). */
  watchList: boolean;
  /** The bearer token the server accepts (for TokenReview). */
  apiToken: string;
}

/** One request on a resource, resolved against the registered types. */
export interface Call {
  ctx: ResourceHandlerContext;
  req: IncomingMessage;
  res: ServerResponse;
  target: ResourceTarget;
  query: URLSearchParams;
  type: ResourceType;
  strategy: ResourceStrategy;
  version: string;
  pretty: boolean;
}

export const resourceNotFound = () =>
  new StatusError(
    404,
    'NotFound',
    'the server could not find the requested resource',
  );

export const methodNotAllowedOnResource = () =>
  methodNotAllowed(
    'the server does not allow this method on the requested resource',
  );

/**
 * What the write handlers do with the request's decoded `fieldValidation`
 * option (default `Warn`): warnings become `Warning: 299 - "..."` headers; a
 * Strict failure reads as the API server's, which words it differently for PATCH.
 */
export function fieldValidationOf(
  call: Call,
  verb: 'write' | 'patch',
  value: string,
) {
  const directive: FieldValidation['directive'] =
    value === 'Ignore' || value === 'Strict' ? value : 'Warn';
  const warnings: string[] = [];
  const { kind } = call.type;
  const fieldValidation: FieldValidation = {
    directive,
    warn: message => warnings.push(message),
    strictError: errors => {
      const detail = `strict decoding error: ${errors.join(', ')}`;
      return badRequest(
        verb === 'patch'
          ? detail
          : `${kind} in version "${call.version}" cannot be handled as a ${kind}: ${detail}`,
      );
    },
  };
  const sendWarnings = () => {
    if (warnings.length > 0) {
      call.res.setHeader(
        'Warning',
        [...new Set(warnings)].map(w => `299 - ${JSON.stringify(w)}`),
      );
    }
  };
  return { fieldValidation, sendWarnings };
}

export function objectRef(call: Call, name = call.target.name!): ObjectRef {
  return {
    group: call.type.group,
    plural: call.type.plural,
    namespace: call.type.namespaced ? call.target.namespace : undefined,
    name,
  };
}

export function formatOf(call: Call): ResponseFormat {
  return negotiate(call.req.headers.accept);
}

/** TableOptions.includeObject, validated only when a Table is served (ValidateTableOptions). */
export function includeObjectOf(call: Call): IncludeObject {
  const value = call.query.get('includeObject') ?? '';
  if (value === '') {
    return 'Metadata';
  }
  if (value !== 'None' && value !== 'Metadata' && value !== 'Object') {
    throw badRequest(
      `includeObject: Invalid value: ${goQuote(
        value,
      )}: must be 'Metadata', 'Object', 'None', or empty`,
    );
  }
  return value;
}

export function respondObject(call: Call, code: number, obj: KubeObject) {
  const format = formatOf(call);
  const versioned = asVersion(obj, call.version);
  let body: unknown = versioned;
  if (format.kind === 'table') {
    body = toTable([versioned], {
      type: call.type,
      version: call.version,
      strategy: call.strategy,
      tableVersion: format.version,
      includeObject: includeObjectOf(call),
      listMeta: { resourceVersion: versioned.metadata.resourceVersion },
    });
  } else if (format.kind === 'metadata') {
    body = partialObjectMetadata(versioned, format.version);
  }
  sendObject(call.res, code, body, { format, pretty: call.pretty });
}

export async function readObject(call: Call): Promise<KubeObject> {
  const body = decodeBody(
    await readBody(call.req),
    call.req.headers['content-type'],
  );
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(
      'the object provided is unrecognized (must be a JSON or YAML object)',
    );
  }
  const obj = body as KubeObject;
  const expected = apiVersionOf(call.type.group, call.version);
  if (obj.apiVersion && obj.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`,
    );
  }
  if (obj.kind && obj.kind !== call.type.kind) {
    throw badRequest(
      `the kind in the data (${obj.kind}) does not match the expected kind (${call.type.kind})`,
    );
  }
  obj.apiVersion = expected;
  obj.kind = call.type.kind;
  obj.metadata = obj.metadata ?? ({} as KubeObject['metadata']);
  checkIdentity(call, obj);
  return obj;
}

export function checkIdentity(call: Call, obj: KubeObject) {
  if (call.type.namespaced) {
    if (
      obj.metadata.namespace &&
      obj.metadata.namespace !== call.target.namespace
    ) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    obj.metadata.namespace = call.target.namespace;
  }
  if (call.target.name) {
    if (obj.metadata.name && obj.metadata.name !== call.target.name) {
      throw badRequest(
        `the name of the object (${obj.metadata.name}) does not match the name on the URL (${call.target.name})`,
      );
    }
    obj.metadata.name = call.target.name;
  }
}
