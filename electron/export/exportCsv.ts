import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Statement } from 'better-sqlite3';
import type { EndpointFilters } from '../../shared/contract/analysisApi.js';
import { AppError } from '../../shared/contract/errors.js';
import { csvRow } from '../../shared/export/csvCells.js';
import { EXPORT_HEADER, exportCells, type ExportRow } from '../../shared/export/exportColumns.js';
import type { Filters } from '../../shared/query/filterModel.js';
import { ENDPOINT_EXPORT_HEADER } from '../../shared/export/endpointColumns.js';
import { countEndpoints } from '../query/endpointPage.js';
import { factValue, factsWhereWithMaps } from '../query/filterSql.js';
import type { SqlValue } from '../query/textFilterSql.js';
import { sessionRowBySid } from '../query/sessionDetail.js';
import {
  SESSION_FACTS_FROM,
  sessionFactsParams,
  sessionSpan,
  type SessionSpan,
} from '../query/sessionFacts.js';
import type { CaseDb } from '../store/openCase.js';
import { writeEndpointRows } from './endpointRows.js';
import { attacksSql, EXPORT_REQUEST_COLUMNS } from './exportSqlParts.js';
import { EXPORT_FACTS_MAX_ID, readExportFacts, type ExportFacts } from './exportFacts.js';
import { wholeCasePages, type ExportPage } from './wholeCasePages.js';

export interface ExportProgress {
  rows: number;
  bytes: number;
}

export interface ExportOptions {
  /** The requests (default), or the endpoint inventory (filters and session do not apply). */
  table?: 'requests' | 'endpoints';
  /** With the endpoint inventory: which endpoints (all without). */
  endpointFilters?: EndpointFilters;
  filters?: Filters;
  /** Only this session's matching requests (its sid), in its time order. */
  sessionId?: string;
  /** Start with a UTF-8 byte order mark (old Excel needs it to read UTF-8); default off. */
  bom?: boolean;
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
  /** Rows per page. */
  pageSize?: number;
  /**
   * false: join each request to its facts in the query even for the whole case, instead of
   * reading the matching requests' facts first (exportFacts.ts); for the test that compares
   * the two.
   */
  factsById?: boolean;
}

export interface ExportResult {
  rows: number;
  bytes: number;
  path: string;
}

const BOM = '\uFEFF';

/** File system failures are the user's to fix (a wrong folder, no permission): say which. */
function asAppError(err: unknown, target: string): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return new AppError('BAD_INPUT', `Cannot write ${target} (${code}).`);
  }
  return err;
}

/** The SQL of one page; exported for the query-plan test. */
export function exportSql(
  db: CaseDb,
  whereSql: string,
  inSession: boolean,
  hasCursor: boolean,
  /**
   * The whole case's page after a cursor is read in two parts, each an index seek: the rest of
   * the cursor's instant (ts_us = ? AND id > ?), then later instants (ts_us > ?). As one
   * `(ts_us, id) > (?, ?)` SQLite seeks the time alone and walks every earlier row of that
   * instant: a million rows of one second exported in 63 s instead of 30.
   */
  part: 'sameInstant' | 'later' = 'sameInstant',
): string {
  const attacks = attacksSql(db);
  // Time order by (ts_us, id): within a session the facts' primary key serves it (the session's
  // facts from the page's first time on: sessionFacts.ts); for the whole case the requests_ts
  // index does, with request_facts joined by its request index. CROSS JOINs keep that order:
  // in a case of a few sessions SQLite took `sessions` first (one row, a cheap outer loop) and
  // sorted the rest of the session for every page (a 1M-request session: 107 s).
  return `SELECT ${EXPORT_REQUEST_COLUMNS}, s.file_name AS source, ss.sid AS session_sid, ${factValue('f.user')} AS fact_user,
      ${factValue('f.role')} AS fact_role, e.eid AS endpoint_eid,
      e.flows, ${attacks} AS attacks, f.outlier
    FROM ${
      inSession
        ? `${SESSION_FACTS_FROM} CROSS JOIN requests r ON r.id = f.request_id`
        : // CROSS JOIN keeps the requests first, in time order: with the planner's figures SQLite
          // would otherwise read every session's facts and sort the case for each page.
          'requests r CROSS JOIN request_facts f ON f.request_id = r.id'
    }
    CROSS JOIN sources s ON s.id = r.source_id
    CROSS JOIN endpoints e ON e.id = f.endpoint_id
    CROSS JOIN sessions ss ON ss.id = f.session_id
    WHERE ${whereSql}
      ${!hasCursor ? '' : inSession ? 'AND (f.ts_us, f.request_id) > (?, ?)' : part === 'sameInstant' ? 'AND r.ts_us = ? AND r.id > ?' : 'AND r.ts_us > ?'}
    ORDER BY ${inSession ? 'f.ts_us, f.request_id' : 'r.ts_us, r.id'} LIMIT ?`;
}

