import { memo, useCallback, useMemo, useState, type ReactNode } from 'react';
import type { HistogramBucket } from '../../../shared/contract/analysisApi';
import { DownloadCsv } from '../../components/DownloadCsv';
import { ErrorNote } from '../../components/ErrorNote';
import { FilterBar } from '../../components/FilterBar';
import { NotFoundPage } from '../../components/NotFoundPage';
import { Panel } from '../../components/Panel';
import { usePrefetchedResult } from '../../hooks/usePrefetchedResult';
import { useI18n } from '../../i18n/I18nContext';
import { filtersKey, showOnly, type FilterField } from '../../state/filters';
import { useViewState } from '../../state/ViewStateContext';
import { SessionDistributions } from './SessionDistributions';
import { sessionCalls } from './sessionCalls';
import { SessionHeader } from './SessionHeader';
import { SessionRequests } from './SessionRequests';
import { SessionTimeline } from './SessionTimeline';
import { SessionVerdict } from './SessionVerdict';

// The requests table re-renders only when its own props change, not as the timeline, the
// distributions or a replay marker update the page around it; the header and the filter bar
// likewise skip a replay step.
const SessionRequestsTable = memo(SessionRequests);
const Header = memo(SessionHeader);
const SessionFilterBar = memo(FilterBar);
const NO_BUCKETS: readonly HistogramBucket[] = [];
const NO_LABELS: Readonly<Record<string, string>> = {};

/**
 * One session: header, timeline with a brush, distributions whose values become in-session
 * filter chips, and the requests table. In-session filters start as the case-wide ones (so the
 * investigator sees what brought them here); "Show all requests" drops them.
 *
 * Opening a session draws the table and the timeline from their own replies, without waiting
 * for the detail (header and distributions, the costliest read of a large session). The
 * server answers one call at a time in the order they were sent: opened from the list, the
 * three were asked for before this page rendered (prefetchSessionOpen), table first; opened
 * otherwise (a link), effects run children first, with the same order.
 */
export function SessionDetail(): ReactNode {
  const { t } = useI18n();
  const { sessionId } = useViewState().state;
  if (sessionId === null) {
    return <NotFoundPage title={t('session.notFound')} testId="session-not-found" />;
  }
  // One page per session: while another session's answers are out, or when they fail, nothing
  // the previous one loaded (its header, timeline, table) is drawn under this id.
  return <SessionPage key={sessionId} id={sessionId} />;
}

function SessionPage(props: { id: string }): ReactNode {
  const { t } = useI18n();
  const { state, update } = useViewState();
  const { id } = props;
  const filters = state.sessionFilters;
  // Answers that arrived before the page mounted (asked for as the row was selected or
  // opened) are drawn by its first render.
  const histogram = usePrefetchedResult(
    'requestHistogram',
    sessionCalls.histogram(id, filters),
    `${id}|${filtersKey(filters)}`,
  );
  const detail = usePrefetchedResult(
    'getSession',
    sessionCalls.detail(id, filters),
    `${id}|${filtersKey(filters)}`,
  );
  const setFilters = useCallback(
    (f: typeof filters) =>
      update((s) => ({ sessionFilters: f, selected: { ...s.selected, requests: 0 } })),
    [update],
  );
  // The selected (replayed) request's time; the timeline marks the bucket holding it. A
  // replay step re-renders this page, but the chart only when the marker changes bucket.
  const [currentUs, setCurrentUs] = useState<number | null>(null);
  const buckets = histogram.value?.buckets ?? NO_BUCKETS;
  const markUs = useMemo(
    () =>
      currentUs === null
        ? null
        : (buckets.find((b) => currentUs >= b.startUs && currentUs < b.endUs)?.startUs ?? null),
    [buckets, currentUs],
  );
  const onShowOnly = useCallback(
    (field: FilterField, value: string): void => setFilters(showOnly(filters, field, value)),
    [filters, setFilters],
  );
  const onRange = useCallback(
    (from: number, to: number) => setFilters({ ...filters, from, to }),
    [filters, setFilters],
  );
  const d = detail.value;
  const byEndpoint = d?.byEndpoint;
  const labels = useMemo(
    () =>
      byEndpoint
        ? Object.fromEntries(byEndpoint.map((e) => [e.endpointId, `${e.method} ${e.template}`]))
        : NO_LABELS,
    [byEndpoint],
  );

  // The case has no such session (a link or an edited address named it): said as such, not
  // as an error to retry.
  if (detail.error?.code === 'NOT_FOUND') {
    return (
      <NotFoundPage
        title={t('session.notFound')}
        text={t('session.notFoundText', { id })}
        testId="session-not-found"
      />
    );
  }
  if (detail.error && !d) {
    return (
      <div className="page">
        <ErrorNote error={detail.error} onRetry={detail.reload} />
      </div>
    );
  }
  const { text: _t, ...globalNoText } = state.filters;
  const loading = <p className="muted">{t('app.loading')}</p>;
  // The filters leave some of the session's requests out: what counts only the matching ones
  // (timeline, distributions, flows, the table) says so, as the header's figures are all of it.
  const filtered = d !== undefined && d.session.matchedRequests !== d.session.requestCount;

  return (
    <div className="session-page" data-testid="session-detail">
      <Panel title={`${t('session.title')} ${id}`} headingLevel={1}>
        {d ? <Header session={d.session} flows={d.flows} usersFilter={filters.users} /> : loading}
      </Panel>
      {/* Mounted once the detail is here: opened by a link (nothing prefetched), its call would
          otherwise go out ahead of the table's and the timeline's. */}
      {d ? <SessionVerdict sessionId={id} onReviewed={detail.reload} /> : null}
      <SessionFilterBar
        filters={filters}
        onChange={setFilters}
        labels={labels}
        label={t('session.title')}
        tone="accent"
        primary
      />
      <div className="button-row">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setFilters({})}
          data-testid="show-all"
        >
          {t('session.showAll')}
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setFilters({ ...globalNoText, ...filters })}
        >
          {t('session.applyFilters')}
        </button>
        <DownloadCsv filters={filters} sessionId={id} title={t('export.downloadSession')} />
      </div>
      <div className="session-mid">
        <Panel title={t(filtered ? 'session.timelineMatching' : 'session.timeline')}>
          {/* Measured from the start, drawn once its buckets are here: an empty chart first
              would cost a second recharts pass while the page is opening. */}
          <SessionTimeline
            buckets={histogram.value || histogram.error ? buckets : null}
            onRange={onRange}
            currentUs={markUs}
          />
        </Panel>
        <Panel title={t(filtered ? 'session.distributionsMatching' : 'session.distributions')}>
          {d ? <SessionDistributions detail={d} onShowOnly={onShowOnly} /> : loading}
        </Panel>
      </div>
      <SessionRequestsTable
        sessionId={id}
        filters={filters}
        total={d?.session.matchedRequests}
        sessionTotal={d?.session.requestCount}
        onCurrent={setCurrentUs}
      />
    </div>
  );
}
