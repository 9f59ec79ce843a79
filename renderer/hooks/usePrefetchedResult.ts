import type { CallName, InputOf, OutputOf } from '../../shared/contract/api.js';
import { useApi } from '../api/ApiContext';
import { arrivedPrefetch, callPrefetched } from '../api/prefetch';
import { useResult, type Loadable } from './useResult';

/**
 * useResult for a read call that may have been prefetched (prefetch.ts): an answer that has
 * already arrived is drawn by the first render, one still on its way is taken when it comes,
 * and without one the call is made. Reloads and later keys call afresh.
 */
export function usePrefetchedResult<N extends CallName>(
  name: N,
  input: InputOf<N>,
  key: string,
): Loadable<OutputOf<N>> & { reload: () => void } {
  const client = useApi();
  return useResult(
    () => callPrefetched(client, name, input),
    key,
    () => arrivedPrefetch(client, name, input),
  );
}
