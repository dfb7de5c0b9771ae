/**
 * Subresources that are not object storage (`pods/log`, `services/proxy`):
 * after the object is found, the request goes to the handler registered with
 * `setSubresourceHandler`, or is answered 404 when there is none.
 */
import { StatusError, notFound } from './errors';
import { asVersion } from './objects';
import {
  methodNotAllowedOnResource,
  objectRef,
  resourceNotFound,
  type Call,
} from './resourceCall';

export async function delegateSubresource(call: Call, method: string) {
  const { type, target } = call;
  const subresource = target.subresource!;
  if (!(type.subresources ?? []).includes(subresource) || !target.name) {
    throw resourceNotFound();
  }
  if (subresource === 'log' && method !== 'GET') {
    throw methodNotAllowedOnResource();
  }
  // services/<name>:<port>/proxy and services/<scheme>:<name>:<port>/proxy
  let name = target.name;
  let port: string | undefined;
  let scheme: string | undefined;
  if (subresource === 'proxy') {
    const parts = target.name.split(':');
    if (parts.length === 3) {
      [scheme, name, port] = parts;
    } else if (parts.length === 2) {
      [name, port] = parts;
    }
  }
  const obj = call.ctx.store.get(objectRef(call, name));
  if (!obj) {
    throw notFound(type.group, type.plural, name);
  }
  const handler = call.ctx.store.getSubresourceHandler(type, subresource);
  if (!handler) {
    throw new StatusError(
      404,
      'NotFound',
      `the server could not find the requested resource ( ${type.plural}/${subresource} ${name})`,
    );
  }
  await handler({
    object: asVersion(obj, call.version),
    path: target.subpath,
    query: call.query,
    req: call.req,
    res: call.res,
    ...(port !== undefined ? { port } : {}),
    ...(scheme !== undefined ? { scheme } : {}),
  });
}
