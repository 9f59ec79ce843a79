import type { Result } from '../../../shared/contract/errors';
import { useApi } from '../../api/ApiContext';
import { useResult, type Loadable } from '../../hooks/useResult';
import type { TimelinePoint } from '../session/timelineBuckets';

/** Enough points for a case-wide histogram; beyond it the chart says it covers the first N. */
export const OVERVIEW_MAX = 20_000;

/**
 * Time and status of the case's requests in time order, for the overview chart. The contract
 * has no histogram call, so this reads raw pages (capped) and the chart buckets them.
 */
export function useRequestTimes(
  caseKey: string,
): Loadable<{ points: TimelinePoint[]; truncated: boolean }> & { reload: () => void } {
  const client = useApi();
  return useResult(async (): Promise<Result<{ points: TimelinePoint[]; truncated: boolean }>> => {
    const points: TimelinePoint[] = [];
    let cursor: string | undefined;
    for (;;) {
      const r = await client.call('listRequests', { limit: 1000, ...(cursor ? { cursor } : {}) });
      if (!r.ok) return r;
      for (const q of r.value.items) {
        points.push({ tsUs: q.tsUs, status: q.status, outlier: false, attack: false });
      }
      if (r.value.nextCursor === null) return { ok: true, value: { points, truncated: false } };
      if (points.length >= OVERVIEW_MAX) return { ok: true, value: { points, truncated: true } };
      cursor = r.value.nextCursor;
    }
  }, caseKey);
}
