import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo, Result } from '../../shared/contract/errors';

export interface PageLike<T> {
  items: T[];
  nextCursor: string | null;
}

export interface KeysetPages<T> {
  rows: T[];
  /**
   * True while `rows` are the previous key's, shown until the new first page arrives (only
   * with `keepWhileLoading`).
   */
  stale: boolean;
  hasMore: boolean;
  loading: boolean;
  error: ErrorInfo | null;
  /** Fetches the next page using the cursor the previous page handed out. */
  loadMore: () => void;
  reload: () => void;
}

interface Pages<T> {
  key: string;
  rows: T[];
  /** The first page's items as answered: that answer again (the load after `initial`) is no news. */
  first: T[];
  cursor: string | null;
  loadingMore: boolean;
  error: ErrorInfo | null;
}

const toError = (err: unknown): ErrorInfo => ({
  code: 'INTERNAL',
  message: err instanceof Error ? err.message : String(err),
});

/** The pages of `key` as its first page's answer leaves them. */
function firstPage<T>(key: string, r: Result<PageLike<T>>): Pages<T> {
  return r.ok
    ? {
        key,
        rows: r.value.items,
        first: r.value.items,
        cursor: r.value.nextCursor,
        loadingMore: false,
        error: null,
      }
    : { key, rows: [], first: [], cursor: null, loadingMore: false, error: r.error };
}

/**
 * Accumulates keyset pages: the first page loads when `key` (filters, sort…) changes, more
 * pages load on demand. A page answering for an old key is ignored, so fast filter changes
 * never mix rows from two queries.
 */
export function useKeysetPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Result<PageLike<T>>>,
  key: string,
  options: {
    /**
     * Keep showing the previous key's rows (marked stale) until the new first page arrives,
     * instead of emptying the table: a filter change then redraws the list once, not twice.
     */
    keepWhileLoading?: boolean;
    /**
     * Read once as the component mounts: the first key's first page when it is already known
     * (a prefetched answer that has arrived), drawn by the first render; the load then
     * answering the same rows changes nothing.
     */
    initial?: () => Result<PageLike<T>> | undefined;
  } = {},
): KeysetPages<T> {
  const [tick, setTick] = useState(0);
  const fullKey = `${tick}|${key}`;
  const [pages, setPages] = useState<Pages<T> | null>(() => {
    const r = options.initial?.();
    return r?.ok ? firstPage(fullKey, r) : null;
  });
  const fetchRef = useRef(fetchPage);
  const keyRef = useRef(fullKey);
  useEffect(() => {
    fetchRef.current = fetchPage;
    keyRef.current = fullKey;
  });

  useEffect(() => {
    let live = true;
    const first = (r: Result<PageLike<T>>): void => {
      if (!live) return;
      setPages((p) =>
        r.ok && p?.key === fullKey && p.first === r.value.items ? p : firstPage(fullKey, r),
      );
    };
    fetchRef
      .current(undefined)
      .then(first, (err: unknown) => first({ ok: false, error: toError(err) }));
    return () => {
      live = false;
    };
  }, [fullKey]);

  const current = pages !== null && pages.key === fullKey ? pages : null;

  const loadMore = useCallback(() => {
    if (!current || current.loadingMore || current.cursor === null || current.error) return;
    const forKey = current.key;
    const from = current.cursor;
    setPages((p) => (p && p.key === forKey ? { ...p, loadingMore: true } : p));
    const more = (r: Result<PageLike<T>>): void => {
      if (keyRef.current !== forKey) return;
      setPages((p) => {
        if (!p || p.key !== forKey) return p;
        return r.ok
          ? {
              ...p,
              rows: p.rows.concat(r.value.items),
              cursor: r.value.nextCursor,
              loadingMore: false,
            }
          : { ...p, loadingMore: false, error: r.error };
      });
    };
    fetchRef.current(from).then(more, (err: unknown) => more({ ok: false, error: toError(err) }));
  }, [current]);

  const reload = useCallback(() => setTick((n) => n + 1), []);

  if (current === null && options.keepWhileLoading && pages !== null && !pages.error) {
    return {
      rows: pages.rows,
      stale: true,
      hasMore: pages.cursor !== null,
      loading: true,
      error: null,
      loadMore,
      reload,
    };
  }
  return {
    rows: current?.rows ?? [],
    stale: false,
    hasMore: current === null || current.cursor !== null,
    loading: current === null || current.loadingMore,
    error: current?.error ?? null,
    loadMore,
    reload,
  };
}
