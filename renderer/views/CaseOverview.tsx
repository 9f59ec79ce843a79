import { useRef, useState, type ReactNode } from 'react';
import type { SourceInfo } from '../../shared/contract/caseApi';
import type { ErrorInfo } from '../../shared/contract/errors';
import { useApi } from '../api/ApiContext';
import { ErrorNote } from '../components/ErrorNote';
import { Panel } from '../components/Panel';
import { RebuildProgress, useRebuilds } from '../components/RebuildProgress';
import { RebuildStarting } from '../components/RebuildStarting';
import { useResult } from '../hooks/useResult';
import { useI18n } from '../i18n/I18nContext';
import { useCase } from '../state/CaseContext';
import { useViewState } from '../state/ViewStateContext';
import { filterChips } from '../state/filters';
import { CaseRejects, type RejectsOf } from './RejectsViewer';
import { AnalysisStaleNote } from './overview/AnalysisStaleNote';
import { OverviewFilters } from './overview/OverviewFilters';
import { PeriodPicker } from './overview/PeriodPicker';
import type { Period } from './overview/periodsApart';
import { RemoveSourceDialog } from './overview/RemoveSourceDialog';
import { RequestsOverTime, type BrushedRange } from './overview/RequestsOverTime';
import { SourceRemovedNote } from './overview/SourceRemovedNote';
import { SourcesTable } from './overview/SourcesTable';
import { RiskiestEndpoints } from './overview/RiskiestEndpoints';
import { TopFlows } from './overview/TopFlows';
import { useOverviewHistogram } from './overview/useOverviewHistogram';
import { firstSessionSelected, useOpenEndpointSessions } from './sessions/openSessions';

/** How many of the riskiest endpoints the overview lists. */
const RISKIEST = 8;

