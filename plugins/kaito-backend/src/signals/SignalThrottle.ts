/**
 * Coalesces notifications per key. The first one of a quiet key goes out
 * `gatherMs` later, with whatever followed it in the meantime: one cluster
 * change usually brings others within milliseconds (a node turns NotReady,
 * then KAITO writes the workspace's status; a relist is a burst), and one
 * signal for all of them spares the views a read of a half-changed state.
 * Whatever arrives in the `intervalMs` after a send goes out together at the
 * end of that window. A storm of watch events on one entity thus becomes at
 * most one signal per window, while a lone change waits only `gatherMs`.
 */
interface Window<T> {
  items: Set<T>;
  timer?: NodeJS.Timeout;
}

export class SignalThrottle<T> {
  private readonly pending = new Map<string, Window<T>>();
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (key: string, items: T[]) => void,
    private readonly gatherMs = 25,
  ) {}

  push(key: string, item: T): void {
    if (this.stopped) return;
    const state = this.pending.get(key);
    if (state) {
      // Gathering, or within a window: goes out with the next send.
      state.items.add(item);
      return;
    }
    const fresh: Window<T> = { items: new Set([item]) };
    this.pending.set(key, fresh);
    fresh.timer = setTimeout(() => this.flush(key, fresh), this.gatherMs);
    fresh.timer.unref?.();
  }

  /** Drops whatever is pending; later pushes are ignored. */
  stop(): void {
    this.stopped = true;
    for (const state of this.pending.values()) {
      clearTimeout(state.timer);
    }
    this.pending.clear();
  }

  private flush(key: string, state: Window<T>): void {
    const items = [...state.items];
    state.items.clear();
    this.send(key, items);
    // The window: later pushes collect in state.items until it ends.
    state.timer = setTimeout(() => {
      if (state.items.size > 0) {
        this.flush(key, state);
      } else {
        this.pending.delete(key);
      }
    }, this.intervalMs);
    state.timer.unref?.();
  }
}
