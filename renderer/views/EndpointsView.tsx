import { useCallback, useMemo, useState, type ReactNode } from 'react';
import {
  ENDPOINT_SORTS,
  type EndpointFilters,
  type EndpointSort,
  type EndpointSummary,
} from '../../shared/contract/analysisApi';
import type { ErrorInfo } from '../../shared/contract/errors';
import { useApi } from '../api/ApiContext';
import { Chip } from '../components/Chip';
import { DownloadCsv } from '../components/DownloadCsv';
import { ErrorNote } from '../components/ErrorNote';
import { useRebuilds } from '../components/RebuildProgress';
import { VirtualTable, type SortState } from '../components/VirtualTable';
import { SelectionMissingNote } from '../components/SelectionMissingNote';
import { VisibleText, visibleText } from '../components/VisibleText';
import { useKeysetPages } from '../hooks/useKeysetPages';
import { useSelectedById } from '../hooks/useSelectedById';
import { useI18n } from '../i18n/I18nContext';
import { FLOW_CHOICES } from '../state/filters';
import { useViewState } from '../state/ViewStateContext';
import { endpointColumns, riskText, specText } from './endpoints/endpointColumns';
import { EndpointFilterBar } from './endpoints/EndpointFilterBar';
import { SpecPanel } from './endpoints/SpecPanel';
import { useEndpointAlias } from './endpoints/useEndpointAlias';
import { useOpenEndpointSessions } from './sessions/openSessions';

const SORTS: ReadonlySet<string> = new Set(ENDPOINT_SORTS);
const NO_FILTERS = {};
const PAGE = 500;
const DEFAULT_SORT: SortState = { column: 'requests', dir: 'desc' };
/** How far down the list a link's endpoint is looked for (pages of PAGE). */
const LOOK_FOR_ROWS = 20_000;

/** The filters that narrow something, or none (so the link and the key leave them out). */
function narrowing(f: EndpointFilters): EndpointFilters | undefined {
  const kept = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
  return Object.keys(kept).length > 0 ? (kept as EndpointFilters) : undefined;
}

/**
 * The endpoint inventory (path templates) with risk, volume, latency, error share and flows,
 * and spec status once a spec is loaded, sorted and paged by the backend (a scanner's case holds
 * hundreds of thousands); the selected endpoint's risk factors are spelled out and its flow tags
 * can be changed (audited by the backend, which re-runs what depends on it). The API specs
 * panel loads specs and lists the orphans.
 */
