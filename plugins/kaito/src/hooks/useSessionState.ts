import {
  Dispatch,
  SetStateAction,
  useCallback,
  useEffect,
  useState,
} from 'react';

function read<T>(key: string, initial: T): T {
  try {
    const raw = window.sessionStorage.getItem(key);
    return raw === null ? initial : (JSON.parse(raw) as T);
  } catch {
    return initial;
  }
}

/**
 * `useState` kept in `sessionStorage` under `key`: it survives reloads and
 * navigation in the tab, and ends with the browser session.
 */
export function useSessionState<T>(
  key: string,
  initial: T,
): [T, Dispatch<SetStateAction<T>>] {
  const [value, setValue] = useState<T>(() => read(key, initial));

  // A new key (another workspace) loads its own state.
  const [currentKey, setCurrentKey] = useState(key);
  if (currentKey !== key) {
    setCurrentKey(key);
    setValue(read(key, initial));
  }

  useEffect(() => {
    try {
      window.sessionStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full or unavailable: the state lives in memory only.
    }
  }, [key, value]);

  const set = useCallback<Dispatch<SetStateAction<T>>>(v => setValue(v), []);
  return [value, set];
}
