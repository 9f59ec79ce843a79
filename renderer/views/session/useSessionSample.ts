import type { SessionRequest } from '../../../shared/contract/analysisApi';
import type { Result } from '../../../shared/contract/errors';
import type { Filters } from '../../../shared/query/filterModel';
import { useApi } from '../../api/ApiContext';
import { useResult, type Loadable } from '../../hooks/useResult';
import { filtersKey } from '../../state/filters';

/** Enough for a readable timeline; beyond it the chart says it shows the first N. */
export const SAMPLE_MAX = 5000;

export interface SessionSample {
  requests: SessionRequest[];
  /** True when the session had more matching requests than were read. */
  truncated: boolean;
}

/**
 * The session's matching requests (up to SAMPLE_MAX, in time order) for the timeline and the
 * client-side distributions (users), read page by page with the contract's cursor.
 */
export function useSessionSample(
  id: string,
  filters: Filters,
): Loadable<SessionSample> & { reload: () => void } {
  const client = useApi();
  return useResult<SessionSample>(
    async (): Promise<Result<SessionSample>> => {
      const requests: SessionRequest[] = [];
      let cursor: string | undefined;
      for (;;) {
        const r = await client.call('listSessionRequests', {
          id,
          filters,
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        });
        if (!r.ok) return r;
        requests.push(...r.value.requests);
        if (r.value.nextCursor === null) return { ok: true, value: { requests, truncated: false } };
        if (requests.length >= SAMPLE_MAX)
          return { ok: true, value: { requests, truncated: true } };
        cursor = r.value.nextCursor;
      }
    },
    `${id}|${filtersKey(filters)}`,
  );
}
