/** DELETE on one object (with DeleteOptions) and on a collection. */
import type { KubeObject } from './api';
import { StatusError } from './errors';
import { decodeBody, readBody, sendObject } from './httpIo';
import { apiVersionOf, asVersion } from './objects';
import { deleteOptionsOf, type ResolvedDeleteOptions } from './deleteOptions';
import { listOptionsOf } from './queryOptions';
import { objectRef, respondObject, type Call } from './resourceCall';

/** DeleteOptions from the body when there is one, else from the query string. */
async function deleteOptions(call: Call): Promise<ResolvedDeleteOptions> {
  const body = decodeBody(
    await readBody(call.req),
    call.req.headers['content-type'],
  );
  return deleteOptionsOf(call.query, body);
}

export async function deleteObject(call: Call) {
  const options = await deleteOptions(call);
  const ref = objectRef(call);
  const deleted = (await call.ctx.store.delete(ref, options))!;
  const stillThere = call.ctx.store.get(ref);
  if (
    options.dryRun ||
    (stillThere && stillThere.metadata.uid === deleted.metadata.uid) ||
    call.strategy.returnDeletedObject
  ) {
    respondObject(call, 200, deleted);
    return;
  }
  sendObject(
    call.res,
    200,
    {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name: deleted.metadata.name,
        ...(call.type.group ? { group: call.type.group } : {}),
        kind: call.type.plural,
        uid: deleted.metadata.uid,
      },
    },
    { pretty: call.pretty },
  );
}

export async function deleteCollection(call: Call) {
  const listOptions = listOptionsOf(call.query, {
    type: call.type,
    watchList: call.ctx.watchList,
  });
  const options = await deleteOptions(call);
  const { items, resourceVersion } = call.ctx.store.list({
    group: call.type.group,
    plural: call.type.plural,
    namespace: call.target.namespace,
    labelSelector: listOptions.labelSelector,
    fieldSelector: listOptions.fieldSelector,
  });
  const deleted: KubeObject[] = [];
  for (const item of items) {
    try {
      const result = await call.ctx.store.delete(
        objectRef(call, item.metadata.name),
        {
          ...options,
          preconditions: undefined,
        },
      );
      deleted.push(asVersion(result!, call.version));
    } catch (error) {
      if (!(error instanceof StatusError && error.code === 404)) {
        throw error;
      }
    }
  }
  sendObject(
    call.res,
    200,
    {
      kind: `${call.type.kind}List`,
      apiVersion: apiVersionOf(call.type.group, call.version),
      metadata: { resourceVersion },
      items: deleted,
    },
    { pretty: call.pretty },
  );
}
