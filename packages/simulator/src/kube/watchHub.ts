/**
 * The store's change feed, as the API server's watch cache: a bounded history
 * of events for resuming watches by resourceVersion, and in-order delivery to
 * every watcher with its namespace and selectors applied.
 */
import type { KubeObject, WatchEvent } from './api';
import { StatusError } from './errors';
import type { FieldSelector } from './fieldSelector';
import type { LabelSelector } from './labelSelector';
import { clone } from './objects';

export interface StoredEvent {
  resourceVersion: number;
  /** `group/plural` of the object's type. */
  typeKey: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  /** The object before a MODIFIED or DELETED event. */
  previous?: KubeObject;
}

export interface WatchFilter {
  typeKey: string;
  namespace?: string;
  labels: LabelSelector;
  fields: FieldSelector;
}

interface Watcher extends WatchFilter {
  lastDelivered: number;
  onEvent: (event: WatchEvent) => void;
}

export class WatchHub {
  private readonly history: StoredEvent[] = [];
  private readonly pending: StoredEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private dispatching = false;
  /** The newest resourceVersion whose event has been dropped from history. */
  private compactedRevision = 0;

  constructor(private readonly historyLimit: number) {}

  publish(event: StoredEvent) {
    this.history.push(event);
    const excess = this.history.length - this.historyLimit;
    // Trim in batches so a full history does not shift the array on every write.
    if (excess >= Math.max(1, Math.ceil(this.historyLimit / 10))) {
      const dropped = this.history.splice(0, excess);
      this.compactedRevision = dropped[dropped.length - 1].resourceVersion;
    }
    this.pending.push(event);
    if (this.dispatching) {
      return;
    }
    // Events published from inside a watcher callback are queued, so every watcher sees events in order.
    this.dispatching = true;
    try {
      for (let next = this.pending.shift(); next; next = this.pending.shift()) {
        for (const watcher of [...this.watchers]) {
          if (this.watchers.has(watcher)) {
            this.deliver(watcher, next);
          }
        }
      }
    } finally {
      this.dispatching = false;
    }
  }

  /**
   * The retained events after `since` (exclusive), oldest first; undefined
   * when some of them have been compacted away.
   */
  eventsAfter(since: number): StoredEvent[] | undefined {
    if (since < this.compactedRevision) {
      return undefined;
    }
    return this.history.filter(event => event.resourceVersion > since);
  }

  /**
   * Starts a watch after `since` (exclusive): the retained events after it are
   * replayed first, then `initial` objects (if any) are sent as ADDED.
   * Throws 410 Expired when events after `since` are no longer retained.
   */
  subscribe(
    filter: WatchFilter,
    onEvent: (event: WatchEvent) => void,
    since: number,
    initial: KubeObject[] = [],
  ): () => void {
    if (since < this.compactedRevision) {
      throw new StatusError(
        410,
        'Expired',
        `too old resource version: ${since} (${this.compactedRevision + 1})`,
      );
    }
    const watcher: Watcher = { ...filter, lastDelivered: since, onEvent };
    for (const object of initial) {
      this.invoke(watcher, { type: 'ADDED', object });
    }
    for (const event of this.history) {
      if (event.resourceVersion > since) {
        this.deliver(watcher, event);
      }
    }
    this.watchers.add(watcher);
    return () => {
      this.watchers.delete(watcher);
    };
  }

  private deliver(watcher: Watcher, event: StoredEvent) {
    if (event.resourceVersion <= watcher.lastDelivered) {
      return;
    }
    watcher.lastDelivered = event.resourceVersion;
    if (event.typeKey !== watcher.typeKey) {
      return;
    }
    const passes = (obj: KubeObject | undefined) =>
      obj !== undefined &&
      (!watcher.namespace || obj.metadata.namespace === watcher.namespace) &&
      watcher.labels.matches(obj.metadata.labels) &&
      watcher.fields.matches(obj);
    if (event.type === 'DELETED') {
      if (passes(event.previous ?? event.object)) {
        this.invoke(watcher, { type: 'DELETED', object: clone(event.object) });
      }
      return;
    }
    // As the watch cache does: an object moving into the selection is ADDED,
    // one moving out of it is DELETED (its previous state, at the new resourceVersion).
    const now = passes(event.object);
    const before = event.type === 'MODIFIED' && passes(event.previous);
    if (now) {
      this.invoke(watcher, {
        type: before ? 'MODIFIED' : 'ADDED',
        object: clone(event.object),
      });
    } else if (before) {
      const previous = clone(event.previous!);
      previous.metadata.resourceVersion = String(event.resourceVersion);
      this.invoke(watcher, { type: 'DELETED', object: previous });
    }
  }

  private invoke(watcher: Watcher, event: WatchEvent) {
    try {
      watcher.onEvent(event);
    } catch (error) {
      process.emitWarning(
        `watch callback for ${watcher.typeKey} threw: ${
          error instanceof Error ? error.stack : String(error)
        }`,
      );
    }
  }
}
