/** DELETE on one object (with DeleteOptions) and on a collection. */
import type { KubeObject } from './api';
import { StatusError, invalid } from './errors';
import { decodeBody, readBody, sendObject } from './httpIo';
import { apiVersionOf, asVersion } from './objects';
import {
  dryRunOf,
  flag,
  objectRef,
  respondObject,
  type Call,
} from './resourceCall';
import type { StoreDeleteOptions } from './store';
import type { PropagationPolicy } from './strategy';

async function deleteOptions(call: Call): Promise<StoreDeleteOptions> {
  const body = decodeBody(
    await readBody(call.req),
    call.req.headers['content-type'],
  ) as Record<string, any> | undefined;
  const query = call.query;
  let policy = (body?.propagationPolicy ??
    query.get('propagationPolicy') ??
    undefined) as PropagationPolicy | undefined;
  const orphan =
    body?.orphanDependents ??
    (query.has('orphanDependents')
      ? flag(query.get('orphanDependents'))
      : undefined);
  if (policy && !['Foreground', 'Background', 'Orphan'].includes(policy)) {
    throw invalid('DeleteOptions', 'meta.k8s.io', '', [
      {
        reason: 'FieldValueNotSupported',
        field: 'propagationPolicy',
        message: `Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
      },
    ]);
  }
  if (!policy && orphan !== undefined) {
    policy = orphan ? 'Orphan' : 'Background';
  }
  const dryRunValues = [
    ...query.getAll('dryRun'),
    ...((body?.dryRun as string[] | undefined) ?? []),
  ];
  return {
    propagationPolicy: policy,
    dryRun: dryRunOf(dryRunValues),
    preconditions: body?.preconditions,
  };
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
  const options = await deleteOptions(call);
  const { items, resourceVersion } = call.ctx.store.list({
    group: call.type.group,
    plural: call.type.plural,
    namespace: call.target.namespace,
    labelSelector: call.query.get('labelSelector') ?? undefined,
    fieldSelector: call.query.get('fieldSelector') ?? undefined,
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
