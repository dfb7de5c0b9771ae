import { act, renderHook } from '@testing-library/react';
import { useSessionState } from './useSessionState';

describe('useSessionState', () => {
  beforeEach(() => window.sessionStorage.clear());

  it('keeps state in sessionStorage per key', () => {
    const { result, rerender } = renderHook(
      ({ k }) => useSessionState<string[]>(k, []),
      { initialProps: { k: 'a' } },
    );
    act(() => result.current[1](['hello']));
    expect(JSON.parse(window.sessionStorage.getItem('a')!)).toEqual(['hello']);
    rerender({ k: 'b' });
    expect(result.current[0]).toEqual([]);
    rerender({ k: 'a' });
    expect(result.current[0]).toEqual(['hello']);
  });
});
