import type { SimClock } from '../clock';

/** The SimClock timers of running long-running operations, so that stopping ARM can cancel them all. */
export class OperationTimers {
  private readonly timers = new Set<() => void>();

  constructor(private readonly clock: SimClock) {}

  /** Runs `done` after `nominalMs`; returns what cancels it. */
  after(nominalMs: number, done: () => void): () => void {
    const timer: { cancel?: () => void } = {};
    const cancelTimer = this.clock.after(nominalMs, () => {
      if (timer.cancel) this.timers.delete(timer.cancel);
      done();
    });
    const cancel = () => {
      cancelTimer();
      this.timers.delete(cancel);
    };
    timer.cancel = cancel;
    this.timers.add(cancel);
    return cancel;
  }

  cancelAll(): void {
    for (const cancel of this.timers) cancel();
    this.timers.clear();
  }
}
