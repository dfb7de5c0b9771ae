/**
 * What the generic registry does to an object before it is stored
 * (`BeforeCreate`, `BeforeUpdate`): the checks of the request's metadata,
 * preconditions, server-set fields, the strategy's preparation, validation
 * and generation.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject, ResourceType } from './api';
import { StatusError, conflict, invalid } from './errors';
import {
  apiVersionOf,
  clone,
  deepEqual,
  formatTimestamp,
  parseApiVersion,
} from './objects';
import {
  hasStatusSubresource,
  requireStored,
  type RegisteredType,
} from './objectStorage';
import { validateWrite } from './writeDecoding';

const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Drops empty collections from metadata, as Go's `omitempty` does when the server re-encodes. */
export function normalizeMetadata(obj: KubeObject) {
  const meta = obj.metadata;
  for (const field of [
    'finalizers',
    'ownerReferences',
    'managedFields',
  ] as const) {
    if (Array.isArray(meta[field]) && meta[field]!.length === 0) {
      delete meta[field];
    }
  }
  for (const field of ['labels', 'annotations'] as const) {
    if (meta[field] && Object.keys(meta[field]!).length === 0) {
      delete meta[field];
    }
  }
}

function specPart(obj: KubeObject): Record<string, unknown> {
  const { metadata, status, apiVersion, kind, ...rest } = obj;
  return rest;
}

function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix +=
      GENERATE_NAME_ALPHABET[
        Math.floor(Math.random() * GENERATE_NAME_ALPHABET.length)
      ];
  }
  return `${prefix.slice(0, 58)}${suffix}`;
}

/** The version a write is in: the object's apiVersion when served, else the storage version. */
export function requestVersionOf(type: ResourceType, obj: KubeObject): string {
  const { version } = parseApiVersion(obj.apiVersion);
  return type.versions.includes(version) ? version : type.storageVersion;
}

/** A create's metadata as the request handler checks it: namespace, no resourceVersion, a name (generated if asked). */
export function checkCreateMetadata(
  type: ResourceType,
  meta: KubeObject['metadata'],
): void {
  if (!type.namespaced) {
    delete meta.namespace;
  } else if (!meta.namespace) {
    throw invalid(type.kind, type.group, meta.name ?? '', [
      {
        reason: 'FieldValueRequired',
        field: 'metadata.namespace',
        message: 'Required value',
      },
    ]);
  }
  if (meta.resourceVersion && /^[1-9]\d*$/.test(meta.resourceVersion)) {
    // etcd3 store: the real server answers this with a 500 and no reason.
    throw new StatusError(
      500,
      '',
      'resourceVersion should not be set on objects to be created',
    );
  }
  if (!meta.name && meta.generateName) {
    meta.name = generateName(meta.generateName);
  }
  if (!meta.name) {
    throw invalid(type.kind, type.group, '', [
      {
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ]);
  }
}

/** DeleteOptions/update preconditions: a uid or resourceVersion mismatch is a 409 Conflict. */
export function checkPreconditions(
  type: ResourceType,
  current: KubeObject,
  resourceVersion: string | undefined,
  uid: string | undefined,
) {
  if (uid && uid !== current.metadata.uid) {
    throw new StatusError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${
        type.group ? `${type.plural}.${type.group}` : type.plural
      } "${
        current.metadata.name
      }": Precondition failed: UID in precondition: ${uid}, UID in object meta: ${
        current.metadata.uid
      }`,
      {
        name: current.metadata.name,
        group: type.group || undefined,
        kind: type.plural,
      },
    );
  }
  if (resourceVersion && resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(type.group, type.plural, current.metadata.name);
  }
}

/** Puts back what only the server may set: identity, timestamps, generation and (with a status subresource) status. */
export function withServerFields(
  type: ResourceType,
  candidate: KubeObject,
  current: KubeObject,
): KubeObject {
  candidate.apiVersion = apiVersionOf(type.group, type.storageVersion);
  candidate.kind = type.kind;
  const meta = { ...(candidate.metadata ?? {}) } as KubeObject['metadata'];
  candidate.metadata = meta;
  const old = current.metadata;
  meta.name = old.name;
  if (type.namespaced) {
    meta.namespace = old.namespace;
  } else {
    delete meta.namespace;
  }
  meta.uid = old.uid;
  meta.creationTimestamp = old.creationTimestamp;
  for (const field of [
    'generation',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'managedFields',
  ] as const) {
    if (old[field] === undefined) {
      delete meta[field];
    } else {
      (meta as unknown as Record<string, unknown>)[field] = old[field];
    }
  }
  meta.resourceVersion = old.resourceVersion;
  if (hasStatusSubresource(type)) {
    if (current.status === undefined) {
      delete candidate.status;
    } else {
      candidate.status = clone(current.status);
    }
  }
  normalizeMetadata(candidate);
  return candidate;
}

/** What BeforeCreate does: server-set fields, strategy defaults, validation. Returns the object in storage version. */
export function prepareCreate(
  registered: RegisteredType,
  admitted: KubeObject,
  requestVersion: string,
  now: Date,
  options: { validate: boolean } = { validate: true },
): KubeObject {
  const { type, strategy } = registered;
  const obj = clone(admitted);
  obj.apiVersion = apiVersionOf(type.group, type.storageVersion);
  obj.kind = type.kind;
  const meta = obj.metadata;
  if (!type.namespaced) {
    delete meta.namespace;
  }
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.resourceVersion;
  meta.uid = randomUUID();
  meta.creationTimestamp = formatTimestamp(now);
  if (strategy.tracksGeneration === false) {
    delete meta.generation;
  } else {
    meta.generation = 1;
  }
  if (hasStatusSubresource(type) && !strategy.keepStatusOnCreate) {
    delete obj.status;
  }
  normalizeMetadata(obj);
  strategy.prepareForCreate?.(obj);
  if (options.validate) {
    validateWrite(registered, obj, undefined, requestVersion);
  }
  return obj;
}

export interface PreparedUpdate {
  next: KubeObject;
  /** The stored object `next` was prepared against. */
  current: KubeObject;
}

/** What BeforeUpdate does: server-owned fields kept, strategy, validation, generation. */
export function prepareUpdate(
  registered: RegisteredType,
  key: string,
  admitted: KubeObject,
  expectedResourceVersion: string | undefined,
  requestVersion: string,
): PreparedUpdate {
  const { type, strategy } = registered;
  const current = requireStored(registered, key, admitted.metadata.name);
  checkPreconditions(type, current, expectedResourceVersion, undefined);
  const next = withServerFields(type, clone(admitted), current);
  strategy.prepareForUpdate?.(next, current);
  validateWrite(registered, next, current, requestVersion);
  if (
    strategy.tracksGeneration !== false &&
    !deepEqual(specPart(next), specPart(current))
  ) {
    next.metadata.generation = (current.metadata.generation ?? 0) + 1;
  }
  return { next, current };
}
