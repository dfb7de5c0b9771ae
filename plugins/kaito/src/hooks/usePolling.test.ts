import { act, renderHook, waitFor } from '@testing-library/react';
import { usePolling } from './usePolling';

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => state,
  });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('usePolling', () => {
  afterEach(() => setVisibility('visible'));

  it('refreshes on an interval, keeping the value on screen', async () => {
    let n = 0;
    const { result } = renderHook(() =>
      usePolling(async () => ++n, [], { intervalMs: 20 }),
    );
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.value).toBeGreaterThanOrEqual(1));
    await waitFor(() => expect(result.current.value).toBeGreaterThanOrEqual(3));
    expect(result.current.loading).toBe(false);
  });

  it('pauses while the page is hidden and refreshes when it is shown', async () => {
    let calls = 0;
    const { result } = renderHook(() =>
      usePolling(async () => ++calls, [], { intervalMs: 20 }),
    );
    await waitFor(() => expect(result.current.value).toBeGreaterThanOrEqual(1));
    act(() => setVisibility('hidden'));
    const paused = calls;
    await new Promise(r => setTimeout(r, 120));
    expect(calls).toBeLessThanOrEqual(paused + 1);
    const afterPause = calls;
    act(() => setVisibility('visible'));
    await waitFor(() => expect(calls).toBeGreaterThan(afterPause));
  });

  it('keeps the last value when a refresh fails', async () => {
    let fail = false;
    const { result } = renderHook(() =>
      usePolling(
        async () => {
          if (fail) throw new Error('boom');
          return 'ok';
        },
        [],
        { intervalMs: 20 },
      ),
    );
    await waitFor(() => expect(result.current.value).toBe('ok'));
    fail = true;
    await waitFor(() => expect(result.current.error?.message).toBe('boom'));
    expect(result.current.value).toBe('ok');
    fail = false;
    await waitFor(() => expect(result.current.error).toBeUndefined());
  });

  it('starts over when its dependencies change', async () => {
    const { result, rerender } = renderHook(
      ({ key }) => usePolling(async () => key, [key], { intervalMs: 1000 }),
      { initialProps: { key: 'a' } },
    );
    await waitFor(() => expect(result.current.value).toBe('a'));
    rerender({ key: 'b' });
    await waitFor(() => expect(result.current.value).toBe('b'));
  });
});
