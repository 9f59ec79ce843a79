import { useCallback, useMemo, type ReactNode } from 'react';
import type { SessionRequest } from '../../../shared/contract/analysisApi';
import type { Filters } from '../../../shared/query/filterModel';
import { useApi } from '../../api/ApiContext';
import { ErrorNote } from '../../components/ErrorNote';
import { VirtualTable } from '../../components/VirtualTable';
import { useKeysetPages } from '../../hooks/useKeysetPages';
import { useI18n } from '../../i18n/I18nContext';
import { filtersKey } from '../../state/filters';
import { useViewState } from '../../state/ViewStateContext';
import { outlierTitle, requestColumns } from './requestColumns';

/** The session's matching requests in time order; outliers marked, Enter opens one. */
export function SessionRequests(props: {
  sessionId: string;
  filters: Filters;
  attacksOf: (id: number) => readonly string[];
  total: number;
}): ReactNode {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const client = useApi();
  const { state, update, navigate } = useViewState();
  const { sessionId, filters, attacksOf } = props;
  const pages = useKeysetPages<SessionRequest>(
    async (cursor) => {
      const r = await client.call('listSessionRequests', {
        id: sessionId,
        filters,
        limit: 300,
        ...(cursor ? { cursor } : {}),
      });
      return r.ok
        ? { ok: true, value: { items: r.value.requests, nextCursor: r.value.nextCursor } }
        : r;
    },
    `${sessionId}|${filtersKey(filters)}`,
  );
  const columns = useMemo(() => requestColumns(i18n, attacksOf), [i18n, attacksOf]);
  const onSelect = useCallback(
    (i: number) => update((s) => ({ selected: { ...s.selected, requests: i } })),
    [update],
  );
  return (
    <div className="requests-pane" data-testid="session-requests">
      <div className="list-head">
        <h2>{t('session.requests', { n: fmt.num(props.total) })}</h2>
      </div>
      {pages.error ? <ErrorNote error={pages.error} onRetry={pages.reload} /> : null}
      <VirtualTable
        label={t('session.requests', { n: fmt.num(props.total) })}
        rows={pages.rows}
        columns={columns}
        rowKey={(r) => r.id}
        selected={state.selected.requests ?? 0}
        onSelect={onSelect}
        onOpen={(r) => navigate({ view: 'request', requestId: r.id })}
        hasMore={pages.hasMore}
        loading={pages.loading}
        onLoadMore={pages.loadMore}
        rowClassName={(r) =>
          attacksOf(r.id).length > 0 ? 'attack' : r.outlier ? 'outlier' : undefined
        }
        rowTitle={(r) => outlierTitle(r, i18n)}
        empty={t('sessions.empty')}
        autoFocus
      />
    </div>
  );
}