/**
 * Waits until `out` takes more, closes (a peer that left) or errors, or the export is
 * cancelled: a cancel must not wait for a reader that stopped reading. The listeners go away
 * afterwards, so a million-row export does not pile them up.
 */
async function drained(out: Writable, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return;
  const done = new AbortController();
  const opts = { signal: done.signal };
  // Errors are the caller's to see (its 'error' listener); here they only end the wait.
  const quiet = (p: Promise<unknown>): Promise<unknown> => p.catch(() => undefined);
  const waits = [quiet(once(out, 'drain', opts)), quiet(once(out, 'close', opts))];
  if (signal) waits.push(quiet(once(signal, 'abort', opts)));
  try {
    await Promise.race(waits);
  } finally {
    done.abort();
  }
}

/** What an export selects: the filters, and where the session lies when it is one session's. */
interface Selection {
  filters: Filters;
  where: ReturnType<typeof factsWhereWithMaps>;
  session: SessionSpan | undefined;
}

function select(db: CaseDb, opts: ExportOptions): Selection {
  const filters: Filters = { ...opts.filters };
  const session =
    opts.sessionId !== undefined
      ? sessionSpan(db, sessionRowBySid(db, opts.sessionId).rowId)
      : undefined;
  return { filters, where: factsWhereWithMaps(db, filters), session };
}

/**
 * How many requests an export will write, for a determinate progress bar: one pass over
 * request_facts with the same WHERE (NOT_FOUND for an unknown session, before anything is
 * written).
 */
export function countExportRows(db: CaseDb, opts: ExportOptions): number {
  if (opts.table === 'endpoints') return countEndpoints(db, opts.endpointFilters);
  const { filters, where, session } = select(db, opts);
  const row = db
    .prepare(
      `SELECT count(*) AS n FROM ${session ? SESSION_FACTS_FROM : 'request_facts f'} WHERE ${where.sql}`,
    )
    .get(
      ...(session ? sessionFactsParams(session, filters.from, filters.to) : []),
      ...where.params,
    ) as { n: number };
  return row.n;
}

/**
 * Writes the export (header row first, then every matching request, no cap) to `out`, page
 * by page with the stream's backpressure, so memory stays flat on millions of rows. `out` is
 * a file (exportCsv) or browser mode's HTTP response; it is not ended here. Throws CANCELLED
 * when the signal fires between pages, or the stream's error.
 */
export async function writeExportRows(
  db: CaseDb,
  out: Writable,
  opts: ExportOptions = {},
): Promise<{ rows: number; bytes: number }> {
  let failed: Error | null = null;
  const onError = (err: Error): void => {
    failed ??= err;
  };
  out.on('error', onError);
  let rows = 0;
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    if (failed) throw failed;
    bytes += Buffer.byteLength(text, 'utf8');
    if (!out.write(text, 'utf8')) await drained(out, opts.signal);
    if (failed) throw failed;
    if (out.destroyed) throw new AppError('CANCELLED', 'The export stream was closed.');
  };
  const cancelled = (): boolean => opts.signal?.aborted === true;
  const progress = (n: number): void => {
    rows = n;
    opts.onProgress?.({ rows, bytes });
  };
  try {
    if (opts.table === 'endpoints') {
      await write((opts.bom ? BOM : '') + csvRow(ENDPOINT_EXPORT_HEADER));
      rows = await writeEndpointRows(db, write, {
        filters: opts.endpointFilters,
        pageSize: opts.pageSize,
        cancelled,
        onPage: progress,
      });
    } else {
      await write((opts.bom ? BOM : '') + csvRow(EXPORT_HEADER));
      rows = await writeRequestRows(db, write, opts, cancelled, progress);
    }
    if (cancelled()) throw new AppError('CANCELLED', 'Export cancelled.');
  } finally {
    out.off('error', onError);
    // A late error must not go unhandled once we stopped listening.
    if (!out.listenerCount('error')) out.on('error', () => undefined);
  }
  return { rows, bytes };
}

/**
 * A page query giving ExportRows, read as arrays: better-sqlite3 builds each row object
 * through V8's API one property at a time, which for the export's 36 columns cost a third of
 * the query's time; an object filled here in column order takes one hidden class for all.
 */
function rawRows(stmt: Statement): (params: SqlValue[]) => ExportRow[] {
  const names = stmt.columns().map((c) => c.name);
  stmt.raw(true);
  return (params) =>
    (stmt.all(...params) as unknown[][]).map((values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
      return row as unknown as ExportRow;
    });
}

