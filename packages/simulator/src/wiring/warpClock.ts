import { SimClock } from '../clock';

/**
 * A SimClock whose time scale can change while it runs, used to fast-forward
 * the demo seed (a quarter of past runs) before settling on the interactive
 * scale. It keeps the history of scales, so anything that turns wall time
 * into nominal time (log lines, back-off) stays consistent across a change:
 * use `nominalBetween` and `wallAfter` rather than dividing by `timeScale`.
 *
 * It also keeps the cluster's time of day: the instant written into
 * timestamps (`now()`, `timeAt`). That time may lag behind the wall clock
 * (the demo starts its history in the past, `jumpTo` moves it on); while it
 * lags it runs at the time scale, so what a fast-forwarded run does between
 * two timestamps takes the nominal time it would take on AKS; once it has
 * caught up it stays with the wall clock and never runs ahead of it (the
 * clients that read the timestamps compare them with their own clock).
 */
interface Segment {
  wallStart: number;
  scale: number;
  /** The cluster's time at `wallStart`. */
  timeStart: number;
}

export class WarpClock extends SimClock {
  private readonly segments: Segment[];

  /**
   * @param startTime - the cluster's time now (epoch ms); default: the wall
   *   clock. Earlier times make the cluster start in the past.
   */
  constructor(timeScale: number, startTime?: number) {
    super(timeScale);
    const wall = Date.now();
    this.segments = [
      { wallStart: Number.NEGATIVE_INFINITY, scale: timeScale, timeStart: 0 },
      {
        wallStart: wall,
        scale: timeScale,
        timeStart: Math.min(startTime ?? wall, wall),
      },
    ];
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
    const wall = Date.now();
    this.segments.push({
      wallStart: wall,
      scale,
      timeStart: this.timeAt(wall),
    });
  }

  /**
   * Sets the cluster's time (epoch ms, at most the wall clock's): the demo
   * seed skips the quiet days between past runs. Durations (timers, logs)
   * are not affected, so jump only while nothing is under way.
   */
  jumpTo(time: number): void {
    const wall = Date.now();
    this.segments.push({
      wallStart: wall,
      scale: this.timeScale,
      timeStart: Math.min(time, wall),
    });
  }

  /** How far the cluster's time is behind the wall clock, in ms. */
  lagMs(): number {
    const wall = Date.now();
    return wall - this.timeAt(wall);
  }

  override now(): Date {
    return new Date(this.timeAt(Date.now()));
  }

  /** The cluster's time (epoch ms) at a wall-clock instant. */
  override timeAt(wallMs: number): number {
    let i = this.segments.length - 1;
    while (i > 0 && this.segments[i].wallStart > wallMs) i--;
    const segment = this.segments[i];
    if (segment.wallStart === Number.NEGATIVE_INFINITY) return wallMs;
    const ran =
      segment.timeStart +
      (wallMs - segment.wallStart) * Math.max(1, segment.scale);
    return Math.min(wallMs, ran);
  }

  /**
   * The wall-clock instant at which the cluster's time was `time` (the
   * latest, when the time stood still across a jump).
   */
  override wallAt(time: number): number {
    let i = this.segments.length - 1;
    while (i > 1 && this.segments[i].timeStart > time) i--;
    const segment = this.segments[i];
    if (i === 0 || time < segment.timeStart) return time;
    const ran =
      segment.wallStart +
      (time - segment.timeStart) / Math.max(1, segment.scale);
    return Math.max(time, ran);
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
