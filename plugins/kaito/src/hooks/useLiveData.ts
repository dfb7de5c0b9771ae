import {
  KaitoChangeSignal,
  KaitoChangeTopic,
} from '@kaito-backstage/plugin-kaito-common';
import { useSignal } from '@backstage/plugin-signals-react';
import { DependencyList, useEffect, useState } from 'react';
import { PollingState, usePolling } from './usePolling';

/** Options of {@link useLiveData}. */
export interface LiveDataOptions<T> {
  /** The signal channel that announces changes (see kaito-common). */
  channel: string;
  /** Re-read on signals naming any of these lists. */
  topics: KaitoChangeTopic[];
  /** Interval of the fallback polling, when the app has no signals. */
  pollIntervalMs?: number;
  /**
   * Keep polling even with signals while this holds, for values no watch
   * reports (a tuning run's progress comes from its log).
   */
  pollWhile?: (value: T | undefined) => boolean;
}

/**
 * A value kept fresh the way the app allows: with Backstage signals
 * (`@backstage/plugin-signals` in the app, `-backend` in the backend) it is
 * re-read when kaito-backend announces a change on `channel`, and not
 * polled; without signals it is polled every `pollIntervalMs`. Either way it
 * is re-read when the browser tab becomes visible again.
 */
export function useLiveData<T>(
  fetcher: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
  options: LiveDataOptions<T>,
): PollingState<T> & { pushed: boolean } {
  const { lastSignal, isSignalsAvailable } = useSignal<KaitoChangeSignal>(
    options.channel,
  );
  // Whether the value asks for polling, as of the last render.
  const [keepPolling, setKeepPolling] = useState(false);
  const state = usePolling(fetcher, deps, {
    intervalMs: options.pollIntervalMs,
    enabled: !isSignalsAvailable || keepPolling,
  });
  const wanted = Boolean(options.pollWhile?.(state.value));
  useEffect(() => setKeepPolling(wanted), [wanted]);
  const { refresh } = state;
  // A string, so a new array of the same topics is no new dependency.
  const topics = options.topics.join(',');

  useEffect(() => {
    const named = lastSignal?.topics;
    const wantedTopics = topics.split(',');
    if (Array.isArray(named) && named.some(t => wantedTopics.includes(t))) {
      refresh();
    }
  }, [lastSignal, refresh, topics]);

  return { ...state, pushed: isSignalsAvailable };
}
