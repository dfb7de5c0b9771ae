/** GET on resources: one object, a list (with limit/continue), or a watch. */
import type { KubeObject } from './api';
import { badRequest, notFound } from './errors';
import { sendObject } from './httpIo';
import { apiVersionOf, asVersion, isBuiltinGroup } from './objects';
import { getOptionsOf, type ListOptions } from './queryOptions';
import {
  formatOf,
  includeObjectOf,
  objectRef,
  respondObject,
  type Call,
} from './resourceCall';
import {
  continueExpired,
  parseResourceVersion,
  waitUntilFresh,
} from './resourceVersions';
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

/** etcd3's decodeContinue, with its errors. */
function decodeContinue(token: string): { rv: number; start: string } {
  const invalid = (detail: string) =>
    badRequest(`invalid continue token: continue key is not valid: ${detail}`);
  let parsed: any;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalid((error as Error).message);
  }
  if (parsed?.v !== 'meta.k8s.io/v1') {
    throw invalid('server does not recognize this encoded version');
  }
  if (!Number.isInteger(parsed.rv) || parsed.rv <= 0) {
    throw invalid(
      'incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
  if (typeof parsed.start !== 'string' || parsed.start === '') {
    throw invalid('encoded start key empty (version meta.k8s.io/v1)');
  }
  return { rv: parsed.rv, start: parsed.start };
}

/** NotOlderThan reads (get, list without Exact): the current state once the store is that fresh. */
async function notOlderThan(call: Call, resourceVersion: string) {
  const wanted = parseResourceVersion(resourceVersion);
  const { store } = call.ctx;
  await waitUntilFresh(() => Number(store.currentResourceVersion()), wanted);
}

export async function getObject(call: Call) {
  const { resourceVersion } = getOptionsOf(call.query);
  await notOlderThan(call, resourceVersion);
  const obj = call.ctx.store.get(objectRef(call));
  if (!obj) {
    throw notFound(call.type.group, call.type.plural, call.target.name!);
  }
  respondObject(call, 200, obj);
}

/** The items a list request sees: now, or (Exact, continue) at an earlier resourceVersion. */
async function readList(call: Call, options: ListOptions) {
  const { store } = call.ctx;
  const query = {
    group: call.type.group,
    plural: call.type.plural,
    namespace: call.target.namespace,
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
  };
  if (options.continue) {
    const { rv, start } = decodeContinue(options.continue);
    let snapshot;
    try {
      snapshot = store.listAt(query, rv);
    } catch (error) {
      if ((error as { code?: number }).code === 410) {
        throw continueExpired();
      }
      throw error;
    }
    return {
      ...snapshot,
      items: snapshot.items.filter(obj => listKey(obj) > start),
    };
  }
  if (options.resourceVersionMatch === 'Exact') {
    return store.listAt(query, parseResourceVersion(options.resourceVersion));
  }
  await notOlderThan(call, options.resourceVersion);
  return store.list(query);
}

export async function listObjects(call: Call, options: ListOptions) {
  const { type } = call;
  const format = formatOf(call);
  const { items, resourceVersion } = await readList(call, options);
  let page = items;
  const metadata: {
    resourceVersion: string;
    continue?: string;
    remainingItemCount?: number;
  } = {
    resourceVersion,
  };
  const { limit } = options;
  if (limit > 0 && page.length > limit) {
    const remaining = page.length - limit;
    page = page.slice(0, limit);
    metadata.continue = encodeContinue(
      resourceVersion,
      listKey(page[page.length - 1]),
    );
    if (!options.labelSelector && !options.fieldSelector) {
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

export function watchObjects(call: Call, options: ListOptions) {
  const format = formatOf(call);
  // A malformed resourceVersion fails before the stream starts (a 500 upstream).
  parseResourceVersion(options.resourceVersion);
  new WatchSession({
    req: call.req,
    res: call.res,
    store: call.ctx.store,
    type: call.type,
    strategy: call.strategy,
    version: call.version,
    namespace: call.target.namespace,
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
    resourceVersion: options.resourceVersion || undefined,
    sendInitialEvents: options.sendInitialEvents === true,
    allowWatchBookmarks: options.allowWatchBookmarks,
    timeoutSeconds: options.timeoutSeconds,
    format,
    includeObject: includeObjectOf(call),
    bookmarkIntervalMs: call.ctx.bookmarkIntervalMs,
    sessions: call.ctx.sessions,
  }).start();
}
