/**
 * Simulated time. Durations in the simulator are written as they are on a real
 * AKS cluster (a GPU node takes minutes to join, a tuning run tens of minutes);
 * the clock divides them by `timeScale` so a whole lifecycle takes seconds in
 * tests and a minute or two in the demo. Timestamps stay wall-clock.
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

  now(): Date {
    return new Date();
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
