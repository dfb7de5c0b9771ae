/** Routes a request on a resource URL to the handler for its verb. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceType } from './api';
import { delegateSubresource } from './delegatedSubresources';
import { deleteCollection, deleteObject } from './deleteHandlers';
import { getObject, listObjects, watchObjects } from './readHandlers';
import {
  checkRequestTimeout,
  isPrettyPrint,
  listOptionsOf,
} from './queryOptions';
import type { ResourceTarget } from './requestInfo';
import {
  methodNotAllowedOnResource,
  resourceNotFound,
  type Call,
  type ResourceHandlerContext,
} from './resourceCall';
import { createObject, patchObject, updateObject } from './writeHandlers';

function requireVerb(type: ResourceType, verb: string) {
  if (type.verbs && !type.verbs.includes(verb)) {
    throw methodNotAllowedOnResource();
  }
}

export async function handleResourceRequest(
  ctx: ResourceHandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: ResourceTarget,
  query: URLSearchParams,
) {
  const { store } = ctx;
  const type = store.getType({ group: target.group, plural: target.plural });
  if (
    !type ||
    !type.versions.includes(target.version) ||
    (target.namespace && !type.namespaced)
  ) {
    throw resourceNotFound();
  }
  const call: Call = {
    ctx,
    req,
    res,
    target,
    query,
    type,
    strategy: store.getStrategy(type),
    version: target.version,
    pretty: isPrettyPrint(query, req.headers['user-agent']),
  };
  const method = req.method ?? 'GET';
  const { name, subresource } = target;

  if (subresource && subresource !== 'status') {
    // pods/log and services/proxy are long-running: no request deadline.
    return delegateSubresource(call, method);
  }
  if (
    subresource === 'status' &&
    !(type.subresources ?? []).includes('status')
  ) {
    throw resourceNotFound();
  }
  if (name && type.namespaced && !target.namespace) {
    throw resourceNotFound();
  }
  const collectionWithoutNamespace =
    !name && type.namespaced && !target.namespace;

  const listOptions = () =>
    listOptionsOf(query, {
      type,
      forceWatch: target.legacyWatch,
      name: target.legacyWatch ? name : undefined,
      watchList: ctx.watchList,
    });
  if (method === 'GET' && (!name || target.legacyWatch)) {
    const options = listOptions();
    if (options.watch) {
      requireVerb(type, 'watch');
      return watchObjects(call, options);
    }
    checkRequestTimeout(query);
    requireVerb(type, 'list');
    return listObjects(call, options);
  }
  checkRequestTimeout(query);

  switch (method) {
    case 'GET':
      // GetOptions has no `watch`: `?watch=true` on an object's URL reads the object.
      return getObject(call);
    case 'POST':
      if (name || collectionWithoutNamespace) {
        throw methodNotAllowedOnResource();
      }
      requireVerb(type, 'create');
      return createObject(call);
    case 'PUT':
      if (!name) {
        throw methodNotAllowedOnResource();
      }
      requireVerb(type, 'update');
      return updateObject(call);
    case 'PATCH':
      if (!name) {
        throw methodNotAllowedOnResource();
      }
      requireVerb(type, 'patch');
      return patchObject(call);
    case 'DELETE':
      if (subresource) {
        throw methodNotAllowedOnResource();
      }
      if (name) {
        requireVerb(type, 'delete');
        return deleteObject(call);
      }
      if (collectionWithoutNamespace) {
        throw methodNotAllowedOnResource();
      }
      requireVerb(type, 'deletecollection');
      return deleteCollection(call);
    default:
      throw methodNotAllowedOnResource();
  }
}
