import { memo, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { HistogramBucket } from '../../../shared/contract/analysisApi';
import { useApi } from '../../api/ApiContext';
import { DownloadCsv } from '../../components/DownloadCsv';
import { ErrorNote } from '../../components/ErrorNote';
import { FilterBar } from '../../components/FilterBar';
import { Panel } from '../../components/Panel';
import { useResult } from '../../hooks/useResult';
import { useI18n } from '../../i18n/I18nContext';
import { filtersKey, showOnly, type FilterField } from '../../state/filters';
import { useViewState } from '../../state/ViewStateContext';
import { useAttackIndex } from '../attacks/useAttackIndex';
import { SessionDistributions } from './SessionDistributions';
import { SessionHeader } from './SessionHeader';
import { SessionRequests } from './SessionRequests';
import { SessionTimeline } from './SessionTimeline';
import { SessionVerdict } from './SessionVerdict';

// The requests table re-renders only when its own props change, not as the timeline, the
// distributions or a replay marker update the page around it.
const SessionRequestsTable = memo(SessionRequests);
const NO_BUCKETS: readonly HistogramBucket[] = [];

/**
 * One session: header, timeline with a brush, distributions whose values become in-session
 * filter chips, and the requests table. In-session filters start as the case-wide ones (so the
 * investigator sees what brought them here); "Show all requests" drops them.
 */
export function SessionDetail(): ReactNode {
  const { t } = useI18n();
  const client = useApi();
  const { state, update } = useViewState();
  const id = state.sessionId ?? '';
  const filters = state.sessionFilters;
  const detail = useResult(
    () => client.call('getSession', { id, filters }),
    `${id}|${filtersKey(filters)}`,
  );
  const histogram = useResult(
    () =>
      client.call('requestHistogram', {
        filters: { ...filters, sessionId: id },
        buckets: 60,
        marks: true,
      }),
    `${id}|${filtersKey(filters)}`,
  );
  const attacks = useAttackIndex();
  const attacksOf = attacks.attacksOf;
  const setFilters = useCallback(
    (f: typeof filters) =>
      update((s) => ({ sessionFilters: f, selected: { ...s.selected, requests: 0 } })),
    [update],
  );
  // The timeline's marker: the start of the bucket holding the selected (replayed) request.
  // Kept per bucket, not per request, so a replay step re-renders this page only when the
  // marker actually moves.
  const [markUs, setMarkUs] = useState<number | null>(null);
  // Read through a ref so onCurrent stays the same function and the table is not re-rendered
  // when the histogram arrives.
  const buckets = useRef(histogram.value?.buckets);
  const loadedBuckets = histogram.value?.buckets;
  useEffect(() => {
    buckets.current = loadedBuckets;
  }, [loadedBuckets]);
  const onCurrent = useCallback(
    (us: number | null) =>
      setMarkUs(
        us === null
          ? null
          : (buckets.current?.find((b) => us >= b.startUs && us < b.endUs)?.startUs ?? null),
      ),
    [],
  );
  const onShowOnly = useCallback(
    (field: FilterField, value: string): void => setFilters(showOnly(filters, field, value)),
    [filters, setFilters],
  );
  const onRange = useCallback(
    (from: number, to: number) => setFilters({ ...filters, from, to }),
    [filters, setFilters],
  );

  if (detail.error && !detail.value) {
    return (
      <div className="page">
        <ErrorNote error={detail.error} onRetry={detail.reload} />
      </div>
    );
  }
  const d = detail.value;
  if (!d) return <p className="page muted">{t('app.loading')}</p>;
  const labels = Object.fromEntries(
    d.byEndpoint.map((e) => [e.endpointId, `${e.method} ${e.template}`]),
  );
  const { text: _t, ...globalNoText } = state.filters;

  return (
    <div className="session-page" data-testid="session-detail">
      <Panel title={`${t('session.title')} ${d.session.id}`}>
        <SessionHeader session={d.session} flows={d.flows} />
      </Panel>
      <SessionVerdict sessionId={d.session.id} onReviewed={detail.reload} />
      <FilterBar
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
        <Panel title={t('session.timeline')}>
          {/* Drawn once its buckets are here: an empty chart first would cost a second
              recharts pass while the page is opening. */}
          {histogram.value || histogram.error ? (
            <SessionTimeline
              buckets={histogram.value?.buckets ?? NO_BUCKETS}
              onRange={onRange}
              currentUs={markUs}
            />
          ) : (
            <div className="timeline-wrap">
              <p className="muted">{t('app.loading')}</p>
            </div>
          )}
        </Panel>
        <Panel title={t('session.distributions')}>
          <SessionDistributions detail={d} onShowOnly={onShowOnly} />
        </Panel>
      </div>
      <SessionRequestsTable
        sessionId={id}
        filters={filters}
        attacksOf={attacksOf}
        total={d.session.matchedRequests}
        onCurrent={onCurrent}
      />
    </div>
  );
}