/** The pages of the selection, each request joined to its facts in the query. */
function joinedPages(
  db: CaseDb,
  { filters, where, session }: Selection,
  pageSize: number,
): () => ExportPage {
  const inSession = session !== undefined;
  const first = rawRows(db.prepare(exportSql(db, where.sql, inSession, false)));
  const next = rawRows(db.prepare(exportSql(db, where.sql, inSession, true)));
  const later = inSession
    ? null
    : rawRows(db.prepare(exportSql(db, where.sql, false, true, 'later')));
  // After this request (its time and id).
  let cursor: [number, number] | null = null;
  return () => {
    const params: SqlValue[] = [];
    // A session's page starts at the cursor's instant (and the filter's start).
    if (session)
      params.push(
        ...sessionFactsParams(
          session,
          Math.max(cursor?.[0] ?? -Infinity, filters.from ?? -Infinity),
          filters.to,
        ),
      );
    params.push(...where.params);
    if (cursor) params.push(...cursor);
    params.push(pageSize);
    let rows: ExportRow[] = (cursor ? next : first)(params);
    if (cursor && later && rows.length < pageSize)
      rows = rows.concat(later([...where.params, cursor[0], pageSize - rows.length]));
    const last = rows[rows.length - 1];
    if (last) cursor = [last.ts_us, last.id];
    return { rows, done: rows.length < pageSize };
  };
}

/**
 * The facts of the matching requests by id, when the export is of the whole case (filtered or
 * not) and the arrays stay small (EXPORT_FACTS_MAX_ID); null for a session's export, a bigger
 * case, or when cancelled while reading.
 */
async function factsForWholeCase(
  db: CaseDb,
  sel: Selection,
  opts: ExportOptions,
  cancelled: () => boolean,
): Promise<ExportFacts | null> {
  if (sel.session || opts.factsById === false) return null;
  const maxId = (db.prepare('SELECT max(id) FROM requests').pluck().get() as number | null) ?? 0;
  if (maxId > EXPORT_FACTS_MAX_ID) return null;
  return readExportFacts(db, sel.where, maxId, () => setImmediatePromise(), cancelled);
}

/** Every matching request after the header, page by page; returns how many were written. */
async function writeRequestRows(
  db: CaseDb,
  write: (text: string) => Promise<void>,
  opts: ExportOptions,
  cancelled: () => boolean,
  progress: (rows: number) => void,
): Promise<number> {
  const sel = select(db, opts);
  const pageSize = opts.pageSize ?? 2000;
  const facts = await factsForWholeCase(db, sel, opts, cancelled);
  if (cancelled()) throw new AppError('CANCELLED', 'Export cancelled.');
  const pages = facts ? wholeCasePages(db, facts, pageSize) : joinedPages(db, sel, pageSize);
  let rows = 0;
  for (;;) {
    if (cancelled()) throw new AppError('CANCELLED', 'Export cancelled.');
    const page = pages();
    if (page.rows.length > 0) {
      await write(page.rows.map((r) => csvRow(exportCells(r))).join(''));
      rows += page.rows.length;
      progress(rows);
    } else if (!page.done) {
      // Ids read and none matched: the backend's other calls go first.
      await setImmediatePromise();
    }
    if (page.done) break;
  }
  return rows;
}

/**
 * Writes every request that matches the filters (no cap) as CSV to `outPath`. The file
 * appears only when complete: it is written beside the target under a temporary name and
 * renamed at the end; a cancel (signal) or an error removes the temporary file and leaves any
 * existing file at `outPath` as it was. Requests without analysis facts are not listed
 * (rebuild first), as in every filtered view.
 */
export async function exportCsv(
  db: CaseDb,
  outPath: string,
  opts: ExportOptions = {},
): Promise<ExportResult> {
  // Resolved first, so an unknown session fails before any file is made.
  if (opts.table !== 'endpoints') select(db, opts);
  const target = path.resolve(outPath);
  const tmp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.part`,
  );
  const out = createWriteStream(tmp, { flags: 'wx' });
  let failed: Error | null = null;
  out.on('error', (err) => (failed ??= err));
  let written: { rows: number; bytes: number };
  try {
    written = await writeExportRows(db, out, opts);
    out.end();
    await once(out, 'finish');
    if (failed) throw failed;
    await rename(tmp, target);
  } catch (err) {
    out.destroy();
    // Closed whatever a write still under way reports as it is cut short (the listener above
    // takes that error): once(out, 'close') would reject with it and hide the cause.
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    await rm(tmp, { force: true });
    throw asAppError(err, target);
  }
  return { ...written, path: target };
}
