/**
 * Simulated time. Durations in the simulator are written as they are on a real
 * AKS cluster (a GPU node takes minutes to join, a tuning run tens of minutes);
 * the clock divides them by `timeScale` so a whole lifecycle takes seconds in
 * tests and a minute or two in the demo. Timestamps are the wall clock's here;
 * the WarpClock the simulator runs on can put them in the past (the demo's
 * history). Every timestamp written into an object comes from `now()` or
 * `timeAt()`.
 */
export class SimClock {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(readonly timeScale: number = 1) {
    if (!(timeScale > 0)) {
      throw new Error(`timeScale must be a positive number, got ${timeScale}`);
    }
  }

  /** Real milliseconds that a nominal (real-cluster) duration takes here. */
  scaled(nominalMs: number): number {
    return Math.max(0, Math.round(nominalMs / this.timeScale));
  }

  /** The cluster's time of day, for timestamps. */
  now(): Date {
    return new Date(this.timeAt(Date.now()));
  }

  /** The cluster's time (epoch ms) at a wall-clock instant. */
  timeAt(wallMs: number): number {
    return wallMs;
  }

  /** The wall-clock instant at which the cluster's time was `time`. */
  wallAt(time: number): number {
    return time;
  }

  /** `now()` as Kubernetes writes timestamps: RFC 3339, whole seconds. */
  nowIso(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
  }

  /** Runs `fn` after a nominal duration. Timers are cancelled by `stop()`. */
  after(nominalMs: number, fn: () => void): () => void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, this.scaled(nominalMs));
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** Runs `fn` every nominal interval until the returned function is called. */
  every(nominalMs: number, fn: () => void): () => void {
    const timer = setInterval(fn, Math.max(1, this.scaled(nominalMs)));
    this.timers.add(timer);
    return () => {
      clearInterval(timer);
      this.timers.delete(timer);
    };
  }

  sleep(nominalMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let cancel = () => {};
      const onAbort = () => {
        cancel();
        reject(signal?.reason);
      };
      cancel = this.after(nominalMs, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  stop(): void {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }
}
