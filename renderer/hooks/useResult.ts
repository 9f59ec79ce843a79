import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo, Result } from '../../shared/contract/errors';

export type Loadable<T> =
  | { status: 'loading'; value: T | undefined; error: null }
  | { status: 'ok'; value: T; error: null }
  | { status: 'error'; value: T | undefined; error: ErrorInfo };

interface Settled<T> {
  key: string;
  result: Result<T>;
  /** The last successful value, kept so a reload does not flash empty. */
  last: T | undefined;
}

/**
 * Runs an async contract call whenever `key` changes. While a new key loads, the last value
 * stays available (tables do not flash empty). Replies for a superseded key are dropped.
 * `initial`, read once as the component mounts, is the first key's answer when it is already
 * known (a prefetched answer that has arrived): the first render draws it, and the load then
 * answering the same result changes nothing.
 */
export function useResult<T>(
  load: () => Promise<Result<T>>,
  key: string,
  initial?: () => Result<T> | undefined,
): Loadable<T> & { reload: () => void } {
  const [tick, setTick] = useState(0);
  const fullKey = `${tick}|${key}`;
  const [settled, setSettled] = useState<Settled<T> | null>(() => {
    const result = initial?.();
    return result ? { key: fullKey, result, last: result.ok ? result.value : undefined } : null;
  });
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  useEffect(() => {
    let live = true;
    const settle = (result: Result<T>): void => {
      if (!live) return;
      setSettled((s) =>
        s?.key === fullKey && s.result === result
          ? s
          : { key: fullKey, result, last: result.ok ? result.value : s?.last },
      );
    };
    loadRef.current().then(settle, (err: unknown) =>
      settle({
        ok: false,
        error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) },
      }),
    );
    return () => {
      live = false;
    };
  }, [fullKey]);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  if (!settled || settled.key !== fullKey) {
    return { status: 'loading', value: settled?.last, error: null, reload };
  }
  if (settled.result.ok) return { status: 'ok', value: settled.result.value, error: null, reload };
  return { status: 'error', value: settled.last, error: settled.result.error, reload };
}
