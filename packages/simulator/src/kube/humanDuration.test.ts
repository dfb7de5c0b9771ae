import { humanDuration, timestampAge } from './humanDuration';

describe('humanDuration (kubectl AGE)', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  it.each([
    [-5 * s, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [5 * s, '5s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [3 * m + 12 * s, '3m12s'],
    [15 * m, '15m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [5 * h + 3 * m, '5h3m'],
    [20 * h, '20h'],
    [2 * d, '2d'],
    [2 * d + 4 * h, '2d4h'],
    [30 * d, '30d'],
    [800 * d, '2y70d'],
    [9 * 365 * d, '9y'],
  ])('%d ms is %s', (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });

  it('formats ages of timestamps', () => {
    const now = new Date('2025-01-01T00:10:00Z');
    expect(timestampAge('2025-01-01T00:00:00Z', now)).toBe('10m');
    expect(timestampAge(undefined, now)).toBe('<unknown>');
  });
});
