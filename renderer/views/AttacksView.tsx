import { useMemo, useState, type ReactNode } from 'react';
import type { z } from 'zod';
import type {
  AttackGroup,
  AttackListItem,
  storedTypeSchema,
} from '../../shared/contract/detectApi';
import type { Filters } from '../../shared/query/filterModel';
import { useApi } from '../api/ApiContext';
import { Chip } from '../components/Chip';
import { ErrorNote } from '../components/ErrorNote';
import { Panel } from '../components/Panel';
import { useRebuilds } from '../components/RebuildProgress';
import { VirtualTable, type Column } from '../components/VirtualTable';
import { VisibleText, visibleText } from '../components/VisibleText';
import { useKeysetPages } from '../hooks/useKeysetPages';
import { useResult } from '../hooks/useResult';
import { useI18n } from '../i18n/I18nContext';
import { useViewState } from '../state/ViewStateContext';
import { useOpenSessions } from './sessions/openSessions';

type StoredType = z.infer<typeof storedTypeSchema>;

/** A placeholder the path templating puts in a path (shared/analysis/pathTemplate.ts). */
const PLACEHOLDER = /\{(?:id|uuid|hash|email|date|token)\}/;

/**
 * The filters that list one group's requests: its attack type on its endpoint, narrowed to its
 * path by the free text (a substring of the path) when the endpoint's template covers other
 * paths too. Without an endpoint (a path called on several hosts): its type, method and path.
 * A folded path is no text the requests hold: only its part before the first placeholder is.
 */
function groupFilters(g: AttackGroup): Filters {
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
  const [type, setType] = useState<StoredType | null>(null);
  const rebuilds = useRebuilds();
  const summary = useResult(
    () => client.call('listAttacks', { limit: 1, groupLimit: 200, ...(type ? { type } : {}) }),
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
  // Not inside a session: a session visited earlier must not reach its link or its highlight.
  const openRequest = (requestId: number): void =>
    navigate({ view: 'request', requestId, sessionId: null });
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
        width: '64px',
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
      {(summary.value?.groups.length ?? 0) > 0 ? (
        <Panel title={t('attacks.groups')} className="attack-groups">
          <table className="data">
            <thead>
              <tr>
                <th>{t('col.type')}</th>
                <th>{t('col.method')}</th>
                <th>{t('col.path')}</th>
                <th>{t('col.endpoint')}</th>
                <th className="num">{t('col.requests')}</th>
                <th>{t('attacks.rules')}</th>
                <th>{t('attacks.example')}</th>
              </tr>
            </thead>
            <tbody>
              {summary.value?.groups.map((g) => (
                <tr key={`${g.type}|${g.method}|${g.endpoint}`}>
                  <td>
                    <Chip tone="danger" label={g.type} />
                  </td>
                  <td className="mono">
                    <VisibleText text={g.method ?? '—'} />
                  </td>
                  <td className="mono cell-clip">
                    <button
                      type="button"
                      className="btn btn-link mono text-clip"
                      title={visibleText(g.endpoint)}
                      aria-label={t('attacks.groupSessions', {
                        type: g.type,
                        path: visibleText(g.method ? `${g.method} ${g.endpoint}` : g.endpoint),
                      })}
                      onClick={() => openSessions(groupFilters(g))}
                    >
                      <VisibleText text={g.endpoint} />
                    </button>
                  </td>
                  <td className="mono cell-clip">
                    <span
                      className="text-clip"
                      title={
                        g.endpointTemplate === null
                          ? t('attacks.severalEndpoints')
                          : visibleText(g.endpointTemplate)
                      }
                    >
                      <VisibleText text={g.endpointTemplate ?? '—'} />
                    </span>
                  </td>
                  <td className="num">{fmt.num(g.requests)}</td>
                  <td className="mono small">{g.rules.join(', ')}</td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-link mono"
                      aria-label={t('attacks.openExample', { id: g.exampleRequestId })}
                      title={t('attacks.openExample', { id: g.exampleRequestId })}
                      onClick={() => openRequest(g.exampleRequestId)}
                    >
                      #{g.exampleRequestId}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      ) : null}
      {items.error ? <ErrorNote error={items.error} onRetry={items.reload} /> : null}
      <VirtualTable
        label={t('attacks.title')}
        rows={items.rows}
        columns={columns}
        rowKey={(a) => a.id}
        selected={state.selected.attacks ?? 0}
        onSelect={(i) => update((s) => ({ selected: { ...s.selected, attacks: i } }))}
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
