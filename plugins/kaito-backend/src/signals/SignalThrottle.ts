/**
 * Coalesces notifications per key: the first one goes out at once (after the
 * current turn of the event loop, so a burst of synchronous watch events, such
 * as a relist, is one notification), and whatever arrives in the next
 * `intervalMs` goes out together at the end of that window. A storm of watch
 * events on one entity thus becomes at most one signal per window, while a
 * lone change is not delayed.
 */
interface Window<T> {
  items: Set<T>;
  timer?: NodeJS.Timeout;
  immediate?: NodeJS.Immediate;
}

export class SignalThrottle<T> {
  private readonly pending = new Map<string, Window<T>>();
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (key: string, items: T[]) => void,
  ) {}

  push(key: string, item: T): void {
    if (this.stopped) return;
    const state = this.pending.get(key);
    if (state) {
      // Within a window (or before the first send): goes out with it.
      state.items.add(item);
      return;
    }
    const fresh: Window<T> = { items: new Set([item]) };
    this.pending.set(key, fresh);
    fresh.immediate = setImmediate(() => {
      fresh.immediate = undefined;
      this.flush(key, fresh);
    });
  }

  /** Drops whatever is pending; later pushes are ignored. */
  stop(): void {
    this.stopped = true;
    for (const state of this.pending.values()) {
      clearTimeout(state.timer);
      if (state.immediate) clearImmediate(state.immediate);
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
