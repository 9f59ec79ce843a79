import { useCallback, useEffect, useRef } from 'react';
import type { Filters } from '../../../shared/query/filterModel';
import type { ApiClient } from '../../api/client';
import type { SelectedBy } from '../../components/VirtualTable';
import { prefetchSessionOpen } from '../session/sessionCalls';

/**
 * A row that stays selected this long has its session's opening answers asked for: an
 * investigator selects, then opens (the second click of a double click, Enter), and the page
 * draws at once. Rows passed over while holding j or an arrow key are not asked for.
 */
export const SELECTED_PREFETCH_MS = 60;

/**
 * Asks for the selected session's opening answers (prefetchSessionOpen) once its row has stayed
 * selected SELECTED_PREFETCH_MS, as the list shows it and whenever the selection moves. The
 * returned function says a row was selected, by a click (asked for at once: the first click of
 * a double click, however quick the second) or a key (after the delay). Clicking the row already
 * selected asks again, so an answer that expired while the investigator read the list is fresh
 * by the double click's second click. An answer still waiting is never asked for twice.
 */
export function useSelectionPrefetch(
  client: ApiClient,
  selectedId: string | undefined,
  filters: Filters,
): (id: string | undefined, by?: SelectedBy) => void {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const schedule = useCallback(
    (id: string | undefined, by: SelectedBy = 'key') => {
      clearTimeout(timer.current);
      if (id === undefined) return;
      if (by === 'pointer') prefetchSessionOpen(client, id, filters);
      else
        timer.current = setTimeout(
          () => prefetchSessionOpen(client, id, filters),
          SELECTED_PREFETCH_MS,
        );
    },
    [client, filters],
  );
  useEffect(() => {
    schedule(selectedId);
    return () => clearTimeout(timer.current);
  }, [schedule, selectedId]);
  return schedule;
}
