import { Response } from 'express';
import { MemoryStore, Options } from 'express-rate-limit';
import { TooManyRequestsError } from './httpErrors';

/** Per-user chat limits (`kaito.limits.chat`). */
export interface ChatLimits {
  /** Chat requests one user may start per minute. */
  requestsPerMinute: number;
  /** Chat requests (streamed or not) one user may have in flight at once. */
  concurrentStreams: number;
}

const WINDOW_MS = 60_000;
/** What a refused concurrent request is told to wait: streams end within seconds to minutes. */
const CONCURRENCY_RETRY_SECONDS = 5;

/**
 * Per-user chat limits, so a chat box cannot be used to keep a team's GPUs
 * busy: a request rate (counted in express-rate-limit's MemoryStore, one
 * fixed window per user) and a number of requests in flight. A refused
 * request is a 429 with `Retry-After`.
 */
export class ChatLimiter {
  private readonly store = new MemoryStore();
  private readonly inFlight = new Map<string, number>();

  constructor(readonly limits: ChatLimits) {
    this.store.init({ windowMs: WINDOW_MS } as Options);
  }

  /**
   * Admits one chat request of `user` or throws TooManyRequestsError. The
   * request holds its concurrency slot until `res` closes.
   */
  async admit(user: string, res: Response): Promise<void> {
    const running = this.inFlight.get(user) ?? 0;
    if (running >= this.limits.concurrentStreams) {
      throw new TooManyRequestsError(
        `chat: ${user} already has ${running} chat request(s) in flight; at most ${this.limits.concurrentStreams} at a time per user (kaito.limits.chat.concurrentStreams) [chat.concurrency]`,
        CONCURRENCY_RETRY_SECONDS,
      );
    }
    const { totalHits, resetTime } = await this.store.increment(user);
    if (totalHits > this.limits.requestsPerMinute) {
      const seconds = resetTime
        ? (resetTime.getTime() - Date.now()) / 1000
        : 60;
      throw new TooManyRequestsError(
        `chat: ${user} sent ${this.limits.requestsPerMinute} chat requests in the last minute, the most one user may (kaito.limits.chat.requestsPerMinute) [chat.rate-limit]`,
        seconds,
      );
    }
    this.inFlight.set(user, running + 1);
    let released = false;
    res.once('close', () => {
      if (released) return;
      released = true;
      const now = (this.inFlight.get(user) ?? 1) - 1;
      if (now > 0) this.inFlight.set(user, now);
      else this.inFlight.delete(user);
    });
  }

  stop(): void {
    this.store.shutdown();
  }
}
