import { SimClock } from '../clock';

/**
 * A SimClock whose time scale can change while it runs, used to fast-forward
 * the demo seed (a tuning run that already succeeded) before settling on the
 * interactive scale. It keeps the history of scales, so anything that turns
 * wall time into nominal time (log lines, back-off) stays consistent across
 * a change: use `nominalBetween` and `wallAfter` rather than dividing by
 * `timeScale`.
 */
interface Segment {
  wallStart: number;
  scale: number;
}

export class WarpClock extends SimClock {
  private readonly segments: Segment[];

  constructor(timeScale: number) {
    super(timeScale);
    this.segments = [{ wallStart: Number.NEGATIVE_INFINITY, scale: timeScale }];
    // SimClock declares `timeScale` as a readonly field; expose the live scale instead.
    Object.defineProperty(this, 'timeScale', {
      get: () => this.segments[this.segments.length - 1].scale,
      configurable: true,
    });
  }

  /** Runs at `scale` from now on (timers already set keep their deadlines). */
  warp(scale: number): void {
    if (!(scale > 0))
      throw new Error(`timeScale must be a positive number, got ${scale}`);
    this.segments.push({ wallStart: Date.now(), scale });
  }

  override scaled(nominalMs: number): number {
    return Math.max(0, Math.round(nominalMs / this.timeScale));
  }

  /** Nominal milliseconds that passed between two wall-clock instants. */
  nominalBetween(wallFrom: number, wallTo: number): number {
    let total = 0;
    for (let i = 0; i < this.segments.length; i++) {
      const start = Math.max(wallFrom, this.segments[i].wallStart);
      const end = Math.min(
        wallTo,
        this.segments[i + 1]?.wallStart ?? Number.POSITIVE_INFINITY,
      );
      if (end > start) total += (end - start) * this.segments[i].scale;
    }
    return total;
  }

  /** The wall-clock instant `nominalMs` after `wallFrom`. */
  wallAfter(wallFrom: number, nominalMs: number): number {
    let remaining = nominalMs;
    let cursor = wallFrom;
    for (let i = 0; i < this.segments.length; i++) {
      const end = this.segments[i + 1]?.wallStart ?? Number.POSITIVE_INFINITY;
      if (end <= cursor) continue;
      const capacity = (end - cursor) * this.segments[i].scale;
      if (remaining <= capacity)
        return cursor + remaining / this.segments[i].scale;
      remaining -= capacity;
      cursor = end;
    }
    return cursor;
  }
}
