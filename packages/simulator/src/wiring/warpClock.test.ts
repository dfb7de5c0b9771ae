import { WarpClock } from './warpClock';

describe('WarpClock', () => {
  it('keeps nominal time consistent across a change of scale', () => {
    const clock = new WarpClock(10);
    const start = Date.now() - 1000;
    expect(clock.nominalBetween(start, start + 500)).toBeCloseTo(5000, -1);
    (
      clock as unknown as { segments: { wallStart: number; scale: number }[] }
    ).segments.push({
      wallStart: start + 500,
      scale: 1000,
    });
    expect(clock.timeScale).toBe(1000);
    expect(clock.nominalBetween(start, start + 600)).toBeCloseTo(
      5000 + 100 * 1000,
      -1,
    );
    expect(clock.wallAfter(start, 5000 + 100 * 1000)).toBeCloseTo(
      start + 600,
      0,
    );
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
});
