import { SimClock } from './clock';

describe('SimClock', () => {
  it('divides nominal durations by the time scale', () => {
    const clock = new SimClock(600);
    expect(clock.scaled(10 * 60_000)).toBe(1000);
    expect(new SimClock(1).scaled(250)).toBe(250);
  });

  it('rejects a time scale that is not positive', () => {
    expect(() => new SimClock(0)).toThrow('timeScale must be a positive number');
  });

  it('sleeps for the scaled duration and can be aborted', async () => {
    const clock = new SimClock(1000);
    const started = Date.now();
    await clock.sleep(50_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);

    const controller = new AbortController();
    const sleeping = clock.sleep(3_600_000, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(sleeping).rejects.toThrow('cancelled');
    clock.stop();
  });
});
