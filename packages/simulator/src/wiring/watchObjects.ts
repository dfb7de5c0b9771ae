import type {
  KubeObject,
  ListQuery,
  ObjectStore,
  WatchEvent,
} from '../kube/api';

/**
 * List-then-watch on the in-process store: replays the current objects as
 * ADDED, then follows changes from the list's resourceVersion, so a
 * controller sees every object exactly as a client-go informer would.
 */
export function watchObjects(
  store: ObjectStore,
  query: ListQuery,
  onEvent: (event: WatchEvent) => void,
): () => void {
  const { items, resourceVersion } = store.list(query);
  for (const object of items) onEvent({ type: 'ADDED', object });
  return store.watch({ ...query, resourceVersion }, event => {
    if (event.type !== 'BOOKMARK') onEvent(event);
  });
}

export function refOf(obj: KubeObject) {
  return { namespace: obj.metadata.namespace, name: obj.metadata.name };
}
