/** POST, PUT and PATCH on resources and their status subresource. */
import type { KubeObject } from './api';
import {
  StatusError,
  badRequest,
  invalid,
  notFound,
  unsupportedMediaType,
} from './errors';
import { parseMediaTypes, parsePatchBody, readBody } from './httpIo';
import { asVersion, isBuiltinGroup } from './objects';
import {
  PATCH_CONTENT_TYPES,
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
} from './patch';
import { writeOptionsOf } from './queryOptions';
import {
  checkIdentity,
  fieldValidationOf,
  objectRef,
  readObject,
  respondObject,
  type Call,
} from './resourceCall';

const PATCH_RETRIES = 5;

export async function createObject(call: Call) {
  const { dryRun, fieldValidation: directive } = writeOptionsOf(
    call.query,
    'CreateOptions',
  );
  const { fieldValidation, sendWarnings } = fieldValidationOf(
    call,
    'write',
    directive,
  );
  const obj = await readObject(call);
  if (call.strategy.answerCreate) {
    const answer = await call.strategy.answerCreate(obj, {
      namespace: call.target.namespace,
      apiToken: call.ctx.apiToken,
    });
    respondObject(call, 201, answer);
    return;
  }
  const created = await call.ctx.store.create(obj, {
    requestVersion: call.version,
    dryRun,
    fieldValidation,
  });
  sendWarnings();
  respondObject(call, 201, created);
}

export async function updateObject(call: Call) {
  const { dryRun, fieldValidation: directive } = writeOptionsOf(
    call.query,
    'UpdateOptions',
  );
  const { fieldValidation, sendWarnings } = fieldValidationOf(
    call,
    'write',
    directive,
  );
  const obj = await readObject(call);
  if (!isBuiltinGroup(call.type.group) && !obj.metadata.resourceVersion) {
    // Custom resources do not allow unconditional updates (AllowUnconditionalUpdate() == false).
    throw invalid(call.type.kind, call.type.group, obj.metadata.name, [
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.resourceVersion',
        message: 'Invalid value: 0x0: must be specified for an update',
      },
    ]);
  }
  const options = { requestVersion: call.version, dryRun, fieldValidation };
  const updated =
    call.target.subresource === 'status'
      ? await call.ctx.store.updateStatus(obj, options)
      : await call.ctx.store.update(obj, options);
  sendWarnings();
  respondObject(call, 200, updated);
}

export async function patchObject(call: Call) {
  const contentType =
    parseMediaTypes(call.req.headers['content-type'])[0]?.type ?? '';
  const isCustom = !isBuiltinGroup(call.type.group);
  const accepted = [
    PATCH_CONTENT_TYPES.json,
    PATCH_CONTENT_TYPES.merge,
    PATCH_CONTENT_TYPES.apply,
    ...(isCustom ? [] : [PATCH_CONTENT_TYPES.strategic]),
  ];
  if (!accepted.includes(contentType as (typeof accepted)[number])) {
    throw unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(
        ', ',
      )}`,
    );
  }
  const rawBody = await readBody(call.req);
  const { dryRun, fieldValidation: directive } = writeOptionsOf(
    call.query,
    'PatchOptions',
    {
      apply: contentType === PATCH_CONTENT_TYPES.apply,
    },
  );
  const { fieldValidation, sendWarnings } = fieldValidationOf(
    call,
    'patch',
    directive,
  );
  const patchBody = parsePatchBody(
    rawBody,
    contentType === PATCH_CONTENT_TYPES.apply,
  );
  const ref = objectRef(call);
  const { store } = call.ctx;

  if (contentType === PATCH_CONTENT_TYPES.apply) {
    if (!store.get(ref)) {
      if (call.target.subresource === 'status') {
        throw notFound(call.type.group, call.type.plural, ref.name);
      }
      const obj = patchBody as KubeObject;
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
        throw badRequest('the apply patch must be an object');
      }
      obj.metadata = obj.metadata ?? ({} as KubeObject['metadata']);
      checkIdentity(call, obj);
      const created = await store.create(obj, {
        requestVersion: call.version,
        dryRun,
        fieldValidation,
      });
      sendWarnings();
      respondObject(call, 201, created);
      return;
    }
  }

  for (let attempt = 1; ; attempt++) {
    const existing = store.get(ref);
    if (!existing) {
      throw notFound(call.type.group, call.type.plural, ref.name);
    }
    const current = asVersion(existing, call.version);
    let patched: KubeObject;
    switch (contentType) {
      case PATCH_CONTENT_TYPES.json:
        patched = applyJsonPatch(current, patchBody) as KubeObject;
        break;
      case PATCH_CONTENT_TYPES.strategic:
        patched = applyStrategicMergePatch(current, patchBody) as KubeObject;
        break;
      default:
        patched = applyMergePatch(current, patchBody) as KubeObject;
    }
    if (!patched || typeof patched !== 'object' || !patched.metadata) {
      throw badRequest('the patch produced an invalid object');
    }
    patched.apiVersion = current.apiVersion;
    patched.kind = current.kind;
    checkIdentity(call, patched);
    const patchSetVersion =
      patched.metadata.resourceVersion !== existing.metadata.resourceVersion;
    try {
      const options = { requestVersion: call.version, dryRun, fieldValidation };
      const result =
        call.target.subresource === 'status'
          ? await store.updateStatus(patched, options)
          : await store.update(patched, options);
      sendWarnings();
      respondObject(call, 200, result);
      return;
    } catch (error) {
      // A patch without a resourceVersion is retried against the newer object, as upstream.
      const retriable =
        error instanceof StatusError &&
        error.code === 409 &&
        error.reason === 'Conflict' &&
        !patchSetVersion;
      if (!retriable || attempt >= PATCH_RETRIES) {
        throw error;
      }
    }
  }
}
