import type { ReactNode } from 'react';
import type { RequestDetail } from '../../../shared/contract/analysisApi';
import { useApi } from '../../api/ApiContext';
import { ErrorNote } from '../../components/ErrorNote';
import { KeyValueTable } from '../../components/KeyValueTable';
import { MatchedText } from '../../components/HighlightedText';
import { NotFoundPage } from '../../components/NotFoundPage';
import { Panel } from '../../components/Panel';
import { TruncatedText } from '../../components/TruncatedText';
import { VisibleText, visibleText } from '../../components/VisibleText';
import { useResult } from '../../hooks/useResult';
import { useI18n } from '../../i18n/I18nContext';
import { useCase } from '../../state/CaseContext';
import { useViewState } from '../../state/ViewStateContext';
import { outlierTitle, statusClass } from '../session/requestColumns';
import { useOpenEndpointSessions } from '../sessions/openSessions';
import { DetectionsPanel } from './DetectionsPanel';
import { EndpointInsights } from './EndpointInsights';
import { findHeader, headerText, parseCookies } from './cookies';
import { LongValue } from './LongValue';
import { useRequestSession } from './useRequestSession';

const text = (v: string | number | null | undefined): string =>
  v === null || v === undefined ? '—' : String(v);

/** Every field of one request, its headers, cookies and bodies (inert text), detections, insights. */
export function RequestDetails(): ReactNode {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const client = useApi();
  const { caseInfo } = useCase();
  const { state } = useViewState();
  const id = state.requestId ?? 0;
  const req = useResult(() => client.call('getRequest', { id }), String(id));
  // Only this request's answer: the one shown before stays out while another id loads.
  const r: RequestDetail | undefined = req.value?.id === id ? req.value : undefined;
  const openSession = useRequestSession(r?.sessionId);
  const openEndpointSessions = useOpenEndpointSessions();
  // No such request in the case (a link or an edited address named it): said as such, not as
  // an error to retry.
  if (state.requestId === null || req.error?.code === 'NOT_FOUND') {
    return (
      <NotFoundPage
        title={t('request.notFound')}
        text={state.requestId === null ? undefined : t('request.notFoundText', { id })}
        testId="request-not-found"
      />
    );
  }
  if (req.error)
    return (
      <div className="page">
        <ErrorNote error={req.error} onRetry={req.reload} />
      </div>
    );
  if (!r) return <p className="page muted">{t('app.loading')}</p>;

  // The fields the free-text filter searches, its needle marked in them: the filters of the
  // session it was opened from (its requests table), else the case's.
  const needle = (state.sessionId === r.sessionId ? state.sessionFilters : state.filters).text;
  // A long value shows its start, with "show all" and "copy" (the fields after it stay in view).
  // Keyed by the request: another request shown here starts its values folded, none "Copied".
  const valueKey = (name: string): string => `${r.id}:${name}`;
  const matched = (name: string, v: string | null): ReactNode =>
    v === null ? (
      '—'
    ) : (
      <LongValue
        key={valueKey(name)}
        text={v}
        name={name}
        needle={needle}
        render={(s) => <MatchedText text={s} needle={needle} />}
      />
    );
  const plain = (name: string, v: string | null | undefined): ReactNode =>
    v === null || v === undefined ? (
      '—'
    ) : (
      <LongValue
        key={valueKey(name)}
        text={v}
        name={name}
        render={(s) => <VisibleText text={s} />}
      />
    );
  const source = caseInfo?.sources.find((s) => s.id === r.sourceId);
  const endpointLabel = t('request.endpointSessions', {
    endpoint: `${visibleText(r.template)} (${r.endpointId})`,
  });
  const fields: [string, ReactNode][] = [
    ['time', `${fmt.ts(r.tsUs)} (${fmt.zoneName})`],
    ['method', text(r.method)],
    ['scheme', text(r.scheme)],
    ['host', plain('host', r.host)],
    ['path', matched('path', r.path)],
    ['query', matched('query', r.query)],
    ['protocol', plain('protocol', r.protocol)],
    [
      'status',
      <span key="s" className={statusClass(r.status)}>
        {text(r.status)}
      </span>,
    ],
    [
      'latency, ms',
      <span key="l" title={outlierTitle(r, i18n, 'latency')}>
        {fmt.ms(r.latencyMs)}
        {r.latency?.outlier ? ' ⚠' : ''}
      </span>,
    ],
    ['request bytes', fmt.bytes(r.reqBytes)],
    [
      'response bytes',
      <span key="b" title={outlierTitle(r, i18n, 'size')}>
        {fmt.bytes(r.respBytes)}
        {r.size?.outlier ? ' ⚠' : ''}
      </span>,
    ],
    ['ip', text(r.ip)],
    ['user agent', matched('user agent', r.userAgent)],
    ['referer', matched('referer', r.referer)],
    ['request id', plain('request id', r.requestId)],
    ['user', plain('user', r.user)],
    ['role', plain('role', r.role)],
    [
      'session',
      <button
        key="s"
        type="button"
        className="btn btn-link mono"
        aria-label={t('request.openSession', { id: r.sessionId })}
        title={t('request.openSession', { id: r.sessionId })}
        onClick={openSession ?? undefined}
      >
        {r.sessionId}
      </button>,
    ],
    [
      'endpoint',
      <button
        key="e"
        type="button"
        className="btn btn-link mono wrap-anywhere"
        aria-label={endpointLabel}
        title={endpointLabel}
        onClick={() => openEndpointSessions(r.endpointId)}
      >
        {/* One flex item: the button's gap would part the text around an escape. */}
        <span>
          <VisibleText text={r.template} /> ({r.endpointId})
        </span>
      </button>,
    ],
    ['flows', r.flows.join(', ') || '—'],
    [
      'source session / user / role / label',
      plain(
        'source session / user / role / label',
        [r.srcSession, r.srcUser, r.srcRole, r.srcLabel].map(text).join(' / '),
      ),
    ],
    [
      t('request.source'),
      // The file's name (its path on hover) and the line: `access.log, line 1266`.
      <span key="src" title={source ? visibleText(source.path) : undefined}>
        <VisibleText
          text={t('request.sourceLine', {
            file: source?.fileName ?? `#${r.sourceId}`,
            line: fmt.lineNo(r.lineNo),
          })}
        />
      </span>,
    ],
  ];
  const long = (rows: readonly (readonly [string, string])[]): [string, ReactNode][] =>
    rows.map(([k, v]) => [k, plain(k, v)]);
  const headers = long(
    Object.entries(r.headers ?? {}).map(([k, v]) => [k, headerText(v)] as const),
  );
  const respHeaders = long(
    Object.entries(r.respHeaders ?? {}).map(([k, v]) => [k, headerText(v)] as const),
  );
  const cookies = long(parseCookies(findHeader(r.headers, 'cookie')));
  const extra = long(Object.entries(r.extra ?? {}).map(([k, v]) => [k, headerText(v)] as const));

  // A long path or query ends in an ellipsis; the title holds all of it (as text).
  const target = `${r.path ?? ''}${r.query !== null ? `?${r.query}` : ''}`;
  return (
    <div className="page" data-testid="request-details">
      <div className="list-head">
        <h1 className="mono text-clip" title={visibleText(`${text(r.method)} ${target}`)}>
          <VisibleText text={text(r.method)} />{' '}
          <span>
            <VisibleText text={r.path ?? ''} />
          </span>
          {r.query !== null ? (
            <span className="muted">
              ?<VisibleText text={r.query} />
            </span>
          ) : null}
        </h1>
        <span className={statusClass(r.status)}>{text(r.status)}</span>
      </div>
      <div className="request-grid">
        <Panel title={t('request.fields')}>
          <KeyValueTable rows={fields} label={t('request.fields')} />
        </Panel>
        <div className="page-col">
          <Panel title={t('request.detections')}>
            <DetectionsPanel request={r} />
          </Panel>
          <Panel title={t('request.insights')}>
            <EndpointInsights request={r} />
          </Panel>
        </div>
        <Panel title={t('request.headers')}>
          <KeyValueTable rows={headers} empty={t('request.empty')} label={t('request.headers')} />
        </Panel>
        <Panel title={t('request.cookies')}>
          <KeyValueTable rows={cookies} empty={t('request.empty')} label={t('request.cookies')} />
        </Panel>
        <Panel title={t('request.body')}>
          {r.reqBody ? (
            <TruncatedText text={r.reqBody} />
          ) : (
            <p className="muted">{t('request.empty')}</p>
          )}
        </Panel>
        <Panel title={t('request.respHeaders')}>
          <KeyValueTable
            rows={respHeaders}
            empty={t('request.empty')}
            label={t('request.respHeaders')}
          />
        </Panel>
        <Panel title={t('request.respBody')}>
          {r.respBody ? (
            <TruncatedText text={r.respBody} />
          ) : (
            <p className="muted">{t('request.empty')}</p>
          )}
        </Panel>
        <Panel title={t('request.extra')}>
          <KeyValueTable rows={extra} empty={t('request.empty')} label={t('request.extra')} />
        </Panel>
      </div>
    </div>
  );
}
