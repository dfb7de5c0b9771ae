import { useEffect, useState } from 'react';

/**
 * The current time, updated every `intervalMs` while the page is visible,
 * so views that show ages and running costs move them forward between reads.
 */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') setNow(Date.now());
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
