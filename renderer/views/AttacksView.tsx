import { useCallback, useMemo, type ReactNode } from 'react';
import type { z } from 'zod';
import type { AttackListItem, storedTypeSchema } from '../../shared/contract/detectApi';
import { useApi } from '../api/ApiContext';
import { Chip } from '../components/Chip';
import { ErrorNote } from '../components/ErrorNote';
import { useRebuilds } from '../components/RebuildProgress';
import { VirtualTable, type Column } from '../components/VirtualTable';
import { SelectionMissingNote } from '../components/SelectionMissingNote';
import { VisibleText, visibleText } from '../components/VisibleText';
import { useKeysetPages } from '../hooks/useKeysetPages';
import { useSelectedById } from '../hooks/useSelectedById';
import { useResult } from '../hooks/useResult';
import { useI18n } from '../i18n/I18nContext';
import { useViewState } from '../state/ViewStateContext';
import { AttackGroupsPanel } from './attacks/AttackGroupsPanel';
import { useOpenSessions } from './sessions/openSessions';

type StoredType = z.infer<typeof storedTypeSchema>;

/** How far down the findings a link's finding is looked for (pages of 300). */
const LOOK_FOR_FINDINGS = 30_000;

/**
 * A finding's key in a link: its request, rule, place and offset, which a rebuild finds again
 * the same; its row id is renumbered whenever the findings are judged again.
 */
export const findingKey = (a: AttackListItem): string =>
  `${a.requestId}.${a.ruleId}.${a.location ?? a.source}.${a.start ?? '-'}`;

/**
 * Attacks across the case: per type, grouped by path (each with its endpoint), and every
 * finding in time order. Picking a type narrows the groups and findings; a group opens the
 * sessions holding its requests (or its example request); a finding opens its request.
 * Findings judged false positives are not in these lists (the backend leaves them out); the
 * request shows them. Methods, paths, parameters and fragments are log text: text only, their
 * control characters shown (VisibleText; as a string in titles and labels).
 */
