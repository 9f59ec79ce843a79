import { useCallback, useMemo, type ReactNode } from 'react';
import type { AttackGroup } from '../../../shared/contract/detectApi';
import type { Filters } from '../../../shared/query/filterModel';
import { useApi } from '../../api/ApiContext';
import { Chip } from '../../components/Chip';
import { ErrorNote } from '../../components/ErrorNote';
import { Panel } from '../../components/Panel';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { SelectionMissingNote } from '../../components/SelectionMissingNote';
import { VisibleText, visibleText } from '../../components/VisibleText';
import { useKeysetPages } from '../../hooks/useKeysetPages';
import { useSelectedById } from '../../hooks/useSelectedById';
import { useI18n } from '../../i18n/I18nContext';
import { useViewState } from '../../state/ViewStateContext';
import { useOpenSessions } from '../sessions/openSessions';

/** Groups asked for at a time (the backend keeps them all counted: a page is a slice). */
export const GROUP_PAGE = 200;
/** How far down the groups a link's group is looked for. */
const LOOK_FOR_GROUPS = 5_000;
/** The pane's height: the findings below keep the rest of the page. */
const GROUPS_PANE_PX = 260;

/** A placeholder the path templating puts in a path (shared/analysis/pathTemplate.ts). */
const PLACEHOLDER = /\{(?:id|uuid|hash|email|date|token)\}/;

/**
 * A group's key in a link: its type, method and (templated) path, which the analysis derives
 * the same way every time; a row number would name another group once the counts change.
 */
export const groupKey = (g: AttackGroup): string => `${g.type}\t${g.method ?? ''}\t${g.endpoint}`;

/**
 * The filters that list one group's requests: its attack type on its endpoint, narrowed to its
 * path by the free text (a substring of the path) when the endpoint's template covers other
 * paths too. Without an endpoint (a path called on several hosts): its type, method and path.
 * A folded path is no text the requests hold: only its part before the first placeholder is.
 */
export function groupFilters(g: AttackGroup): Filters {
  const f: Filters = { attackTypes: [g.type] };
  if (g.endpointId !== null) f.endpoints = [g.endpointId];
  else if (g.method !== null) f.methods = [g.method];
  const folded = PLACEHOLDER.exec(g.endpoint);
  const literal = (folded ? g.endpoint.slice(0, folded.index) : g.endpoint).slice(0, 1000);
  const narrows = g.endpointId === null ? true : !folded && g.endpointTemplate !== g.endpoint;
  if (narrows && literal.trim().length > 1) f.text = literal;
  return f;
}

/**
 * The attacks grouped by path, largest first, a page of GROUP_PAGE at a time, saying how many
 * of how many are listed (nothing is cut silently). Keyboard-driven like every list: Enter
 * opens the sessions holding a group's requests; its example request opens from its cell.
 */
