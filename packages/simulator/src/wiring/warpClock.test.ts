import { WarpClock } from './warpClock';

const T0 = Date.parse('2026-12-01T12:00:00Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe('WarpClock', () => {
  afterEach(() => jest.useRealTimers());

  it('keeps nominal time consistent across a change of scale', () => {
    jest.useFakeTimers({ now: T0 });
    const clock = new WarpClock(10);
    jest.setSystemTime(T0 + 500);
    clock.warp(1000);
    jest.setSystemTime(T0 + 600);
    expect(clock.timeScale).toBe(1000);
    expect(clock.nominalBetween(T0, T0 + 600)).toBe(5000 + 100 * 1000);
    expect(clock.wallAfter(T0, 5000 + 100 * 1000)).toBe(T0 + 600);
    expect(clock.scaled(2000)).toBe(2);
    clock.stop();
  });

  it('runs timers at the current scale', async () => {
    const clock = new WarpClock(1);
    clock.warp(1000);
    const started = Date.now();
    await clock.sleep(50_000);
    expect(Date.now() - started).toBeLessThan(1000);
    clock.stop();
  });

  it('writes wall-clock timestamps when the cluster starts now', () => {
    jest.useFakeTimers({ now: T0 });
    const clock = new WarpClock(20);
    jest.setSystemTime(T0 + 10_000);
    expect(clock.now().getTime()).toBe(T0 + 10_000);
    expect(clock.nowIso()).toBe('2026-12-01T12:00:10Z');
  });

  it('lets a cluster that starts in the past run at the time scale until it catches up', () => {
    jest.useFakeTimers({ now: T0 });
    const clock = new WarpClock(20, T0 - DAY);
    expect(clock.lagMs()).toBe(DAY);
    clock.warp(3000);
    // A 50-minute tuning run takes one wall second, and its timestamps
    // are 50 minutes apart.
    const created = clock.now().getTime();
    jest.setSystemTime(T0 + 1000);
    expect(clock.now().getTime() - created).toBe(50 * MIN);
    expect(clock.wallAt(created + 50 * MIN)).toBe(T0 + 1000);
    // Quiet days are skipped, never past the wall clock.
    clock.jumpTo(T0 - 10 * MIN);
    expect(clock.now().getTime()).toBe(T0 - 10 * MIN);
    clock.jumpTo(T0 + DAY);
    expect(clock.now().getTime()).toBe(T0 + 1000);
    expect(clock.lagMs()).toBe(0);
    // Caught up: the wall clock's time from then on, whatever the scale.
    clock.warp(20);
    jest.setSystemTime(T0 + 61_000);
    expect(clock.now().getTime()).toBe(T0 + 61_000);
    expect(clock.wallAt(T0 + 61_000)).toBe(T0 + 61_000);
    // Earlier timestamps still map to the wall instants they were written at.
    expect(clock.timeAt(T0 + 1000)).toBe(T0 + 1000);
    expect(clock.timeAt(T0 + 500)).toBe(T0 - DAY + 500 * 3000);
  });
});