export function AttacksView(): ReactNode {
  const { t, fmt } = useI18n();
  const client = useApi();
  const { state, update, navigate } = useViewState();
  const openSessions = useOpenSessions();
  // The type picked is the view state's, so the view's link carries it (its `lf`).
  const type = state.listFilters.attacks?.type ?? null;
  const setType = (next: StoredType | null): void =>
    update((s) => {
      if ((s.listFilters.attacks?.type ?? null) === next) return {};
      const { attacks: _lf, ...otherLists } = s.listFilters;
      const { attacks: _f, attackGroups: _g, ...otherIds } = s.selectedIds;
      return {
        listFilters: next === null ? otherLists : { ...otherLists, attacks: { type: next } },
        selected: { ...s.selected, attacks: 0, attackGroups: 0 },
        selectedIds: otherIds,
      };
    });
  const rebuilds = useRebuilds();
  // The types and how many groups there are; the groups come a page at a time (the panel).
  const summary = useResult(
    () => client.call('listAttacks', { limit: 1, groupLimit: 1, ...(type ? { type } : {}) }),
    `summary|${type ?? ''}|${rebuilds.done}`,
  );
  const items = useKeysetPages<AttackListItem>(
    async (cursor) => {
      const r = await client.call('listAttacks', {
        limit: 300,
        summaries: false,
        ...(type ? { type } : {}),
        ...(cursor ? { cursor } : {}),
      });
      return r.ok
        ? { ok: true, value: { items: r.value.items, nextCursor: r.value.nextCursor } }
        : r;
    },
    // A rebuild (whoever started it) finds the attacks again.
    `items|${type ?? ''}|${rebuilds.done}`,
  );
  const types = summary.value?.types ?? [];
  const onFound = useCallback(
    (i: number) => update((s) => ({ selected: { ...s.selected, attacks: i } })),
    [update],
  );
  const findings = useSelectedById({
    rows: items.rows,
    idOf: findingKey,
    id: state.selectedIds.attacks,
    row: state.selected.attacks ?? 0,
    hasMore: items.hasMore,
    busy: items.loading,
    loadMore: items.loadMore,
    maxRows: LOOK_FOR_FINDINGS,
    onFound,
  });
  // Not inside a session: a session visited earlier must not reach its link or its highlight.
  const openRequest = useCallback(
    (requestId: number): void => navigate({ view: 'request', requestId, sessionId: null }),
    [navigate],
  );
  const columns: Column<AttackListItem>[] = useMemo(
    () => [
      {
        id: 'time',
        header: t('col.time'),
        width: '196px',
        render: (a) => <span className="mono">{fmt.ts(a.tsUs)}</span>,
      },
      {
        id: 'type',
        header: t('col.type'),
        width: '90px',
        render: (a) => <Chip tone="danger" label={a.type} />,
      },
      {
        id: 'rule',
        header: t('attacks.rule'),
        width: '150px',
        render: (a) => <span className="mono">{a.ruleId}</span>,
      },
      {
        id: 'where',
        header: t('col.location'),
        width: '130px',
        render: (a) => (
          <span className="mono">
            {a.location ?? a.source}
            {a.param ? (
              <>
                {': '}
                <VisibleText text={a.param} />
              </>
            ) : null}
          </span>
        ),
      },
      {
        id: 'method',
        header: t('col.method'),
        // "OPTIONS" whole (50.6 px of the table's monospace).
        width: '68px',
        render: (a) => (
          <span className="mono">
            <VisibleText text={a.method ?? '—'} />
          </span>
        ),
      },
      {
        id: 'path',
        header: t('col.path'),
        width: 'minmax(160px, 2fr)',
        render: (a) => (
          <span className="mono">
            <VisibleText text={a.path ?? '—'} />
          </span>
        ),
        title: (a) => (a.path === null ? undefined : visibleText(a.path)),
      },
      {
        id: 'fragment',
        header: t('col.fragment'),
        width: 'minmax(160px, 2fr)',
        render: (a) => (
          <mark className="match mono">
            <VisibleText text={a.fragment ?? ''} />
          </mark>
        ),
        title: (a) => (a.fragment === null ? undefined : visibleText(a.fragment)),
      },
    ],
    [t, fmt],
  );

  return (
    <div className="list-page" data-testid="attacks">
      <div className="list-head">
        <h1>{t('attacks.title')}</h1>
        <span className="chips">
          <Chip
            label={t('attacks.all')}
            tone={type === null ? 'accent' : 'neutral'}
            onClick={() => setType(null)}
          />
          {types.map((s) => (
            <Chip
              key={s.type}
              tone={type === s.type ? 'danger' : 'neutral'}
              label={`${s.type} · ${fmt.num(s.requests)}`}
              title={t('attacks.typeTitle', {
                detections: fmt.num(s.detections),
                engine: fmt.num(s.engine),
                sourceLabel: fmt.num(s.sourceLabel),
                custom: fmt.num(s.custom),
              })}
              onClick={() => setType(s.type as StoredType)}
            />
          ))}
        </span>
        {type ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => openSessions({ attackTypes: [type] })}
          >
            {t('nav.sessions')} → {type}
          </button>
        ) : null}
      </div>
      <p className="muted small">
        {t('attacks.fpNote')}{' '}
        <button type="button" className="btn btn-link" onClick={() => navigate({ view: 'rules' })}>
          {t('nav.rules')}
        </button>
      </p>
      {summary.error ? <ErrorNote error={summary.error} onRetry={summary.reload} /> : null}
      {summary.value && types.length === 0 ? <p className="muted">{t('attacks.empty')}</p> : null}
      {summary.value && types.length > 0 ? (
        <AttackGroupsPanel
          type={type}
          total={summary.value.groupsTotal}
          reloadKey={String(rebuilds.done)}
          onOpenRequest={openRequest}
        />
      ) : null}
      <SelectionMissingNote
        missing={findings.missing}
        gone={t('attacks.findingGone')}
        beyond={t('attacks.findingBeyond', { n: fmt.num(LOOK_FOR_FINDINGS) })}
        testId="finding-missing"
      />
      {items.error ? <ErrorNote error={items.error} onRetry={items.reload} /> : null}
      <VirtualTable
        label={t('attacks.title')}
        rows={items.rows}
        columns={columns}
        rowKey={(a) => a.id}
        selected={findings.selected}
        onSelect={(i) => {
          const a = items.rows[i];
          update((s) => ({
            selected: { ...s.selected, attacks: i },
            selectedIds:
              a === undefined ? s.selectedIds : { ...s.selectedIds, attacks: findingKey(a) },
          }));
        }}
        onOpen={(a) => openRequest(a.requestId)}
        hasMore={items.hasMore}
        loading={items.loading}
        onLoadMore={items.loadMore}
        rowClassName={() => 'attack'}
        empty={t('attacks.empty')}
        autoFocus
      />
    </div>
  );
}
