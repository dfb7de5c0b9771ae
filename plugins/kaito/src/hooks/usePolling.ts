import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';

/** Default interval of live views. */
export const DEFAULT_POLL_INTERVAL_MS = 5000;

/** State of a polled value. */
export interface PollingState<T> {
  /** The latest value; kept while a refresh runs or after a refresh fails. */
  value?: T;
  /** The error of the latest attempt, if it failed. */
  error?: Error;
  /** No value and no error yet. */
  loading: boolean;
  /** When the value was last refreshed. */
  updatedAt?: Date;
  /**
   * Fetches again now; when a fetch is under way, once more right after it
   * (so a change announced during a read is never missed).
   */
  refresh: () => void;
}

function isHidden(): boolean {
  return (
    typeof document !== 'undefined' && document.visibilityState === 'hidden'
  );
}

/**
 * Fetches a value and, while `enabled`, refreshes it every `intervalMs`
 * while the page is visible; a hidden tab stops polling and refreshes as soon
 * as it is shown again (also when not `enabled`). The previous value stays
 * on screen during refreshes, so views update in place. Changing `deps`
 * starts over; changing the interval or `enabled` does not.
 */
export function usePolling<T>(
  fetcher: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
  options: { intervalMs?: number; enabled?: boolean } = {},
): PollingState<T> {
  const intervalMs = options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const enabled = options.enabled ?? true;
  const [state, setState] = useState<Omit<PollingState<T>, 'refresh'>>({
    loading: true,
  });
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const scheduleRef = useRef({ intervalMs, enabled });
  scheduleRef.current = { intervalMs, enabled };
  const refreshRef = useRef<() => void>(() => {});
  const rescheduleRef = useRef<() => void>(() => {});

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;
    let running = false;
    let again = false;
    setState({ loading: true });

    // Declared before use: schedule and run call each other.
    let run: () => Promise<void> = async () => {};

    const schedule = () => {
      clearTimeout(timer);
      if (stopped || !scheduleRef.current.enabled || running) return;
      timer = setTimeout(() => {
        if (isHidden()) return; // resumed by visibilitychange
        run();
      }, scheduleRef.current.intervalMs);
    };

    run = async () => {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      again = false;
      clearTimeout(timer);
      controller = new AbortController();
      try {
        const value = await fetcherRef.current(controller.signal);
        if (!stopped) {
          setState({ value, loading: false, updatedAt: new Date() });
        }
      } catch (error) {
        if (!stopped && !controller.signal.aborted) {
          setState(previous => ({
            ...previous,
            error: error as Error,
            loading: false,
          }));
        }
      } finally {
        running = false;
      }
      if (again) {
        run();
      } else {
        schedule();
      }
    };

    const onVisibility = () => {
      if (!isHidden()) run();
      else clearTimeout(timer);
    };

    refreshRef.current = () => {
      run();
    };
    rescheduleRef.current = schedule;
    run();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      document.removeEventListener('visibilitychange', onVisibility);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  // A new interval (or polling turned on or off) takes effect from now.
  useEffect(() => rescheduleRef.current(), [intervalMs, enabled]);

  const refresh = useCallback(() => refreshRef.current(), []);
  return { ...state, refresh };
}