export function EndpointsView(): ReactNode {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const client = useApi();
  const { state, update } = useViewState();
  const openEndpointSessions = useOpenEndpointSessions();
  // Filters and sort are the view state's, so the view's link carries them (its `lf`).
  const own = state.listFilters.endpoints;
  const sort: SortState = own?.sort ?? DEFAULT_SORT;
  const filters: EndpointFilters = own?.filters ?? NO_FILTERS;
  const filtered = narrowing(filters) !== undefined;
  const setOwn = useCallback(
    (patch: { filters?: EndpointFilters; sort?: SortState }): void =>
      update((s) => {
        const before = s.listFilters.endpoints ?? {};
        const f = narrowing('filters' in patch ? (patch.filters ?? {}) : (before.filters ?? {}));
        const newFilters =
          JSON.stringify(f ?? {}) !== JSON.stringify(narrowing(before.filters ?? {}) ?? {});
        const o = 'sort' in patch ? patch.sort : before.sort;
        if (!newFilters && !('sort' in patch)) return {};
        const next = {
          ...(f ? { filters: f } : {}),
          ...(o &&
          SORTS.has(o.column) &&
          (o.column !== DEFAULT_SORT.column || o.dir !== DEFAULT_SORT.dir)
            ? { sort: { column: o.column as EndpointSort, dir: o.dir } }
            : {}),
        };
        const { endpoints: _lf, ...otherLists } = s.listFilters;
        const { endpoints: _id, ...otherIds } = s.selectedIds;
        return {
          listFilters:
            Object.keys(next).length > 0 ? { ...otherLists, endpoints: next } : otherLists,
          // A new sort keeps the endpoint selected (found at its new row); new filters start over.
          ...(newFilters
            ? { selected: { ...s.selected, endpoints: 0 }, selectedIds: otherIds }
            : {}),
        };
      }),
    [update],
  );
  // The search box keeps its own text while it is typed in: filters set from outside (a link,
  // Back) start it again with theirs, so it never sends its older text over them.
  const [barText, setBarText] = useState(filters.text);
  const [barKey, setBarKey] = useState(0);
  if (barText !== filters.text) {
    setBarText(filters.text);
    setBarKey((k) => k + 1);
  }
  const setFilters = useCallback(
    (f: EndpointFilters) => {
      setBarText(f.text);
      setOwn({ filters: f });
    },
    [setOwn],
  );
  const rebuilds = useRebuilds();
  const [total, setTotal] = useState<number | null>(null);
  const pages = useKeysetPages<EndpointSummary>(
    async (cursor) => {
      const r = await client.call('listEndpointPage', {
        sort: SORTS.has(sort.column) ? (sort.column as EndpointSort) : 'requests',
        dir: sort.dir,
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
        ...(filtered ? { filters } : {}),
      });
      if (!r.ok) return r;
      setTotal(r.value.total);
      return { ok: true, value: { items: r.value.items, nextCursor: r.value.nextCursor } };
    },
    // A rebuild (whoever started it) re-scores and may renumber endpoints: read them again.
    `endpoints|${sort.column}|${sort.dir}|${JSON.stringify(filters)}|${rebuilds.done}`,
    { keepWhileLoading: true },
  );
  const [edited, setEdited] = useState<Record<string, EndpointSummary>>({});
  const [error, setError] = useState<ErrorInfo | null>(null);
  const rows = useMemo(() => pages.rows.map((e) => edited[e.id] ?? e), [pages.rows, edited]);
  // Selected by endpoint id (a link's, or the row picked here), looked for through the pages.
  const onFound = useCallback(
    (i: number) => update((s) => ({ selected: { ...s.selected, endpoints: i } })),
    [update],
  );
  const { selected, missing } = useSelectedById({
    rows,
    idOf: (e) => e.id,
    id: state.selectedIds.endpoints,
    row: state.selected.endpoints ?? 0,
    hasMore: pages.hasMore,
    busy: pages.loading || pages.stale,
    loadMore: pages.loadMore,
    maxRows: LOOK_FOR_ROWS,
    onFound,
  });
  const selectId = useCallback(
    (id: string) => update((s) => ({ selectedIds: { ...s.selectedIds, endpoints: id } })),
    [update],
  );
  useEndpointAlias(state.selectedIds.endpoints, missing, selectId);

  // The spec column once any endpoint has a status against a loaded spec.
  const withSpec = rows.some((e) => e.spec !== null);
  const columns = endpointColumns(i18n, withSpec);

  const current = rows[selected];
  const toggleFlow = async (
    e: EndpointSummary,
    flow: (typeof FLOW_CHOICES)[number],
  ): Promise<void> => {
    const r = await client.call('setEndpointFlow', {
      endpointId: e.id,
      flow,
      action: e.flows.includes(flow) ? 'remove' : 'add',
    });
    if (r.ok) {
      setError(null);
      setEdited((m) => ({ ...m, [e.id]: r.value }));
    } else setError(r.error);
  };

  return (
    <div className="list-page" data-testid="endpoints">
      <div className="list-head">
        <h1>{t('endpoints.title')}</h1>
        <span className="muted">{total === null ? '' : fmt.num(total)}</span>
        <DownloadCsv
          table="endpoints"
          filters={NO_FILTERS}
          {...(filtered ? { endpointFilters: filters } : {})}
          title={t(filtered ? 'export.downloadEndpointsFiltered' : 'export.downloadEndpoints')}
        />
      </div>
      <SpecPanel
        rebuilds={rebuilds}
        onLoaded={() => {
          // Spec status and every endpoint's risk changed: the flow edits' copies too.
          setEdited({});
          pages.reload();
        }}
      />
      <EndpointFilterBar key={barKey} filters={filters} onChange={setFilters} withSpec={withSpec} />
      {pages.error ? <ErrorNote error={pages.error} onRetry={pages.reload} /> : null}
      {error ? <ErrorNote error={error} /> : null}
      <SelectionMissingNote
        missing={missing}
        gone={t('endpoints.selectedGone')}
        beyond={t('endpoints.selectedBeyond', { n: fmt.num(LOOK_FOR_ROWS) })}
        testId="selection-missing"
      />
      <VirtualTable
        label={t('endpoints.title')}
        rows={rows}
        columns={columns}
        rowKey={(e) => e.id}
        selected={selected}
        onSelect={(i) => {
          const id = rows[i]?.id;
          update((s) => ({
            selected: { ...s.selected, endpoints: i },
            selectedIds: id === undefined ? s.selectedIds : { ...s.selectedIds, endpoints: id },
          }));
        }}
        onOpen={(e) => openEndpointSessions(e.id)}
        searchable
        sort={sort}
        onSort={(c) =>
          setOwn({
            sort:
              sort.column === c
                ? { column: c, dir: sort.dir === 'asc' ? 'desc' : 'asc' }
                : { column: c, dir: 'desc' },
          })
        }
        hasMore={pages.hasMore}
        loading={pages.loading}
        onLoadMore={pages.loadMore}
        rowClassName={(e) => (e.outlierCount > 0 ? 'outlier' : undefined)}
        empty={
          pages.loading
            ? t('app.loading')
            : filtered
              ? t('endpoints.noneMatch')
              : t('endpoints.empty')
        }
        autoFocus
      />
      {current ? <EndpointFacts endpoint={current} /> : null}
      {current ? (
        <div className="filterbar">
          <span className="filterbar-label">
            {t('endpoints.setFlow')}:{' '}
            <span className="mono">
              <VisibleText text={`${current.method} ${current.template}`} />
            </span>
          </span>
          <span className="chips">
            {FLOW_CHOICES.map((f) => (
              <Chip
                key={f}
                label={`${current.flows.includes(f) ? '✓ ' : ''}${f}${current.autoFlows.includes(f) ? ' (auto)' : ''}`}
                tone={current.flows.includes(f) ? 'accent' : 'neutral'}
                // A flow tag writes the case: not while a rebuild holds it.
                onClick={rebuilds.running ? undefined : () => void toggleFlow(current, f)}
              />
            ))}
          </span>
          {rebuilds.running ? (
            <span className="muted">{t('endpoints.flowWaitRebuild')}</span>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/**
 * The selected endpoint's risk factors and spec status, readable without hovering. Two lines
 * high whatever it holds (CSS: .endpoint-facts), so the table above keeps its height as the
 * selection moves; longer text is clipped there and whole in the title. Log text, as text,
 * its control characters shown (riskText and specText show those they quote).
 */
function EndpointFacts({ endpoint: e }: { endpoint: EndpointSummary }): ReactNode {
  const i18n = useI18n();
  const facts =
    riskText(e, i18n).split('\n').join(' · ') +
    (e.spec ? ` · ${i18n.t('col.spec')}: ${specText(e, i18n) ?? ''}` : '');
  return (
    <p
      className="endpoint-facts"
      data-testid="endpoint-risk"
      title={`${visibleText(`${e.method} ${e.template}`)}: ${facts}`}
    >
      <span className="mono">
        <VisibleText text={`${e.method} ${e.template}`} />
      </span>
      {': '}
      {facts}
    </p>
  );
}
