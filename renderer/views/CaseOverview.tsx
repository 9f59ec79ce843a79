import { useState, type ReactNode } from 'react';
import { Panel } from '../components/Panel';
import { useI18n } from '../i18n/I18nContext';
import { useCase } from '../state/CaseContext';
import { RejectsViewer } from './RejectsViewer';
import { SourcesTable } from './overview/SourcesTable';

/** Counts, sources with their hashes, and the rejected lines of any source. */
export function CaseOverview(): ReactNode {
  const { t, fmt } = useI18n();
  const { caseInfo } = useCase();
  const [rejectsOf, setRejectsOf] = useState<number | null>(null);
  if (!caseInfo) return null;
  const c = caseInfo.counts;
  return (
    <div className="page overview">
      <div className="stats-row">
        <Stat label={t('overview.requests')} value={fmt.num(c.requests)} />
        <Stat label={t('overview.sources')} value={fmt.num(c.sources)} />
        <Stat label={t('overview.rejects')} value={fmt.num(c.rejects)} warn={c.rejects > 0} />
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

function Stat(props: { label: string; value: string; warn?: boolean }): ReactNode {
  return (
    <div className="stat">
      <div className="stat-label">{props.label}</div>
      <div className={props.warn ? 'stat-value warn-text' : 'stat-value'}>{props.value}</div>
    </div>
  );
}
