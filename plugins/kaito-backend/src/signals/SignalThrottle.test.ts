import { SignalThrottle } from './SignalThrottle';

describe('SignalThrottle', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function throttle(intervalMs = 250) {
    const sent: [string, string[]][] = [];
    const t = new SignalThrottle<string>(intervalMs, (key, items) =>
      sent.push([key, items.sort()]),
    );
    return { t, sent };
  }

  it('sends a lone change after the gathering delay, with what followed it', () => {
    const { t, sent } = throttle();
    t.push('a', 'workspaces');
    t.push('a', 'workspaces');
    jest.advanceTimersByTime(20);
    t.push('a', 'runs');
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(5);
    expect(sent).toEqual([['a', ['runs', 'workspaces']]]);
  });

  it('collects what arrives within the window into one trailing send', () => {
    const { t, sent } = throttle(250);
    t.push('a', 'workspaces');
    jest.advanceTimersByTime(25);
    for (let i = 0; i < 100; i++) {
      t.push('a', i % 2 ? 'runs' : 'workspaces');
      jest.advanceTimersByTime(2);
    }
    // 100 pushes over 200 ms: nothing more before the window ends.
    expect(sent).toHaveLength(1);
    jest.advanceTimersByTime(50);
    expect(sent).toEqual([
      ['a', ['workspaces']],
      ['a', ['runs', 'workspaces']],
    ]);
    // The trailing send opened another window; a quiet one ends it.
    jest.advanceTimersByTime(250);
    expect(sent).toHaveLength(2);
    t.push('a', 'runs');
    jest.advanceTimersByTime(25);
    expect(sent).toHaveLength(3);
  });

  it('keeps keys apart', () => {
    const { t, sent } = throttle();
    t.push('a', 'workspaces');
    t.push('b', 'workspaces');
    jest.advanceTimersByTime(25);
    expect(sent.map(([k]) => k).sort()).toEqual(['a', 'b']);
  });

  it('sends nothing after stop', () => {
    const { t, sent } = throttle();
    t.push('a', 'workspaces');
    jest.advanceTimersByTime(25);
    t.push('a', 'runs');
    t.stop();
    jest.advanceTimersByTime(1000);
    t.push('b', 'runs');
    jest.advanceTimersByTime(1000);
    expect(sent).toEqual([['a', ['workspaces']]]);
  });
});
