import { useState, type ReactNode } from 'react';
import type { RejectInfo } from '../../shared/contract/caseApi';
import { useApi } from '../api/ApiContext';
import { ErrorNote } from '../components/ErrorNote';
import { VirtualTable, type Column } from '../components/VirtualTable';
import { useKeysetPages } from '../hooks/useKeysetPages';
import { useI18n } from '../i18n/I18nContext';

/** Every line a source could not parse: line number, reason, raw text (inert), paged by keyset. */
export function RejectsViewer(props: { sourceId?: number }): ReactNode {
  const { t, fmt } = useI18n();
  const client = useApi();
  const [selected, setSelected] = useState(0);
  const pages = useKeysetPages<RejectInfo>(
    (cursor) =>
      client.call('listRejects', {
        ...(props.sourceId !== undefined ? { sourceId: props.sourceId } : {}),
        ...(cursor ? { cursor } : {}),
        limit: 200,
      }),
    `rejects:${props.sourceId ?? 'all'}`,
  );
  const columns: Column<RejectInfo>[] = [
    {
      id: 'line',
      header: t('rejects.line'),
      width: '80px',
      align: 'right',
      render: (r) => fmt.num(r.lineNo),
    },
    {
      id: 'reason',
      header: t('rejects.reason'),
      width: 'minmax(160px, 1fr)',
      render: (r) => r.reason,
      title: (r) => r.reason,
    },
    {
      id: 'raw',
      header: t('rejects.raw'),
      width: 'minmax(240px, 3fr)',
      render: (r) => (
        <span className="mono">
          {r.raw}
          {r.truncated ? ' …' : ''}
        </span>
      ),
      title: (r) => r.raw,
    },
  ];
  // The selected line whole (the table cuts reason and raw text to one line each).
  const current = pages.rows[selected];
  return (
    <div className="rejects" data-testid="rejects">
      {pages.error ? <ErrorNote error={pages.error} onRetry={pages.reload} /> : null}
      <VirtualTable
        label={t('rejects.title')}
        rows={pages.rows}
        columns={columns}
        rowKey={(r) => r.id}
        selected={selected}
        onSelect={setSelected}
        hasMore={pages.hasMore}
        loading={pages.loading}
        onLoadMore={pages.loadMore}
        empty={t('rejects.none')}
      />
      {current ? (
        <div className="reject-detail" data-testid="reject-detail">
          <div>
            <strong>{t('rejects.lineOf', { n: fmt.num(current.lineNo) })}</strong> ·{' '}
            {current.reason}
          </div>
          <pre className="mono">{current.raw}</pre>
          {current.truncated ? (
            <div className="muted small">
              {t('rejects.truncated', { bytes: fmt.num(current.rawLength) })}
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
