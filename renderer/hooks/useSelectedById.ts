import { useEffect } from 'react';

/** Why the row a link selected by id is not selected. */
export type SelectionMissing =
  /** Every row of the list was read: the id is not among them (gone, or filtered out). */
  | 'gone'
  /** Not among the first `maxRows` rows read for it; the list goes on. */
  | 'beyond';

export interface SelectedById {
  /** The row to show selected: -1 while the id is looked for, or when it is not there. */
  selected: number;
  missing: SelectionMissing | null;
}

/**
 * A list's selection as a link gives it: by id where there is one (the view state's
 * `selectedIds`), else by row number. The id is looked for in the rows loaded, then in more
 * pages (up to `maxRows` rows); once found, `onFound` makes its row number the state's. An id
 * that is not there selects nothing (never another row) and says why.
 */
export function useSelectedById<T>(p: {
  rows: readonly T[];
  idOf: (row: T) => string;
  /** The id to select; undefined: select by `row`. */
  id: string | undefined;
  row: number;
  hasMore: boolean;
  /** A page is loading, or the rows shown are an earlier query's. */
  busy: boolean;
  loadMore: () => void;
  maxRows: number;
  onFound: (index: number) => void;
}): SelectedById {
  const { rows, idOf, id, row, hasMore, busy, loadMore, maxRows, onFound } = p;
  const atRow = rows[row];
  const here = id === undefined || (atRow !== undefined && idOf(atRow) === id);
  const found = here ? row : rows.findIndex((r) => idOf(r) === id);
  const readMore = found < 0 && !busy && hasMore && rows.length < maxRows;
  useEffect(() => {
    if (found >= 0 && found !== row) onFound(found);
  }, [found, row, onFound]);
  useEffect(() => {
    if (readMore) loadMore();
  }, [readMore, loadMore]);
  if (found >= 0) return { selected: found, missing: null };
  if (busy || readMore) return { selected: -1, missing: null };
  return { selected: -1, missing: hasMore ? 'beyond' : 'gone' };
}
