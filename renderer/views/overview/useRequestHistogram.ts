import type { RequestHistogram } from '../../../shared/contract/analysisApi';
import type { Filters } from '../../../shared/query/filterModel';
import { useApi } from '../../api/ApiContext';
import { useResult, type Loadable } from '../../hooks/useResult';
import { filtersKey } from '../../state/filters';

/** Bars across the chart: enough to see an incident's shape, few enough to hover each. */
export const OVERVIEW_BUCKETS = 96;

/**
 * The case's matching requests over time, counted by the backend in SQL: one small reply
 * whatever the case size (the old raw-page read stopped at 20,000 requests).
 */
export function useRequestHistogram(
  caseKey: string,
  filters: Filters,
): Loadable<RequestHistogram> & { reload: () => void } {
  const client = useApi();
  return useResult(
    () => client.call('requestHistogram', { filters, buckets: OVERVIEW_BUCKETS }),
    `${caseKey}|${filtersKey(filters)}`,
  );
}