/** Counts, requests over time, top flows, and the sources with their hashes and rejects. */
export function CaseOverview(): ReactNode {
  const { t, fmt } = useI18n();
  const client = useApi();
  const { caseInfo, refreshCase, setCase } = useCase();
  const { state, navigate } = useViewState();
  const openEndpointSessions = useOpenEndpointSessions();
  const [rejectsOf, setRejectsOf] = useState<RejectsOf | null>(null);
  const rejectsRef = useRef<HTMLDivElement>(null);
  const [rebuilding, setRebuilding] = useState(false);
  const [rebuildError, setRebuildError] = useState<ErrorInfo | null>(null);
  /** The source the confirmation asks about; then the one removed, as the note says it. */
  const [removing, setRemoving] = useState<SourceInfo | null>(null);
  const [removed, setRemoved] = useState<{
    fileName: string;
    requests: number;
    /** Counts removals: each one's note is a new one, focused. */
    nth: number;
  } | null>(null);
  // A rebuild under way (after an import, say) is bringing the analysis up to date already;
  // the flows and the histogram's analysis filters follow every rebuild (one after an import
  // finishes while this page shows what the case held before).
  const { running, done: rebuilds } = useRebuilds();
  const caseKey = caseInfo ? `${caseInfo.meta.uuid}|${caseInfo.counts.requests}|${rebuilds}` : '';
  // Asked for before the chart's counts, which read every matching request: the backend
  // answers calls in turn, and these two come from the endpoints table in a millisecond or two.
  const flows = useResult(() => client.call('flowTotals', {}), caseKey);
  const riskiest = useResult(
    () => client.call('listEndpointPage', { sort: 'risk', dir: 'desc', limit: RISKIEST }),
    caseKey,
  );
  // A few requests far from the rest: the chart shows the rest, unless asked for the span.
  const [wholeSpan, setWholeSpan] = useState(false);
  // Requests in a few periods far apart: the whole span, or the one asked for.
  const [pick, setPick] = useState<Period | null>(null);
  const {
    whole: histogram,
    dense,
    periods,
    period,
    loading: chartLoading,
  } = useOverviewHistogram(caseKey, state.filters, pick);
  // The range brushed on the chart, not yet applied: the chart's count is then its own.
  const [brushed, setBrushed] = useState<BrushedRange | null>(null);
  if (!caseInfo) return null;
  const c = caseInfo.counts;
  // The list opens below the sources: brought into view, or the click seems to do nothing,
  // and focused, so the arrow keys move its selection at once (as in every other list). The
  // Rejected figure opens every source's lines; a source's count in the table, its own.
  const showRejects = (of: RejectsOf): void => {
    setRejectsOf(of);
    requestAnimationFrame(() => {
      const list = rejectsRef.current;
      list?.querySelector<HTMLElement>('[data-table-focus]')?.focus({ preventScroll: true });
      list?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
    });
  };
  const h = histogram.value;
  const shown = h ? (wholeSpan ? h : (dense?.histogram ?? period?.histogram ?? h)).buckets : null;
  // A range brushed over buckets no longer drawn (new filters, a rebuild, the other span) is
  // gone from the chart: the count is the chart's again.
  // Else a period far from the others shown alone is the chart's range.
  const inRange =
    brushed !== null && brushed.of === shown
      ? brushed
      : period && period.histogram.buckets === shown
        ? { requests: period.period.requests }
        : null;
  // The chart counts through the case-wide filters (the Sessions list's, kept in links); the
  // other figures here count the whole case. Each says which it is.
  const filtered = filterChips(state.filters).length > 0;
  const wholeCase = filtered ? (
    <span className="muted small" title={t('overview.wholeCase.title')}>
      {t('overview.wholeCase')}
    </span>
  ) : null;
  const loadingNote = <p className="muted">{t('app.loading')}</p>;

  const rebuild = async (): Promise<void> => {
    setRebuilding(true);
    const r = await client.call('rebuild');
    setRebuilding(false);
    setRebuildError(r.ok ? null : r.error);
    refreshCase();
    flows.reload();
    riskiest.reload();
  };

  // The source goes with its requests and rejects (audited by the backend); the analysis is
  // then re-derived from what is left, as after an import, unless the case says it is still
  // current (no request came from the source: the usual wrong format). The dialog stays open
  // with the reason when the backend refuses (a rebuild or an import holds the case).
  const removeSource = async (source: SourceInfo): Promise<ErrorInfo | null> => {
    const r = await client.call('removeSource', { sourceId: source.id });
    if (!r.ok) {
      // Gone already (another window, the CLI): the table catches up.
      if (r.error.code === 'NOT_FOUND') refreshCase();
      return r.error;
    }
    setRemoving(null);
    // The list of rejected lines may hold the removed source's.
    setRejectsOf(null);
    setRebuildError(null);
    setRemoved((was) => ({
      fileName: source.fileName,
      requests: source.accepted,
      nth: (was?.nth ?? 0) + 1,
    }));
    void afterRemoval();
    return null;
  };
  const afterRemoval = async (): Promise<void> => {
    const info = await client.call('getCaseInfo');
    if (info.ok) setCase(info.value);
    if (!info.ok || info.value.analysisCurrent !== true) {
      await rebuild();
      return;
    }
    flows.reload();
    riskiest.reload();
  };

  return (
    <div className="page overview" data-testid="overview">
      {/* The page's title for assistive technology; the top bar's tab shows it to the eye. */}
      <h1 className="sr-only">{t('nav.overview')}</h1>
      <div className="stats-row">
        <Stat label={t('overview.requests')} value={fmt.num(c.requests)} />
        <Stat label={t('overview.sources')} value={fmt.num(c.sources)} />
        <Stat
          label={t('overview.rejects')}
          value={fmt.num(c.rejects)}
          warn={c.rejects > 0}
          onClick={c.rejects > 0 ? () => showRejects('all') : undefined}
        />
        {h && h.caseFirstUs !== null && h.caseLastUs !== null ? (
          <Stat
            label={`${t('overview.span')} (${fmt.zoneName})`}
            value={`${fmt.ts(h.caseFirstUs)} – ${fmt.ts(h.caseLastUs)}`}
            small
          />
        ) : null}
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => void rebuild()} disabled={rebuilding}>
          {rebuilding ? t('overview.rebuilding') : t('overview.rebuild')}
        </button>
      </div>
      {removed ? (
        <SourceRemovedNote
          key={removed.nth}
          fileName={removed.fileName}
          requests={removed.requests}
          onImportAgain={() => navigate({ view: 'import' })}
          onClose={() => setRemoved(null)}
        />
      ) : null}
      <RebuildProgress />
      {rebuilding ? <RebuildStarting /> : null}
      {rebuildError ? <ErrorNote error={rebuildError} /> : null}
      {caseInfo.analysisCurrent === false && c.requests > 0 && !rebuilding && !running ? (
        <AnalysisStaleNote stale={caseInfo.analysisStale} />
      ) : null}
      <div className="overview-grid">
        <Panel
          title={t('overview.overTime')}
          busy={chartLoading}
          actions={
            // Not a total left from other filters while the new one loads.
            h && histogram.status !== 'loading' ? (
              <span className="muted small" data-testid="chart-total">
                {inRange
                  ? t(filtered ? 'overview.matchingInRange' : 'overview.inRange', {
                      n: fmt.num(inRange.requests),
                      total: fmt.num(h.total),
                    })
                  : filtered
                    ? t('overview.matching', { n: fmt.num(h.total), total: fmt.num(c.requests) })
                    : fmt.num(h.total)}
              </span>
            ) : null
          }
        >
          <OverviewFilters
            filters={state.filters}
            onChange={(filters) => navigate({ filters, ...firstSessionSelected(state) })}
          />
          {histogram.error ? (
            <ErrorNote error={histogram.error} onRetry={histogram.reload} />
          ) : chartLoading || !h ? (
            // Until the counts for these filters come: never an empty axis that reads as none.
            <div className="chart chart-note" data-testid="chart-loading">
              {loadingNote}
            </div>
          ) : h.total === 0 ? (
            <div className="chart chart-note" data-testid="chart-empty">
              <p className="muted">{t(filtered ? 'overview.noMatch' : 'overview.noRequests')}</p>
            </div>
          ) : (
            <>
              <RequestsOverTime
                buckets={shown ?? h.buckets}
                onBrush={setBrushed}
                onRange={(from, to) =>
                  navigate({
                    view: 'sessions',
                    filters: { ...state.filters, from, to },
                    ...firstSessionSelected(state),
                  })
                }
              />
              {dense ? (
                <p className="chart-outside small" data-testid="chart-outside">
                  <span className="warn-text">
                    {t('overview.outside', {
                      before: fmt.num(dense.range.before),
                      after: fmt.num(dense.range.after),
                      // The chart's own ends: no request lies between them and the range's.
                      from: fmt.ts(dense.histogram.buckets[0]?.startUs ?? dense.range.fromUs),
                      to: fmt.ts(dense.histogram.buckets.at(-1)?.endUs ?? dense.range.toUs),
                    })}
                  </span>{' '}
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => setWholeSpan((w) => !w)}
                  >
                    {t(wholeSpan ? 'overview.showBusy' : 'overview.showWhole')}
                  </button>
                </p>
              ) : null}
            </>
          )}
          {periods && h && histogram.status !== 'loading' ? (
            // Kept while a picked period's chart loads, so the button pressed keeps its focus.
            <PeriodPicker periods={periods} shown={pick} onShow={setPick} />
          ) : null}
        </Panel>
        <Panel title={t('overview.topFlows')} busy={flows.status === 'loading'} actions={wholeCase}>
          {flows.error ? (
            <ErrorNote error={flows.error} onRetry={flows.reload} />
          ) : !flows.value ? (
            loadingNote
          ) : (
            <TopFlows
              totals={flows.value}
              totalRequests={c.requests}
              onPick={(flow) =>
                navigate({
                  view: 'sessions',
                  filters: { flows: [flow] },
                  ...firstSessionSelected(state),
                })
              }
            />
          )}
        </Panel>
        <Panel
          title={t('overview.riskiest')}
          busy={riskiest.status === 'loading'}
          actions={wholeCase}
        >
          {riskiest.error ? (
            <ErrorNote error={riskiest.error} onRetry={riskiest.reload} />
          ) : !riskiest.value ? (
            loadingNote
          ) : (
            <RiskiestEndpoints
              endpoints={riskiest.value.items}
              onPick={(e) => openEndpointSessions(e.id)}
            />
          )}
        </Panel>
      </div>
      <Panel title={t('overview.sources')}>
        <SourcesTable
          sources={caseInfo.sources}
          onShowRejects={showRejects}
          onRemove={setRemoving}
        />
      </Panel>
      {removing ? (
        <RemoveSourceDialog
          source={removing}
          onRemove={() => removeSource(removing)}
          onCancel={() => setRemoving(null)}
        />
      ) : null}
      {rejectsOf !== null ? (
        <div ref={rejectsRef}>
          <Panel title={t('rejects.title')}>
            <CaseRejects sources={caseInfo.sources} of={rejectsOf} onOf={setRejectsOf} />
          </Panel>
        </div>
      ) : null}
    </div>
  );
}

function Stat(props: {
  label: string;
  value: string;
  warn?: boolean;
  small?: boolean;
  /** Makes the card a button (what its figure counts, listed). */
  onClick?: () => void;
}): ReactNode {
  const body = (
    <>
      <div className="stat-label">{props.label}</div>
      <div
        className={`stat-value ${props.warn ? 'warn-text' : ''} ${props.small ? 'stat-small' : ''}`}
      >
        {props.value}
      </div>
    </>
  );
  return props.onClick ? (
    <button type="button" className="stat stat-button" onClick={props.onClick}>
      {body}
    </button>
  ) : (
    <div className="stat">{body}</div>
  );
}