export function AttackGroupsPanel(props: {
  type: string | null;
  /** All the groups there are (the summary's `groupsTotal`), once known. */
  total: number | null;
  reloadKey: string;
  onOpenRequest: (requestId: number) => void;
}): ReactNode {
  const { t, fmt } = useI18n();
  const client = useApi();
  const { state, update } = useViewState();
  const openSessions = useOpenSessions();
  const { type, total, onOpenRequest } = props;
  const pages = useKeysetPages<AttackGroup>(
    async (cursor) => {
      const offset = cursor === undefined ? 0 : Number(cursor);
      const r = await client.call('listAttacks', {
        limit: 1,
        groupLimit: GROUP_PAGE,
        groupOffset: offset,
        ...(type ? { type } : {}),
      });
      if (!r.ok) return r;
      const next = offset + r.value.groups.length;
      const more = r.value.groups.length > 0 && next < r.value.groupsTotal;
      return { ok: true, value: { items: r.value.groups, nextCursor: more ? String(next) : null } };
    },
    `groups|${type ?? ''}|${props.reloadKey}`,
  );

  const onFound = useCallback(
    (i: number) => update((s) => ({ selected: { ...s.selected, attackGroups: i } })),
    [update],
  );
  const { selected, missing } = useSelectedById({
    rows: pages.rows,
    idOf: groupKey,
    id: state.selectedIds.attackGroups,
    row: state.selected.attackGroups ?? 0,
    hasMore: pages.hasMore,
    busy: pages.loading,
    loadMore: pages.loadMore,
    maxRows: LOOK_FOR_GROUPS,
    onFound,
  });

  const columns: Column<AttackGroup>[] = useMemo(
    () => [
      {
        id: 'type',
        header: t('col.type'),
        width: '90px',
        render: (g) => <Chip tone="danger" label={g.type} />,
      },
      {
        id: 'method',
        header: t('col.method'),
        // "OPTIONS" whole (50.6 px of the table's monospace).
        width: '68px',
        render: (g) => (
          <span className="mono">
            <VisibleText text={g.method ?? '—'} />
          </span>
        ),
      },
      {
        id: 'path',
        header: t('col.path'),
        width: 'minmax(160px, 2fr)',
        render: (g) => (
          <button
            type="button"
            className="btn btn-link mono text-clip"
            tabIndex={-1}
            title={visibleText(g.endpoint)}
            aria-label={t('attacks.groupSessions', {
              type: g.type,
              path: visibleText(g.method ? `${g.method} ${g.endpoint}` : g.endpoint),
            })}
            onClick={() => openSessions(groupFilters(g))}
          >
            <VisibleText text={g.endpoint} />
          </button>
        ),
      },
      {
        id: 'endpoint',
        header: t('col.endpoint'),
        width: 'minmax(140px, 2fr)',
        render: (g) => (
          <span className="mono text-clip">
            <VisibleText text={g.endpointTemplate ?? '—'} />
          </span>
        ),
        title: (g) =>
          g.endpointTemplate === null
            ? t('attacks.severalEndpoints')
            : visibleText(g.endpointTemplate),
      },
      {
        id: 'requests',
        header: t('col.requests'),
        width: '90px',
        align: 'right',
        render: (g) => fmt.num(g.requests),
      },
      {
        id: 'rules',
        header: t('attacks.rules'),
        width: 'minmax(120px, 1fr)',
        render: (g) => <span className="mono small">{g.rules.join(', ')}</span>,
        title: (g) => g.rules.join(', '),
      },
      {
        id: 'example',
        header: t('attacks.example'),
        width: '90px',
        render: (g) => (
          <button
            type="button"
            className="btn btn-link mono"
            tabIndex={-1}
            aria-label={t('attacks.openExample', { id: g.exampleRequestId })}
            title={t('attacks.openExample', { id: g.exampleRequestId })}
            onClick={() => onOpenRequest(g.exampleRequestId)}
          >
            #{g.exampleRequestId}
          </button>
        ),
      },
    ],
    [t, fmt, openSessions, onOpenRequest],
  );

  if (total === 0 || (pages.rows.length === 0 && !pages.loading && !pages.error)) return null;
  const shown = pages.rows.length;
  return (
    <Panel title={t('attacks.groups')} className="attack-groups">
      <p className="muted small" role="status" data-testid="attack-groups-count">
        {total === null || shown === 0
          ? null
          : shown < total
            ? t('attacks.groupsCount', { shown: fmt.num(shown), total: fmt.num(total) })
            : t('attacks.groupsAll', { total: fmt.num(total) })}{' '}
        {pages.hasMore ? (
          <button
            type="button"
            className="btn btn-small"
            disabled={pages.loading}
            onClick={pages.loadMore}
          >
            {t('attacks.groupsMore')}
          </button>
        ) : null}
      </p>
      <SelectionMissingNote
        missing={missing}
        gone={t('attacks.groupGone')}
        beyond={t('attacks.groupBeyond', { n: fmt.num(LOOK_FOR_GROUPS) })}
        testId="group-missing"
      />
      {pages.error ? <ErrorNote error={pages.error} onRetry={pages.reload} /> : null}
      <div className="attack-groups-pane" style={{ height: GROUPS_PANE_PX, display: 'flex' }}>
        <VirtualTable
          label={t('attacks.groups')}
          rows={pages.rows}
          columns={columns}
          rowKey={groupKey}
          selected={selected}
          onSelect={(i) => {
            const g = pages.rows[i];
            update((s) => ({
              selected: { ...s.selected, attackGroups: i },
              selectedIds:
                g === undefined ? s.selectedIds : { ...s.selectedIds, attackGroups: groupKey(g) },
            }));
          }}
          onOpen={(g) => openSessions(groupFilters(g))}
          hasMore={pages.hasMore}
          loading={pages.loading}
          onLoadMore={pages.loadMore}
          rowClassName={() => 'attack'}
          empty={pages.loading ? t('app.loading') : t('attacks.empty')}
          maxViewportHeight={GROUPS_PANE_PX}
        />
      </div>
    </Panel>
  );
}
