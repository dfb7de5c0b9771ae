/** GET on resources: one object, a list (with limit/continue), or a watch. */
import type { KubeObject } from './api';
import { badRequest, invalid, notFound } from './errors';
import { parseFieldSelector } from './fieldSelector';
import { sendObject } from './httpIo';
import { parseLabelSelector } from './labelSelector';
import { apiVersionOf, asVersion, isBuiltinGroup } from './objects';
import {
  flag,
  formatOf,
  includeObjectOf,
  integerParam,
  objectRef,
  respondObject,
  type Call,
} from './resourceCall';
import { partialObjectMetadata, toTable } from './table';
import { WatchSession } from './watchStream';

/** The key a list is ordered by (etcd key order), used for continue tokens. */
const listKey = (obj: KubeObject) =>
  obj.metadata.namespace
    ? `${obj.metadata.namespace}/${obj.metadata.name}`
    : obj.metadata.name;

function encodeContinue(resourceVersion: string, start: string) {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(resourceVersion), start }),
  ).toString('base64url');
}

function decodeContinue(token: string): { start: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (parsed?.v === 'meta.k8s.io/v1' && typeof parsed.start === 'string') {
      return { start: parsed.start };
    }
  } catch {
    // fall through
  }
  throw badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

export function getObject(call: Call) {
  const obj = call.ctx.store.get(objectRef(call));
  if (!obj) {
    throw notFound(call.type.group, call.type.plural, call.target.name!);
  }
  respondObject(call, 200, obj);
}

export function listObjects(call: Call) {
  const { query, type } = call;
  const format = formatOf(call);
  const labelSelector = query.get('labelSelector') ?? undefined;
  const fieldSelector = query.get('fieldSelector') ?? undefined;
  const { items, resourceVersion } = call.ctx.store.list({
    group: type.group,
    plural: type.plural,
    namespace: call.target.namespace,
    labelSelector,
    fieldSelector,
  });
  const limit = integerParam(query, 'limit');
  const continueToken = query.get('continue');
  let page = items;
  if (continueToken) {
    const { start } = decodeContinue(continueToken);
    page = page.filter(obj => listKey(obj) > start);
  }
  const metadata: {
    resourceVersion: string;
    continue?: string;
    remainingItemCount?: number;
  } = {
    resourceVersion,
  };
  if (limit && limit > 0 && page.length > limit) {
    const remaining = page.length - limit;
    page = page.slice(0, limit);
    metadata.continue = encodeContinue(
      resourceVersion,
      listKey(page[page.length - 1]),
    );
    if (!labelSelector && !fieldSelector) {
      metadata.remainingItemCount = remaining;
    }
  }
  const versioned = page.map(obj => asVersion(obj, call.version));
  let body: unknown;
  if (format.kind === 'table') {
    body = toTable(versioned, {
      type,
      version: call.version,
      strategy: call.strategy,
      tableVersion: format.version,
      includeObject: includeObjectOf(call),
      listMeta: metadata,
    });
  } else if (format.kind === 'metadata') {
    body = {
      kind: 'PartialObjectMetadataList',
      apiVersion: `meta.k8s.io/${format.version}`,
      metadata,
      items: versioned.map(obj => partialObjectMetadata(obj, format.version)),
    };
  } else {
    // Built-in lists omit apiVersion/kind on items (internal encoding); CRD lists keep them.
    const stripTypeMeta = isBuiltinGroup(type.group);
    body = {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type.group, call.version),
      metadata,
      items: versioned.map(obj => {
        if (!stripTypeMeta) {
          return obj;
        }
        const { apiVersion, kind, ...rest } = obj;
        return rest;
      }),
    };
  }
  sendObject(call.res, 200, body, { format, pretty: call.pretty });
}

export function watchObjects(call: Call) {
  const { query } = call;
  // Selector errors are a 400 before the stream starts, as upstream.
  const labelSelector = query.get('labelSelector') ?? undefined;
  const name = call.target.name;
  const fieldSelector =
    [
      query.get('fieldSelector'),
      name ? `metadata.name=${name.replace(/[\\,=]/g, c => `\\${c}`)}` : '',
    ]
      .filter(Boolean)
      .join(',') || undefined;
  parseLabelSelector(labelSelector);
  parseFieldSelector(fieldSelector);
  const format = formatOf(call);
  const resourceVersion = query.get('resourceVersion') ?? undefined;
  const sendInitialEvents = flag(query.get('sendInitialEvents'));
  if (
    sendInitialEvents &&
    query.get('resourceVersionMatch') !== 'NotOlderThan'
  ) {
    throw invalid('ListOptions', 'meta.k8s.io', '', [
      {
        reason: 'FieldValueForbidden',
        field: 'resourceVersionMatch',
        message:
          'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      },
    ]);
  }
  new WatchSession({
    req: call.req,
    res: call.res,
    store: call.ctx.store,
    type: call.type,
    strategy: call.strategy,
    version: call.version,
    namespace: call.target.namespace,
    labelSelector,
    fieldSelector,
    resourceVersion,
    sendInitialEvents,
    allowWatchBookmarks: flag(query.get('allowWatchBookmarks')),
    timeoutSeconds: integerParam(query, 'timeoutSeconds'),
    format,
    includeObject: includeObjectOf(call),
    bookmarkIntervalMs: call.ctx.bookmarkIntervalMs,
    sessions: call.ctx.sessions,
  }).start();
}
