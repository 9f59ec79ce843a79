import { useState, type ReactNode } from 'react';
import type { ErrorInfo } from '../../shared/contract/errors';
import { useApi } from '../api/ApiContext';
import { ErrorNote } from '../components/ErrorNote';
import { Panel } from '../components/Panel';
import { useResult } from '../hooks/useResult';
import { useI18n } from '../i18n/I18nContext';
import { useCase } from '../state/CaseContext';
import { useViewState } from '../state/ViewStateContext';
import { RejectsViewer } from './RejectsViewer';
import { RequestsOverTime } from './overview/RequestsOverTime';
import { SourcesTable } from './overview/SourcesTable';
import { TopFlows } from './overview/TopFlows';
import { OVERVIEW_MAX, useRequestTimes } from './overview/useRequestTimes';

/** Counts, requests over time, top flows, and the sources with their hashes and rejects. */
export function CaseOverview(): ReactNode {
  const { t, fmt } = useI18n();
  const client = useApi();
  const { caseInfo, refreshCase } = useCase();
  const { navigate } = useViewState();
  const [rejectsOf, setRejectsOf] = useState<number | null>(null);
  const [rebuilding, setRebuilding] = useState(false);
  const [rebuildError, setRebuildError] = useState<ErrorInfo | null>(null);
  const caseKey = caseInfo ? `${caseInfo.meta.uuid}|${caseInfo.counts.requests}` : '';
  const times = useRequestTimes(caseKey);
  const endpoints = useResult(() => client.call('listEndpoints', { limit: 100_000 }), caseKey);
  if (!caseInfo) return null;
  const c = caseInfo.counts;
  const pts = times.value?.points ?? [];

  const rebuild = async (): Promise<void> => {
    setRebuilding(true);
    const r = await client.call('rebuild');
    setRebuilding(false);
    setRebuildError(r.ok ? null : r.error);
    refreshCase();
    endpoints.reload();
  };

  return (
    <div className="page overview" data-testid="overview">
      <div className="stats-row">
        <Stat label={t('overview.requests')} value={fmt.num(c.requests)} />
        <Stat label={t('overview.sources')} value={fmt.num(c.sources)} />
        <Stat label={t('overview.rejects')} value={fmt.num(c.rejects)} warn={c.rejects > 0} />
        {pts.length > 0 ? (
          <Stat
            label={`${t('overview.span')} (${fmt.zoneName})`}
            value={`${fmt.ts(pts[0]!.tsUs)} – ${times.value?.truncated ? '…' : fmt.ts(pts[pts.length - 1]!.tsUs)}`}
            small
          />
        ) : null}
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => void rebuild()} disabled={rebuilding}>
          {rebuilding ? t('overview.rebuilding') : t('overview.rebuild')}
        </button>
      </div>
      {rebuildError ? <ErrorNote error={rebuildError} /> : null}
      <div className="overview-grid">
        <Panel
          title={t('overview.overTime')}
          actions={
            times.value?.truncated ? (
              <span className="muted small">{fmt.num(OVERVIEW_MAX)}+</span>
            ) : null
          }
        >
          {times.error ? (
            <ErrorNote error={times.error} onRetry={times.reload} />
          ) : (
            <RequestsOverTime points={pts} />
          )}
        </Panel>
        <Panel title={t('overview.topFlows')}>
          {endpoints.error ? (
            <ErrorNote error={endpoints.error} onRetry={endpoints.reload} />
          ) : (
            <TopFlows
              endpoints={endpoints.value ?? []}
              totalRequests={c.requests}
              onPick={(flow) => navigate({ view: 'sessions', filters: { flows: [flow] } })}
            />
          )}
        </Panel>
      </div>
      <Panel title={t('overview.sources')}>
        <SourcesTable sources={caseInfo.sources} onShowRejects={setRejectsOf} />
      </Panel>
      {rejectsOf !== null ? (
        <Panel title={t('rejects.title')}>
          <RejectsViewer sourceId={rejectsOf} />
        </Panel>
      ) : null}
    </div>
  );
}

function Stat(props: { label: string; value: string; warn?: boolean; small?: boolean }): ReactNode {
  return (
    <div className="stat">
      <div className="stat-label">{props.label}</div>
      <div
        className={`stat-value ${props.warn ? 'warn-text' : ''} ${props.small ? 'stat-small' : ''}`}
      >
        {props.value}
      </div>
    </div>
  );
}
