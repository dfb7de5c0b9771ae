import type { SimClock } from '../clock';

/**
 * A controller work queue in the style of client-go's: keys are coalesced,
 * a key is never reconciled twice at once (a change during a reconcile
 * queues one more pass), failures retry with exponential backoff and a
 * reconcile can ask to run again after a nominal delay.
 */
export type ReconcileResult = void | { requeueAfterMs: number };

export class WorkQueue {
  private readonly dirty = new Set<string>();
  private readonly running = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, () => void>();
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly name: string,
    private readonly clock: SimClock,
    private readonly reconcile: (key: string) => Promise<ReconcileResult>,
    private readonly onError: (key: string, error: unknown) => void = () => {},
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.dirty.add(key);
    if (!this.running.has(key)) {
      // Defer so that bursts of watch events coalesce into one pass.
      setImmediate(() => this.process(key));
    }
  }

  addAfter(key: string, nominalMs: number): void {
    if (this.stopped) return;
    this.delayed.get(key)?.();
    const cancel = this.clock.after(nominalMs, () => {
      this.delayed.delete(key);
      this.add(key);
    });
    this.delayed.set(key, cancel);
  }

  stop(): void {
    this.stopped = true;
    for (const cancel of this.delayed.values()) cancel();
    this.delayed.clear();
    this.dirty.clear();
  }

  /** Resolves when no key is queued or being reconciled (for tests). */
  whenIdle(): Promise<void> {
    if (this.dirty.size === 0 && this.running.size === 0)
      return Promise.resolve();
    return new Promise(resolve => this.idleWaiters.push(resolve));
  }

  private async process(key: string): Promise<void> {
    if (this.stopped || this.running.has(key) || !this.dirty.has(key)) return;
    this.dirty.delete(key);
    this.running.add(key);
    try {
      const result = await this.reconcile(key);
      this.failures.delete(key);
      if (result && result.requeueAfterMs >= 0)
        this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const attempts = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, attempts);
      this.onError(key, error);
      // client-go's default: 5ms doubling, capped; expressed in nominal time.
      this.addAfter(
        key,
        Math.min(5 * 2 ** attempts, 10_000) * this.clock.timeScale,
      );
    } finally {
      this.running.delete(key);
      if (this.dirty.has(key)) {
        setImmediate(() => this.process(key));
      } else if (this.dirty.size === 0 && this.running.size === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        waiters.forEach(resolve => resolve());
      }
    }
  }

  toString(): string {
    return `WorkQueue(${this.name})`;
  }
}
