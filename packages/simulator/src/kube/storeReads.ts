/**
 * The store's reads, as the registry and the watch cache serve them: GET,
 * LIST (now, or as of an earlier resourceVersion rebuilt from the change
 * history) and WATCH (from now, from "any" version, or resumed).
 */
import type { KubeObject, ListQuery, ObjectRef, WatchEvent } from './api';
import { parseFieldSelector } from './fieldSelector';
import { parseLabelSelector } from './labelSelector';
import { clone, typeKeyOf } from './objects';
import {
  listExpired,
  parseResourceVersion,
  tooLargeResourceVersion,
} from './resourceVersions';
import {
  refKey,
  type ObjectStorage,
  type RegisteredType,
} from './objectStorage';

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
}

/** Byte order, as etcd orders keys (localeCompare would not). */
function compareKeys(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

/** A type's objects by key: stored, or computed now for a type with a source. */
function objectsOf(registered: RegisteredType): Map<string, KubeObject> {
  const { source } = registered.strategy;
  if (!source) {
    return registered.objects;
  }
  return new Map(
    source().map(obj => [refKey(registered.type, obj.metadata), obj]),
  );
}

function select(
  registered: RegisteredType,
  objects: Map<string, KubeObject>,
  query: ListQuery,
): KubeObject[] {
  const { type } = registered;
  const labels = parseLabelSelector(query.labelSelector);
  const fields = parseFieldSelector(query.fieldSelector);
  const inScope = (obj: KubeObject) =>
    !type.namespaced ||
    !query.namespace ||
    obj.metadata.namespace === query.namespace;
  // Select first, then sort only what was selected: a selective list of
  // a type with many objects (events of a busy cluster) stays cheap.
  return [...objects.entries()]
    .filter(
      ([, obj]) =>
        inScope(obj) &&
        labels.matches(obj.metadata.labels) &&
        fields.matches(obj),
    )
    .sort(([a], [b]) => compareKeys(a, b))
    .map(([, obj]) => clone(obj));
}

export function getObject(
  storage: ObjectStorage,
  ref: ObjectRef,
): KubeObject | undefined {
  const registered = storage.requireType(ref);
  const stored = objectsOf(registered).get(refKey(registered.type, ref));
  return stored ? clone(stored) : undefined;
}

export function listObjects(
  storage: ObjectStorage,
  query: ListQuery,
): ListResult {
  const registered = storage.requireType(query);
  return {
    items: select(registered, objectsOf(registered), query),
    resourceVersion: String(storage.currentRevision()),
  };
}

/**
 * The list as it was at `resourceVersion` (what etcd serves for an exact
 * or continued list), rebuilt from the change history: 410 Expired once that
 * history is compacted, 504 for a version the store has not reached.
 */
export function listObjectsAt(
  storage: ObjectStorage,
  query: ListQuery,
  resourceVersion: number,
): ListResult {
  const registered = storage.requireType(query);
  const current = storage.currentRevision();
  if (resourceVersion > current) {
    throw tooLargeResourceVersion(resourceVersion, current);
  }
  if (registered.strategy.source) {
    return listObjects(storage, query);
  }
  const events = storage.hub.eventsAfter(resourceVersion);
  if (!events) {
    throw listExpired();
  }
  const typeKey = typeKeyOf(registered.type);
  const objects = new Map(registered.objects);
  for (const event of events.reverse()) {
    if (event.typeKey !== typeKey) {
      continue;
    }
    const key = refKey(registered.type, event.object.metadata);
    if (event.type === 'ADDED') {
      objects.delete(key);
    } else {
      objects.set(key, event.previous!);
    }
  }
  return {
    items: select(registered, objects, query),
    resourceVersion: String(resourceVersion),
  };
}

export function watchObjects(
  storage: ObjectStorage,
  query: ListQuery & { resourceVersion?: string },
  onEvent: (event: WatchEvent) => void,
): () => void {
  const { type } = storage.requireType(query);
  const namespace = type.namespaced ? query.namespace : undefined;
  const filter = {
    typeKey: typeKeyOf(type),
    namespace,
    labels: parseLabelSelector(query.labelSelector),
    fields: parseFieldSelector(query.fieldSelector),
  };
  const current = storage.currentRevision();
  const from = query.resourceVersion;
  if (!from) {
    return storage.hub.subscribe(filter, onEvent, current);
  }
  if (from === '0') {
    // "Any" resourceVersion: the current state as synthetic ADDED events, then changes.
    const { items } = listObjects(storage, { ...query, namespace });
    return storage.hub.subscribe(filter, onEvent, current, items);
  }
  const since = parseResourceVersion(from);
  if (since > current) {
    throw tooLargeResourceVersion(since, current);
  }
  return storage.hub.subscribe(filter, onEvent, since);
}
