import { mockServices } from '@backstage/backend-test-utils';
import {
  PROGRESS_LOG_INTERVAL_MS,
  ProgressLog,
  pollIntervals,
} from './waiting';

describe('ProgressLog', () => {
  afterEach(() => jest.restoreAllMocks());

  it('logs on every change and at least every 15 s otherwise', () => {
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const logger = mockServices.logger.mock();
    const progress = new ProgressLog(logger);
    const tick = (ms: number, key: string) => {
      now += ms;
      progress.update(key, () => `${key} at ${now}`);
    };
    tick(0, 'Provisioning');
    tick(5_000, 'Provisioning');
    tick(5_000, 'Provisioning');
    expect(logger.info).toHaveBeenCalledTimes(1);
    tick(4_999, 'Provisioning');
    expect(logger.info).toHaveBeenCalledTimes(1);
    tick(1, 'Provisioning'); // 15 s since the last line
    expect(logger.info).toHaveBeenCalledTimes(2);
    tick(1_000, 'Running');
    expect(logger.info).toHaveBeenCalledTimes(3);
    expect(PROGRESS_LOG_INTERVAL_MS).toBe(15_000);
  });

  it('polls quickly first, then at the configured interval (never above 15 s)', () => {
    const it10 = pollIntervals(10_000);
    const seen = Array.from({ length: 12 }, () => it10.next().value);
    expect(seen[0]).toBe(250);
    expect(Math.max(...seen)).toBe(10_000);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});
