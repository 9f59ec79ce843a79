import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { EndpointFilters } from '../../shared/contract/analysisApi';
import type { ExportDoneEvent, ExportQuery } from '../../shared/contract/exportApi';
import type { Filters } from '../../shared/query/filterModel';
import { useApi } from '../api/ApiContext';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/I18nContext';
import { ProgressBar } from './ProgressBar';

type Phase =
  | { kind: 'idle' }
  | { kind: 'running'; rows: number; total: number | null }
  | { kind: 'done'; rows: number; path: string | null }
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string };

/**
 * Browser mode's download route (electron/server/exportDownload.ts), with the single-use
 * ticket the exportTicket call gave for this id and this very query.
 */
export function downloadUrl(exportId: string, query: ExportQuery, ticket: string): string {
  return `/api/export?id=${encodeURIComponent(exportId)}&input=${encodeURIComponent(
    JSON.stringify(query),
  )}&ticket=${encodeURIComponent(ticket)}`;
}

/**
 * Lets the browser save the response itself: it streams to disk and never sits whole in
 * this page's memory. A navigation sends no token header, and browser mode sets no cookie:
 * the URL's ticket, good once for a minute, lets it through (the token never goes in it).
 */
function startBrowserDownload(url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = '';
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

function newExportId(): string {
  return `ex-${crypto.randomUUID()}`;
}

/**
 * "Download CSV" of a session (its requests under the in-session filters), of the sessions
 * list (every matching request under the global filters) or of the endpoint inventory: every
 * row, no cap. The desktop app
 * asks for a file with a native save dialog and writes it there; browser mode downloads a
 * streamed response. Either way progress and the outcome arrive as exportProgress and
 * exportDone events, and Cancel leaves no file behind.
 */
export function DownloadCsv(props: {
  /** The endpoint inventory instead of requests (no filters or session then). */
  table?: 'endpoints';
  /** With the inventory: the endpoints the view shows. */
  endpointFilters?: EndpointFilters;
  filters: Filters;
  sessionId?: string;
  /** The button's tooltip: what will be exported. */
  title: string;
}): ReactNode {
  const { t, fmt } = useI18n();
  const client = useApi();
  const [bom, setBom] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const current = useRef<{ id: string; stop: () => void } | null>(null);

  useEffect(() => () => current.current?.stop(), []);

  const finish = (done: ExportDoneEvent): void => {
    current.current?.stop();
    current.current = null;
    if (done.result) setPhase({ kind: 'done', rows: done.result.rows, path: done.result.path });
    else if (done.error?.code === 'CANCELLED') setPhase({ kind: 'cancelled' });
    else setPhase({ kind: 'failed', message: done.error?.message ?? '' });
  };

  const start = async (): Promise<void> => {
    const exportId = newExportId();
    const query: ExportQuery =
      props.table === 'endpoints'
        ? {
            table: 'endpoints',
            filters: {},
            ...(props.endpointFilters ? { endpointFilters: props.endpointFilters } : {}),
            ...(bom ? { bom } : {}),
          }
        : {
            filters: props.filters,
            ...(props.sessionId ? { sessionId: props.sessionId } : {}),
            ...(bom ? { bom } : {}),
          };
    // Listening before anything starts, so no event of this export can be missed.
    current.current = { id: exportId, stop: listen(client, exportId, setPhase, finish) };
    setPhase({ kind: 'running', rows: 0, total: null });
    if (client.mode === 'browser') {
      const ticket = await client.call('exportTicket', { ...query, exportId });
      if (current.current?.id !== exportId) return;
      if (ticket.ok) {
        startBrowserDownload(downloadUrl(exportId, query, ticket.value.ticket));
        return;
      }
      current.current.stop();
      current.current = null;
      setPhase({ kind: 'failed', message: ticket.error.message });
      return;
    }
    const r = await client.call('startExport', { ...query, exportId });
    if (current.current?.id !== exportId) return;
    if (!r.ok) {
      current.current.stop();
      current.current = null;
      setPhase({ kind: 'failed', message: r.error.message });
    } else if (!r.value.started) {
      // The save dialog was cancelled: nothing happened.
      current.current.stop();
      current.current = null;
      setPhase({ kind: 'idle' });
    }
  };

  const cancel = (): void => {
    const id = current.current?.id;
    if (id) void client.call('cancelExport', { exportId: id });
  };

  const running = phase.kind === 'running';
  return (
    <div className="button-row download-csv" data-testid="download-csv">
      <button
        type="button"
        className="btn btn-small"
        onClick={() => void start()}
        disabled={running}
        title={props.title}
      >
        {t('export.download')}
      </button>
      <label className="small">
        <input
          type="checkbox"
          checked={bom}
          onChange={(e) => setBom(e.target.checked)}
          disabled={running}
        />{' '}
        {t('export.bom')}
      </label>
      {phase.kind === 'running' ? (
        <>
          <ProgressBar done={phase.rows} total={phase.total} label={t('export.running')} />
          <span className="muted small" data-testid="export-rows">
            {phase.total === null
              ? t('export.rowsOnly', { done: fmt.num(phase.rows) })
              : t('export.rows', { done: fmt.num(phase.rows), total: fmt.num(phase.total) })}
          </span>
          <button type="button" className="btn btn-small" onClick={cancel}>
            {t('app.cancel')}
          </button>
        </>
      ) : null}
      {phase.kind === 'done' ? (
        <span role="status" className="ok-text small">
          {phase.path === null
            ? t('export.downloaded', { n: fmt.num(phase.rows) })
            : t('export.savedTo', { n: fmt.num(phase.rows), path: phase.path })}
        </span>
      ) : null}
      {phase.kind === 'cancelled' ? (
        <span role="status" className="muted small">
          {t('export.cancelled')}
        </span>
      ) : null}
      {phase.kind === 'failed' ? (
        <span role="alert" className="warn-text small">
          {t('export.failed', { message: phase.message })}
        </span>
      ) : null}
    </div>
  );
}

/** Follows one export's events; returns the unsubscribe. */
function listen(
  client: ApiClient,
  exportId: string,
  setPhase: (p: Phase) => void,
  finish: (done: ExportDoneEvent) => void,
): () => void {
  const offProgress = client.on('exportProgress', (p) => {
    if (p.exportId === exportId) setPhase({ kind: 'running', rows: p.rows, total: p.total });
  });
  const offDone = client.on('exportDone', (d) => {
    if (d.exportId === exportId) finish(d);
  });
  return () => {
    offProgress();
    offDone();
  };
}
