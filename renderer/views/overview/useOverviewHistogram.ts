import type { RequestHistogram } from '../../../shared/contract/analysisApi';
import type { Result } from '../../../shared/contract/errors';
import type { Filters } from '../../../shared/query/filterModel';
import { useApi } from '../../api/ApiContext';
import { useResult, type Loadable } from '../../hooks/useResult';
import { filtersKey } from '../../state/filters';
import { denseRange, type DenseRange } from './denseRange';
import { periodsApart, type Period } from './periodsApart';
import { OVERVIEW_BUCKETS, useRequestHistogram } from './useRequestHistogram';

/** The overview's chart: the whole span, and where most requests are when a few lie far off. */
export interface OverviewHistogram {
  whole: Loadable<RequestHistogram> & { reload: () => void };
  /** Null while unknown, or when the requests spread over the span. */
  dense: { range: DenseRange; histogram: RequestHistogram } | null;
  /** The periods far apart the requests fall in (logs years apart); null when not so. */
  periods: Period[] | null;
  /** The period asked for, of `periods`, and its own histogram once it has come. */
  period: { period: Period; histogram: RequestHistogram } | null;
  /**
   * True while any of it is being asked for (the first time, or again for new filters or a
   * rebuild): what the chart would draw then is not the answer for the filters shown. Also
   * while the whole span is known to squeeze its requests into a bar or two but their
   * narrowed chart has not come, so the squeezed one never flashes first.
   */
  loading: boolean;
}

/**
 * The requests over time; when a few lie far from the rest (a line dated years off), also the
 * busy range's own histogram, from its first request to its last (the whole span's buckets,
 * each weeks wide, say where in them their requests are). When they fall in a few periods far
 * apart, `pick` (one of them, as `periods` gave it) is counted the same way.
 */
export function useOverviewHistogram(
  caseKey: string,
  filters: Filters,
  pick: Period | null = null,
): OverviewHistogram {
  const client = useApi();
  const whole = useRequestHistogram(caseKey, filters);
  const range = whole.value ? denseRange(whole.value.buckets) : null;
  const periods = whole.value && !range ? periodsApart(whole.value.buckets) : null;
  // A pick of other buckets' periods (new filters, a rebuild) is no longer one of them.
  const period =
    (pick && periods?.find((p) => p.fromUs === pick.fromUs && p.toUs === pick.toUs)) || null;
  const narrow = range ?? period;
  // Its requests' own first and last time are known (each bucket says them): counted over
  // exactly those, in as many buckets as the chart has.
  const zoomed = useResult(
    () =>
      narrow
        ? client.call('requestHistogram', {
            filters: { ...filters, from: narrow.firstUs, to: narrow.lastUs + 1 },
            buckets: OVERVIEW_BUCKETS,
          })
        : Promise.resolve<Result<RequestHistogram | null>>({ ok: true, value: null }),
    `${caseKey}|${filtersKey(filters)}|${narrow ? `${narrow.firstUs}-${narrow.lastUs}` : 'none'}`,
  );
  const histogram = narrow && zoomed.value ? zoomed.value : null;
  return {
    whole,
    dense: range && histogram ? { range, histogram } : null,
    periods,
    period: period && histogram ? { period, histogram } : null,
    loading: whole.status === 'loading' || (narrow !== null && zoomed.status === 'loading'),
  };
}
