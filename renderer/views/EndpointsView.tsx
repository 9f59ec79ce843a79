import { useMemo, useState, type ReactNode } from 'react';
import {
  ENDPOINT_SORTS,
  type EndpointSort,
  type EndpointSummary,
} from '../../shared/contract/analysisApi';
import type { ErrorInfo } from '../../shared/contract/errors';
import { useApi } from '../api/ApiContext';
import { Chip } from '../components/Chip';
import { ErrorNote } from '../components/ErrorNote';
import { VirtualTable, type Column, type SortState } from '../components/VirtualTable';
import { useKeysetPages } from '../hooks/useKeysetPages';
import { useI18n } from '../i18n/I18nContext';
import { FLOW_CHOICES } from '../state/filters';
import { useViewState } from '../state/ViewStateContext';

function errorShare(e: EndpointSummary): number {
  let err = 0;
  for (const [code, n] of Object.entries(e.statusMix)) if (/^[45]/.test(code)) err += n;
  return e.requestCount > 0 ? err / e.requestCount : 0;
}

const SORTS: ReadonlySet<string> = new Set(ENDPOINT_SORTS);
const PAGE = 500;

/** An ISO time of the contract as microseconds, for the formatter (NaN: shown as a dash). */
function isoUs(iso: string): number {
  return Date.parse(iso) * 1000;
}

/**
 * The endpoint inventory (path templates) with volume, latency, error share and flows, sorted
 * and paged by the backend (a scanner's case holds hundreds of thousands); the selected
 * endpoint's flow tags can be changed (audited by the backend, which re-runs what depends on it).
 */
export function EndpointsView(): ReactNode {
  const { t, fmt } = useI18n();
  const client = useApi();
  const { state, update, navigate } = useViewState();
  const [sort, setSort] = useState<SortState>({ column: 'requests', dir: 'desc' });
  const [total, setTotal] = useState<number | null>(null);
  const pages = useKeysetPages<EndpointSummary>(
    async (cursor) => {
      const r = await client.call('listEndpointPage', {
        sort: SORTS.has(sort.column) ? (sort.column as EndpointSort) : 'requests',
        dir: sort.dir,
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      });
      if (!r.ok) return r;
      setTotal(r.value.total);
      return { ok: true, value: { items: r.value.items, nextCursor: r.value.nextCursor } };
    },
    `endpoints|${sort.column}|${sort.dir}`,
    { keepWhileLoading: true },
  );
  const [edited, setEdited] = useState<Record<string, EndpointSummary>>({});
  const [error, setError] = useState<ErrorInfo | null>(null);
  const selected = state.selected.endpoints ?? 0;
  const rows = useMemo(() => pages.rows.map((e) => edited[e.id] ?? e), [pages.rows, edited]);

  const columns: Column<EndpointSummary>[] = [
    {
      id: 'method',
      header: t('col.method'),
      width: '64px',
      render: (e) => <span className="mono">{e.method}</span>,
    },
    {
      id: 'host',
      header: t('col.host'),
      width: 'minmax(100px, 1fr)',
      render: (e) => e.host,
      title: (e) => e.host,
    },
    {
      id: 'template',
      header: t('col.endpoint'),
      width: 'minmax(200px, 3fr)',
      sortable: true,
      render: (e) => <span className="mono">{e.template}</span>,
      title: (e) => e.template,
    },
    {
      id: 'requests',
      header: t('col.requests'),
      width: '96px',
      align: 'right',
      sortable: true,
      render: (e) => fmt.num(e.requestCount),
    },
    {
      id: 'median',
      header: t('col.median'),
      width: '100px',
      align: 'right',
      sortable: true,
      render: (e) => fmt.ms(e.latencyMs.median),
    },
    {
      id: 'p95',
      header: t('col.p95'),
      width: '72px',
      align: 'right',
      sortable: true,
      render: (e) => fmt.ms(e.latencyMs.p95),
    },
    {
      id: 'errors',
      header: t('col.errors'),
      width: '64px',
      align: 'right',
      sortable: true,
      render: (e) => fmt.pct(errorShare(e)),
      title: (e) =>
        Object.entries(e.statusMix)
          .map(([c, n]) => `${c}: ${n}`)
          .join('\n'),
    },
    {
      id: 'flows',
      header: t('col.flows'),
      width: 'minmax(120px, 1.2fr)',
      render: (e) => (
        <span className="cell-chips">
          {e.flows.map((f) => (
            <Chip key={f} label={f} tone="accent" />
          ))}
        </span>
      ),
    },
    {
      id: 'outliers',
      header: t('col.outliers'),
      width: '70px',
      align: 'right',
      sortable: true,
      render: (e) => fmt.num(e.outlierCount),
    },
    {
      id: 'firstSeen',
      header: t('col.firstSeen'),
      width: '184px',
      render: (e) => <span className="mono">{fmt.ts(isoUs(e.firstSeen))}</span>,
    },
    {
      id: 'lastSeen',
      header: t('col.lastSeen'),
      width: '184px',
      render: (e) => <span className="mono">{fmt.ts(isoUs(e.lastSeen))}</span>,
    },
  ];

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
      </div>
      {pages.error ? <ErrorNote error={pages.error} onRetry={pages.reload} /> : null}
      {error ? <ErrorNote error={error} /> : null}
      <VirtualTable
        label={t('endpoints.title')}
        rows={rows}
        columns={columns}
        rowKey={(e) => e.id}
        selected={selected}
        onSelect={(i) => update((s) => ({ selected: { ...s.selected, endpoints: i } }))}
        onOpen={(e) =>
          navigate({
            view: 'sessions',
            filters: { ...state.filters, endpoints: [e.id] },
            selected: { ...state.selected, sessions: 0 },
          })
        }
        sort={sort}
        onSort={(c) =>
          setSort((s) =>
            s.column === c
              ? { column: c, dir: s.dir === 'asc' ? 'desc' : 'asc' }
              : { column: c, dir: 'desc' },
          )
        }
        hasMore={pages.hasMore}
        loading={pages.loading}
        onLoadMore={pages.loadMore}
        rowClassName={(e) => (e.outlierCount > 0 ? 'outlier' : undefined)}
        empty={pages.loading ? t('app.loading') : t('endpoints.empty')}
        autoFocus
      />
      {current ? (
        <div className="filterbar">
          <span className="filterbar-label">
            {t('endpoints.setFlow')}:{' '}
            <span className="mono">
              {current.method} {current.template}
            </span>
          </span>
          <span className="chips">
            {FLOW_CHOICES.map((f) => (
              <Chip
                key={f}
                label={`${current.flows.includes(f) ? '✓ ' : ''}${f}${current.autoFlows.includes(f) ? ' (auto)' : ''}`}
                tone={current.flows.includes(f) ? 'accent' : 'neutral'}
                onClick={() => void toggleFlow(current, f)}
              />
            ))}
          </span>
        </div>
      ) : null}
    </div>
  );
}
