import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  downloadTicketSchema,
  exportIdSchema,
  exportQuerySchema,
} from '../../shared/contract/exportApi.js';
import { AppError, toErrorInfo, type ErrorInfo } from '../../shared/contract/errors.js';
import type { ApiContext } from '../api/context.js';
import { countExportRows, writeExportRows } from '../export/exportCsv.js';
import { downloadTicketsFor } from '../export/downloadTickets.js';
import { exportFileName } from '../export/exportFileName.js';
import { exportJobsFor } from '../export/exportJobs.js';
import { retryAfterWaits } from '../waitThenRetry.js';
import { statusForError } from './httpStatus.js';

/**
 * The download route; GET only, behind the same Host/Origin/Sec-Fetch-Site checks as the API,
 * with the token header or (as a browser's download navigation) a ticket from exportTicket.
 */
export const EXPORT_DOWNLOAD_PATH = '/api/export';

/** A query this long is not a filter any more. */
const MAX_INPUT_CHARS = 64 * 1024;

/**
 * Browser mode's "Download CSV": GET /api/export?id=<exportId>&input=<JSON>&ticket=<ticket>
 * answers the CSV as an attachment, streamed chunk by chunk straight from the keyset pages into
 * the response (never the whole file in memory). `input` is parsed with the contract's exportQuerySchema,
 * the schema the desktop call uses. Progress and the outcome go out as exportProgress and
 * exportDone events under `id`, and cancelExport with that id stops it: the response is then
 * cut off without its final chunk, so the browser discards the download (no half file).
 * `byToken` false: the request came without the token header and must redeem a ticket issued
 * for this id and this input (spent by the attempt, right or wrong).
 */
export async function serveExportDownload(
  res: ServerResponse,
  url: URL,
  ctx: ApiContext,
  securityHeaders: OutgoingHttpHeaders,
  byToken: boolean,
): Promise<void> {
  const ticket = byToken ? null : downloadTicketSchema.safeParse(url.searchParams.get('ticket'));
  if (ticket && !ticket.success) {
    sendError(res, securityHeaders, NO_TICKET);
    return;
  }
  const parsed = parseDownload(url);
  if ('error' in parsed) {
    sendError(res, securityHeaders, parsed.error);
    return;
  }
  const { exportId, query } = parsed;
  if (ticket && !downloadTicketsFor(ctx.events).redeem(exportId, ticket.data, query)) {
    sendError(res, securityHeaders, NO_TICKET);
    return;
  }
  const jobs = exportJobsFor(ctx.events);
  let total: number;
  let name: string;
  try {
    // Counted as a call is (dispatch): a text filter asked for while the text index is built
    // after a rebuild waits for it off the thread, and the rows are then read through it.
    total = await retryAfterWaits(() => countExportRows(ctx.state.requireCase().db, query));
    if (jobs.has(exportId)) throw new AppError('BUSY', 'That export is already running.');
    name = exportFileName(ctx.state.requireCase().path, query);
  } catch (err) {
    const error = toErrorInfo(err);
    ctx.events.emit('exportDone', { exportId, result: null, error });
    sendError(res, securityHeaders, error);
    return;
  }
  const { db } = ctx.state.requireCase();
  // A browser that gives up (tab closed, download cancelled) stops the export too.
  const onClose = (): void => {
    if (!res.writableFinished) jobs.cancel(exportId);
  };
  res.once('close', onClose);
  try {
    await jobs.run(exportId, total, async ({ signal, progress }) => {
      res.writeHead(200, {
        ...securityHeaders,
        'content-type': 'text/csv; charset=utf-8',
        // exportFileName keeps to [A-Za-z0-9._-]: nothing to escape in the header.
        'content-disposition': `attachment; filename="${name}"`,
        'cache-control': 'no-store',
      });
      const written = await writeExportRows(db, res, {
        ...(query.table !== undefined ? { table: query.table } : {}),
        ...(query.endpointFilters !== undefined ? { endpointFilters: query.endpointFilters } : {}),
        filters: query.filters,
        ...(query.sessionId !== undefined ? { sessionId: query.sessionId } : {}),
        ...(query.bom !== undefined ? { bom: query.bom } : {}),
        signal,
        onProgress: (p) => progress(p.rows, p.bytes),
      });
      await new Promise<void>((resolve) => res.end(resolve));
      return { ...written, path: null };
    });
  } catch (err) {
    if (!res.headersSent) sendError(res, securityHeaders, toErrorInfo(err));
    // Cut the chunked body off without its last chunk: the download fails, nothing is kept.
    else res.destroy();
  }
}

const NO_TICKET: ErrorInfo = {
  code: 'UNAUTHORIZED',
  message: 'Missing, used, expired or foreign download ticket.',
};

function parseDownload(
  url: URL,
): { exportId: string; query: ReturnType<typeof exportQuerySchema.parse> } | { error: ErrorInfo } {
  const id = exportIdSchema.safeParse(url.searchParams.get('id'));
  if (!id.success) return { error: { code: 'BAD_INPUT', message: 'Missing or malformed id.' } };
  const text = url.searchParams.get('input') ?? '{}';
  if (text.length > MAX_INPUT_CHARS) {
    return { error: { code: 'BAD_INPUT', message: 'input is too long.' } };
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    return { error: { code: 'BAD_INPUT', message: 'input is not JSON.' } };
  }
  const query = exportQuerySchema.safeParse(json);
  if (!query.success) return { error: { code: 'BAD_INPUT', message: query.error.message } };
  return { exportId: id.data, query: query.data };
}

function sendError(res: ServerResponse, headers: OutgoingHttpHeaders, error: ErrorInfo): void {
  const text = JSON.stringify({ ok: false, error });
  res.writeHead(statusForError(error.code), {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
