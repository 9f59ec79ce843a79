import { useCallback, useMemo, type ReactNode } from 'react';
import type { SessionListItem } from '../../../shared/contract/analysisApi';
import { useApi } from '../../api/ApiContext';
import { prefetchSessionOpen } from '../session/sessionCalls';
import { DownloadCsv } from '../../components/DownloadCsv';
import { ErrorNote } from '../../components/ErrorNote';
import { FilterBar } from '../../components/FilterBar';
import { useRebuilds } from '../../components/RebuildProgress';
import { VirtualTable, type SelectedBy, type SortState } from '../../components/VirtualTable';
import { SelectionMissingNote } from '../../components/SelectionMissingNote';
import { useKeysetPages } from '../../hooks/useKeysetPages';
import { useSelectedById } from '../../hooks/useSelectedById';
import { useI18n } from '../../i18n/I18nContext';
import { filtersKey } from '../../state/filters';
import { useViewState } from '../../state/ViewStateContext';
import { firstSessionSelected } from './openSessions';
import { SORT_OF_COLUMN, sessionColumns } from './sessionColumns';
import { useSessionCount } from './useSessionCount';
import { useSelectionPrefetch } from './useSelectionPrefetch';

const DEFAULT_SORT: SortState = { column: 'start', dir: 'asc' };
/** How far down the list a link's session is looked for (pages of 200 after the first 80). */
const LOOK_FOR_SESSIONS = 5_000;

/** Every session matching the case-wide filters, sortable, paged by keyset, keyboard-driven. */
export function SessionsList(): ReactNode {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const client = useApi();
  const { state, update, navigate } = useViewState();
  const sort = state.sessionSort ?? DEFAULT_SORT;
  const filters = state.filters;
  // Kept mounted, hidden, behind an open session (App.tsx) so its rows, scroll position and
  // selection are there on the way back; meanwhile it is inert (no focus, no search box of its
  // own: the session's is the page's one primary search).
  const hidden = state.view !== 'sessions';

  const rebuilds = useRebuilds();
  const pages = useKeysetPages<SessionListItem>(
    async (cursor) => {
      const r = await client.call('listSessions', {
        filters,
        sort: SORT_OF_COLUMN[sort.column] ?? 'firstSeen',
        descending: sort.dir === 'desc',
        ...(cursor ? { cursor } : {}),
        // The first page only has to fill the window: each listed session's flow shares and
        // top endpoints are counted, so 80 rows answer in about a third of 200's time.
        limit: cursor ? 200 : 80,
      });
      return r.ok
        ? { ok: true, value: { items: r.value.sessions, nextCursor: r.value.nextCursor } }
        : r;
    },
    // A rebuild (whoever started it) may change every session's figures: read them again.
    `${filtersKey(filters)}|${sort.column}|${sort.dir}|${rebuilds.done}`,
    { keepWhileLoading: true },
  );

  const rows = pages.stale ? undefined : pages.rows;
  // Selected by session id (a link's, or the row picked here: ids are derived from the log, so
  // the same after a rebuild and on another copy of the case), looked for through the pages.
  // An older link's row number alone still selects that row.
  const onFound = useCallback(
    (i: number) => update((s) => ({ selected: { ...s.selected, sessions: i } })),
    [update],
  );
  const { selected, missing } = useSelectedById({
    rows: pages.rows,
    idOf: (s) => s.id,
    id: state.selectedIds.sessions,
    row: state.selected.sessions ?? 0,
    hasMore: pages.hasMore,
    busy: pages.loading || pages.stale,
    loadMore: pages.loadMore,
    maxRows: LOOK_FOR_SESSIONS,
    onFound,
  });
  // The total, counted by the backend while the list has more than it loaded.
  const total = useSessionCount(client, filters, pages.hasMore && !pages.stale);
  const prefetchRow = useSelectionPrefetch(client, rows?.[selected]?.id, filters);

  const countText = (): string => {
    // The rows shown are the previous filters' until the new ones arrive: no figure of theirs.
    if (pages.stale) return t('sessions.countingOnly');
    const n = !pages.hasMore ? pages.rows.length : total?.done ? total.count : null;
    if (n !== null) return t(n === 1 ? 'sessions.countOne' : 'sessions.count', { n: fmt.num(n) });
    // Counting: how far it got (the rows loaded when the count is behind them).
    return total
      ? t('sessions.counting', { n: fmt.num(Math.max(total.count, pages.rows.length)) })
      : `${fmt.num(pages.rows.length)}+`;
  };

  const usersFilter = filters.users;
  const columns = useMemo(() => sessionColumns(i18n, usersFilter), [i18n, usersFilter]);
  const onSort = (column: string): void =>
    update((s) => ({
      sessionSort:
        sort.column === column
          ? { column, dir: sort.dir === 'asc' ? 'desc' : 'asc' }
          : { column, dir: 'desc' },
      ...firstSessionSelected(s),
    }));
  const onSelect = useCallback(
    (i: number, by: SelectedBy) => {
      // No id for a row of the previous filters' list (shown while the new one loads).
      const id = rows?.[i]?.id;
      update((s) => {
        const { sessions: _id, ...otherIds } = s.selectedIds;
        return {
          selected: { ...s.selected, sessions: i },
          selectedIds: id === undefined ? otherIds : { ...otherIds, sessions: id },
        };
      });
      prefetchRow(id, by);
    },
    [update, prefetchRow, rows],
  );
  const open = (s: SessionListItem): void => {
    // Asked for before the session page renders, so the answers travel meanwhile.
    prefetchSessionOpen(client, s.id, filters);
    navigate({
      view: 'session',
      sessionId: s.id,
      sessionFilters: filters,
      requestId: null,
      selected: { ...state.selected, requests: 0 },
    });
  };

  return (
    // Busy while the rows shown are the previous filters' (the new ones replace them at once).
    <div className="list-page" data-testid="sessions" aria-busy={pages.stale} inert={hidden}>
      <div className="list-head">
        <h1>{t('sessions.title')}</h1>
        <span className="muted">{countText()}</span>
        <span className="muted small">{t('settings.timesIn', { zone: fmt.zoneName })}</span>
      </div>
      <FilterBar
        filters={filters}
        onChange={(f) => update((s) => ({ filters: f, ...firstSessionSelected(s) }))}
        primary={!hidden}
        label={t('nav.sessions')}
      />
      <DownloadCsv filters={filters} title={t('export.downloadList')} />
      {pages.error ? <ErrorNote error={pages.error} onRetry={pages.reload} /> : null}
      <SelectionMissingNote
        missing={missing}
        gone={t('sessions.selectedGone')}
        beyond={t('sessions.selectedBeyond', { n: fmt.num(LOOK_FOR_SESSIONS) })}
        testId="selection-missing"
      />
      <VirtualTable
        label={t('sessions.title')}
        rows={pages.rows}
        columns={columns}
        rowKey={(s) => s.id}
        selected={selected}
        onSelect={onSelect}
        onOpen={open}
        searchable
        hasMore={pages.hasMore}
        loading={pages.loading}
        onLoadMore={pages.loadMore}
        sort={sort}
        onSort={onSort}
        rowClassName={(s) =>
          s.attackCount > 0 ? 'attack' : s.outlierCount > 0 ? 'outlier' : undefined
        }
        empty={t('sessions.empty')}
        autoFocus
      />
    </div>
  );
}
