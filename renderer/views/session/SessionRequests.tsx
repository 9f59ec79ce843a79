import { useCallback, useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { RequestPage, SessionRequest } from '../../../shared/contract/analysisApi';
import type { Result } from '../../../shared/contract/errors';
import type { Filters } from '../../../shared/query/filterModel';
import { useApi } from '../../api/ApiContext';
import { arrivedPrefetch, callPrefetched } from '../../api/prefetch';
import { ErrorNote } from '../../components/ErrorNote';
import { HEAD_HEIGHT, VirtualTable } from '../../components/VirtualTable';
import { useKeysetPages, type PageLike } from '../../hooks/useKeysetPages';
import { useI18n } from '../../i18n/I18nContext';
import { filtersKey } from '../../state/filters';
import { useViewState } from '../../state/ViewStateContext';
import { ReplayBar } from './ReplayBar';
import { sessionCalls } from './sessionCalls';
import { outlierTitle, requestColumns } from './requestColumns';
import { useReplay } from './useReplay';

/**
 * The requests pane's height: the table inside scrolls, and its first render windows no more
 * rows than the pane can show.
 */
const REQUESTS_PANE_PX = 460;

/** A page of the session's requests as the table's keyset pages take it. */
function asPage(r: Result<RequestPage>): Result<PageLike<SessionRequest>> {
  return r.ok
    ? { ok: true, value: { items: r.value.requests, nextCursor: r.value.nextCursor } }
    : r;
}

/**
 * The session's matching requests in time order; outliers marked, Enter opens one. The replay
 * bar walks the same rows: the selected row is the replay's current request.
 */
export function SessionRequests(props: {
  sessionId: string;
  filters: Filters;
  /** Matching requests in the session; undefined until the session's detail has answered. */
  total: number | undefined;
  /** All the session's requests, when the filters leave some out (the heading says of how many). */
  sessionTotal?: number;
  /** Told the selected request's time, for the timeline's marker. */
  onCurrent?: (tsUs: number | null) => void;
}): ReactNode {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const client = useApi();
  const { state, update, navigate } = useViewState();
  const { sessionId, filters } = props;
  const pages = useKeysetPages<SessionRequest>(
    async (cursor) => {
      // The first page only has to fill the window (and answer before the timeline's
      // buckets); later pages are larger so scrolling and replay fetch less often.
      return asPage(
        await callPrefetched(
          client,
          'listSessionRequests',
          sessionCalls.requests(sessionId, filters, cursor),
        ),
      );
    },
    `${sessionId}|${filtersKey(filters)}`,
    {
      initial: () => {
        const r = arrivedPrefetch(
          client,
          'listSessionRequests',
          sessionCalls.requests(sessionId, filters),
        );
        return r && asPage(r);
      },
    },
  );
  const columns = useMemo(() => requestColumns(i18n, filters.text), [i18n, filters.text]);
  const onSelect = useCallback(
    (i: number) => update((s) => ({ selected: { ...s.selected, requests: i } })),
    [update],
  );
  const selected = state.selected.requests ?? 0;
  const rows = pages.rows;
  // A replay step also brings the row into the window (the table may sit below the fold);
  // other selection changes (opening the session, a link) leave the page where it is.
  const revealOnPage = useRef(false);
  const onReplayIndex = useCallback(
    (i: number) => {
      revealOnPage.current = true;
      onSelect(i);
    },
    [onSelect],
  );
  const replay = useReplay({
    index: selected,
    count: rows.length,
    hasMore: pages.hasMore,
    timeAt: (i) => rows[i]?.tsUs,
    onIndex: onReplayIndex,
    loadMore: pages.loadMore,
  });
  const currentUs = rows[selected]?.tsUs;
  const heading =
    props.total !== undefined &&
    props.sessionTotal !== undefined &&
    props.total !== props.sessionTotal
      ? t('session.requestsOf', { n: fmt.num(props.total), total: fmt.num(props.sessionTotal) })
      : t('session.requests', { n: props.total === undefined ? '…' : fmt.num(props.total) });
  const { onCurrent } = props;
  useEffect(() => onCurrent?.(currentUs ?? null), [onCurrent, currentUs]);
  const paneRef = useRef<HTMLDivElement>(null);
  const mounted = useRef(false);
  useEffect(() => {
    // A table that has just mounted is at its top, where its first row is: reading the rows'
    // layout to find that out would force the browser to lay out the page mid-render.
    if (mounted.current || selected > 0) keepRowInView(paneRef.current, selected);
    mounted.current = true;
    if (!revealOnPage.current) return;
    revealOnPage.current = false;
    revealSelectedRow(paneRef.current);
  }, [selected]);

  return (
    <div
      className="requests-pane"
      data-testid="session-requests"
      ref={paneRef}
      style={{ height: REQUESTS_PANE_PX }}
    >
      <div className="list-head">
        <h2>{heading}</h2>
        <ReplayBar
          replay={replay}
          index={selected}
          total={props.total}
          currentUs={currentUs}
          previousUs={selected > 0 ? rows[selected - 1]?.tsUs : undefined}
        />
      </div>
      {pages.error ? <ErrorNote error={pages.error} onRetry={pages.reload} /> : null}
      <VirtualTable
        label={heading}
        maxViewportHeight={REQUESTS_PANE_PX}
        rows={pages.rows}
        columns={columns}
        rowKey={(r) => r.id}
        selected={selected}
        onSelect={onSelect}
        onOpen={(r) => navigate({ view: 'request', requestId: r.id })}
        searchable
        hasMore={pages.hasMore}
        loading={pages.loading}
        onLoadMore={pages.loadMore}
        rowClassName={(r) => (r.attacks.length > 0 ? 'attack' : r.outlier ? 'outlier' : undefined)}
        rowTitle={(r) => outlierTitle(r, i18n)}
        empty={t('session.requestsEmpty')}
        autoFocus
      />
    </div>
  );
}

/**
 * Scrolls the table so row `index` is visible when something other than the table's own keys
 * (the replay, a restored link) moved the selection. Rows are fixed-height, so the offset is
 * index × height even when the row is not rendered yet; centring keeps the next steps of a
 * replay on screen.
 */
function keepRowInView(pane: HTMLElement | null, index: number): void {
  const scroller = pane?.querySelector<HTMLElement>('.vtable-scroll');
  if (!scroller) return;
  const rowHeight = scroller.querySelector<HTMLElement>('.vtable-row')?.offsetHeight || 26;
  const top = index * rowHeight;
  // Rows show below the sticky header: the view for rows is that much shorter.
  const view = scroller.clientHeight - HEAD_HEIGHT;
  if (top >= scroller.scrollTop && top + rowHeight <= scroller.scrollTop + view) return;
  scroller.scrollTop = Math.max(0, top - (view - rowHeight) / 2);
}

/** Scrolls the page (not the table) just enough to show the selected row, once it is drawn. */
function revealSelectedRow(pane: HTMLElement | null): void {
  // Two frames: the table's own scroll first re-renders which rows exist.
  requestAnimationFrame(() =>
    requestAnimationFrame(() =>
      pane?.querySelector('.vtable-row.selected')?.scrollIntoView({ block: 'nearest' }),
    ),
  );
}
