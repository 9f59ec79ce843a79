import type { InputOf } from '../../../shared/contract/api.js';
import type { Filters } from '../../../shared/query/filterModel';
import type { ApiClient } from '../../api/client';
import { prefetchAll, readCall } from '../../api/prefetch';
import { DISTRIBUTION_ROWS } from './DistributionPanel';

/** Rows in the requests table's first page: a tall window shows about 35. */
export const FIRST_REQUESTS_PAGE = 100;
/** Bars of the session timeline. */
export const TIMELINE_BUCKETS = 60;

/** The session page's calls, built in one place so an open's prefetch matches them exactly. */
export const sessionCalls = {
  /** The requests table's page: the first fills the window, later ones are larger. */
  requests: (id: string, filters: Filters, cursor?: string): InputOf<'listSessionRequests'> => ({
    id,
    filters,
    limit: cursor ? 300 : FIRST_REQUESTS_PAGE,
    ...(cursor ? { cursor } : {}),
  }),
  histogram: (id: string, filters: Filters): InputOf<'requestHistogram'> => ({
    filters: { ...filters, sessionId: id },
    buckets: TIMELINE_BUCKETS,
    marks: true,
  }),
  /** The distributions' top values only: a scan's session touches 100,000s of endpoints. */
  detail: (id: string, filters: Filters): InputOf<'getSession'> => ({
    id,
    filters,
    top: DISTRIBUTION_ROWS,
  }),
  verdict: (id: string): InputOf<'getSessionVerdict'> => ({ sessionId: id }),
};

/**
 * Opening a session: its timeline, its table's first page, its detail and its behaviour verdict
 * are asked for as the investigator selects or opens it, so the answers travel before or while
 * the page renders (the page then takes them with arrivedPrefetch or callPrefetched). The
 * server answers in this order: the timeline first, as drawing it takes longest, then the
 * table's page (a few milliseconds), the detail, and the verdict.
 */
export function prefetchSessionOpen(client: ApiClient, id: string, filters: Filters): void {
  // One round trip in browser mode: each HTTP request costs both processes a few milliseconds.
  prefetchAll(client, [
    readCall('requestHistogram', sessionCalls.histogram(id, filters)),
    readCall('listSessionRequests', sessionCalls.requests(id, filters)),
    readCall('getSession', sessionCalls.detail(id, filters)),
    readCall('getSessionVerdict', sessionCalls.verdict(id)),
  ]);
}
