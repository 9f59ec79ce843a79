import { useEffect, useState } from 'react';
import type { Filters } from '../../../shared/query/filterModel';
import type { ApiClient } from '../../api/client';
import { filtersKey } from '../../state/filters';

/** A count of the sessions a list holds: its parts added so far, and whether it is done. */
export interface SessionCountState {
  count: number;
  done: boolean;
}

/**
 * How many sessions the list under `filters` holds, asked for only while the list has more
 * pages than it loaded (`wanted`): the backend counts in parts that each hold the case briefly
 * (countSessions), added up here as they come, so a large count shows how far it got. Forgotten
 * when the filters change; null before the first part or after an error (the list then shows
 * what it loaded).
 */
export function useSessionCount(
  client: ApiClient,
  filters: Filters,
  wanted: boolean,
): SessionCountState | null {
  const key = filtersKey(filters);
  const [state, setState] = useState<{ key: string; count: SessionCountState } | null>(null);
  useEffect(() => {
    if (!wanted) return;
    let stopped = false;
    void (async () => {
      let count = 0;
      let cursor: string | undefined;
      for (;;) {
        const r = await client.call('countSessions', { filters, ...(cursor ? { cursor } : {}) });
        if (stopped) return;
        if (!r.ok) return setState(null);
        count += r.value.count;
        const done = r.value.nextCursor === null;
        setState({ key, count: { count, done } });
        if (done) return;
        cursor = r.value.nextCursor!;
      }
    })();
    return () => {
      stopped = true;
    };
    // `key` stands for the filters' content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key, wanted]);
  return state !== null && state.key === key ? state.count : null;
}
