import { useState, type ReactNode } from 'react';
import type { AuditEntryInfo } from '../../../shared/contract/auditApi';
import { auditDetailLines, auditDetailsText } from '../../../shared/audit/auditDetailsText';
import { useApi } from '../../api/ApiContext';
import { ErrorNote } from '../../components/ErrorNote';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { VisibleText, visibleText } from '../../components/VisibleText';
import { useKeysetPages } from '../../hooks/useKeysetPages';
import { useI18n } from '../../i18n/I18nContext';

/**
 * The case's audit trail, oldest first: when, what, and the details as plain `key: value`
 * text. Details can hold text from the logs (file names, notes), so they are only ever text
 * nodes and titles, their control characters shown (VisibleText). The selected entry's
 * details are shown in full below the table.
 */
export function AuditView(): ReactNode {
  const { t, fmt } = useI18n();
  const client = useApi();
  const [selected, setSelected] = useState(0);
  const pages = useKeysetPages<AuditEntryInfo>(
    (cursor) => client.call('listAudit', { ...(cursor ? { cursor } : {}), limit: 200 }),
    'audit',
  );
  // Stored as ISO UTC; shown in the zone the investigator chose, like every other time.
  const when = (e: AuditEntryInfo): string => {
    const ms = Date.parse(e.at);
    return Number.isFinite(ms) ? fmt.ts(ms * 1000) : e.at;
  };
  const columns: Column<AuditEntryInfo>[] = [
    {
      id: 'time',
      header: t('col.time'),
      width: '200px',
      render: (e) => <span className="mono">{when(e)}</span>,
      title: (e) => e.at,
    },
    {
      id: 'action',
      header: t('audit.action'),
      width: '180px',
      render: (e) => <span className="mono">{e.action}</span>,
    },
    {
      id: 'details',
      header: t('audit.details'),
      width: 'minmax(240px, 1fr)',
      render: (e) => <VisibleText text={auditDetailsText(e.details)} />,
      title: (e) =>
        auditDetailLines(e.details)
          .map((l) => visibleText(l))
          .join('\n'),
    },
  ];
  const current = pages.rows[selected];

  return (
    <div className="list-page" data-testid="audit">
      <div className="list-head">
        <h1>{t('audit.title')}</h1>
        <span className="muted">{t('settings.timesIn', { zone: fmt.zoneName })}</span>
      </div>
      {pages.error ? <ErrorNote error={pages.error} onRetry={pages.reload} /> : null}
      <VirtualTable
        label={t('audit.title')}
        rows={pages.rows}
        columns={columns}
        rowKey={(e) => e.id}
        selected={selected}
        onSelect={setSelected}
        hasMore={pages.hasMore}
        loading={pages.loading}
        onLoadMore={pages.loadMore}
        empty={pages.loading ? t('app.loading') : t('audit.empty')}
        autoFocus
      />
      {current ? (
        <div className="filterbar" data-testid="audit-details">
          <span className="filterbar-label mono">
            {when(current)} {current.action}
          </span>
          <ul className="audit-details mono">
            {auditDetailLines(current.details).map((l, i) => (
              <li key={i}>
                <VisibleText text={l} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
