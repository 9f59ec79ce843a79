import type { CaseDb } from '../store/openCase.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';
import type { ScanResult } from './scanResult.js';
import {
  ColumnsMismatch,
  columnsCovering,
  laterChunks,
  scanColumns,
  type ColumnsCover,
} from './scanColumns.js';
import { readScanCache, scanCacheBasis, writeScanCache } from './scanCache.js';
import { appendPart, finishScan, posted, sourceShas } from './scanJoin.js';
import { scanRows, type ScanRange } from './scanRows.js';
import { joinColumns, scanRowsBuilding, type BuiltPart, type BuiltQueries } from './scanBuild.js';
import {
  joinScanWorker,
  startScanWorker,
  type ScanInWorker,
  type WorkerPart,
} from './scanWorker.js';
import { stopSyncWorker } from './syncWorker.js';
import { scanAppended } from './scanAppend.js';
import {
  replaceColumns,
  writeColumnsFromRequests,
  type BuiltChunk,
} from '../store/requestColumns.js';

/**
 * Below this many requests the scan stays on one thread: a worker's start (its script and
 * connection, some 50 ms) costs more than it saves.
 */
export const PARALLEL_SCAN_MIN = 50_000;

/**
 * The worker's share of the requests: a little under half, as it starts later (its script and
 * connection) and posts its part at the end. On the 1M-request bench case, half each kept this
 * thread waiting 0.6 s for the worker.
 */
const WORKER_SHARE = 0.46;

/** How the last scan on this thread ran: for benchmarks, never part of the case. */
export interface ScanRun {
  /** Read from request_columns (requestColumns.ts) rather than from `requests`. */
  fromColumns: boolean;
  /** Read back from the scan cache (scanCache.ts, with request_columns): nothing scanned. */
  fromCache: boolean;
  /** Read from `requests`, building their analysis columns (scanBuild.ts). */
  builtColumns?: boolean;
  /**
   * Read back from the scan cache of the requests before an import, joined with a scan of the
   * requests it added (scanAppend.ts): how many those were. Null: not so.
   */
  added?: number;
  /** Requests scanned by a worker (0: all on this thread). */
  inWorker: number;
  workerCpuMs: number | null;
}

let lastRun: ScanRun = { fromColumns: false, fromCache: false, inWorker: 0, workerCpuMs: null };

/** By rebuild, the query strings of its requests from the columns its scan built. */
const builtQueries = new WeakMap<RebuildContext, BuiltQueries>();
/** By rebuild, the analysis columns its scan built from the rows (every request's). */
const builtChunks = new WeakMap<RebuildContext, BuiltChunk[]>();

/**
 * The analysis columns the rebuild's scan built from the rows, of every request it read (a
 * first analysis); undefined when it built none. Handed out once: the chunks are dropped.
 */
export function takeBuiltChunks(ctx: RebuildContext): BuiltChunk[] | undefined {
  const c = builtChunks.get(ctx);
  builtChunks.delete(ctx);
  return c;
}

/**
 * The query strings of every request the rebuild's scan read, as the analysis columns it built
 * from the rows hold them (a first analysis); undefined when it built none. Handed out once.
 */
export function takeBuiltQueries(ctx: RebuildContext): BuiltQueries | undefined {
  const q = builtQueries.get(ctx);
  builtQueries.delete(ctx);
  return q !== undefined && q.ids.length === ctx.scan?.n ? q : undefined;
}

export function lastScanRun(): ScanRun {
  return lastRun;
}

/**
 * The rebuild's scan: read back from the scan cache when it was made from these requests, key
 * parameters and scan code (a rebuild after another settings change); after an import into an
 * analysed case, the kept scan of the earlier requests joined with a scan of the added ones
 * (scanAppend.ts); else scanned. Then kept there for the next rebuild (scanCache.ts).
 */
export const scanStep: RebuildStep = {
  name: 'scan requests',
  order: 10,
  prepare: completeColumns,
  run(ctx: RebuildContext) {
    const n = countRequests(ctx.db);
    const basis = scanCacheBasis(ctx, n);
    if (basis !== null) ctx.scanBasis = basis;
    const cached = basis === null ? null : readScanCache(ctx, basis, n);
    const appended = basis === null || cached !== null ? null : scanAppended(ctx, basis, n);
    if (cached !== null && cached !== 'no columns') {
      ctx.scan = cached;
      lastRun = { fromColumns: true, fromCache: true, inWorker: 0, workerCpuMs: null };
    } else if (appended !== null) {
      ctx.scan = appended.scan;
      lastRun = {
        fromColumns: true,
        fromCache: false,
        inWorker: 0,
        workerCpuMs: null,
        added: appended.added,
      };
      writeScanCache(ctx, basis!, ctx.scan);
    } else {
      // Read from the rows (a first analysis), the scan builds the requests' analysis columns:
      // stored, so later rebuilds need not read every row again (nor detection, to make them).
      ctx.scan = scanRequests(ctx, {
        count: n,
        columnsBuilt: (chunks, queries) => {
          replaceColumns(ctx.db, chunks, n);
          builtQueries.set(ctx, queries);
          builtChunks.set(ctx, chunks);
        },
      });
      // Not again when the one kept is current but the columns are missing.
      if (basis !== null && n > 0 && ctx.scan.n === n && cached === null)
        writeScanCache(ctx, basis, ctx.scan);
    }
    ctx.stats.requests = ctx.scan.n;
  },
};

/**
 * Writes the analysis columns of the sources that have none when most requests have theirs (an
 * import into an analysed case): one read of the new source's rows costs far less than the
 * scan reading every request's row. Each source in a transaction of its own, before the
 * rebuild's, so the scan worker's snapshot holds them. A case with few or no columns gets them
 * from the scan's read of every request instead (scanBuild.ts).
 */
export function completeColumns(db: CaseDb, working: () => void = () => undefined): void {
  const lacking = db
    .prepare(
      `SELECT s.id FROM sources s
       WHERE NOT EXISTS (SELECT 1 FROM request_columns c WHERE c.source_id = s.id)
       ORDER BY s.id`,
    )
    .pluck()
    .all() as number[];
  if (lacking.length === 0) return;
  const count = db.prepare('SELECT count(*) FROM requests WHERE source_id = ?').pluck();
  const missing = lacking.reduce((n, id) => n + (count.get(id) as number), 0);
  const covered = db
    .prepare('SELECT coalesce(sum(count), 0) FROM request_columns')
    .pluck()
    .get() as number;
  if (missing === 0 || covered < missing) return;
  working();
  for (const id of lacking) db.transaction(() => writeColumnsFromRequests(db, id))();
}

function countRequests(db: CaseDb): number {
  return (db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n;
}

/**
 * The id of the `k`-th request (1-based) in rowid order, of `n`. Ids without gaps (a case
 * whose requests were never deleted) give it by arithmetic; otherwise SQLite counts its way
 * there (on 1M requests, 0.1 s per call: both threads wait for it).
 */
function idAt(db: CaseDb, k: number, n: number): number {
  const { lo, hi } = db.prepare('SELECT min(id) AS lo, max(id) AS hi FROM requests').get() as {
    lo: number;
    hi: number;
  };
  if (hi - lo + 1 === n) return lo + k - 1;
  return (
    db
      .prepare('SELECT id FROM requests ORDER BY id LIMIT 1 OFFSET ?')
      .raw(true)
      .get(k - 1) as [number]
  )[0];
}

/**
 * Reads every request: from request_columns when they cover every request (one pass over
 * blobs, each distinct string handled once), else from `requests`, building their analysis
 * columns on the way when `columnsBuilt` is given (scanBuild.ts). Either way, on a large case
 * the later half is read by a worker on a connection of its own while this thread reads the
 * first, and the two parts are joined into exactly what one pass gives (scanJoin.ts; their
 * columns by joinColumns); a worker that cannot run or fails leaves its half to this thread.
 */
export function scanRequests(
  ctx: RebuildContext,
  opts: {
    parallelMin?: number;
    workerFile?: string | null;
    columns?: boolean;
    /** The number of requests, when the caller has counted them in this transaction. */
    count?: number;
    /**
     * Given, a scan that reads `requests` builds their analysis columns and hands them here,
     * with the requests' query strings as they hold them (not when a part could not build them).
     */
    columnsBuilt?: (chunks: BuiltChunk[], queries: BuiltQueries) => void;
  } = {},
): ScanResult {
  const { db } = ctx;
  const n = opts.count ?? countRequests(db);
  const sourceSha = sourceShas(db);
  const cover = opts.columns === false ? null : columnsCovering(db, n);
  if (cover !== null) {
    try {
      return finishScan(scanShared(ctx, n, cover, opts).part, sourceSha);
    } catch (err) {
      // Columns that do not describe the requests (changed by another tool): read `requests`.
      if (!(err instanceof ColumnsMismatch)) throw err;
    }
  }
  const build = opts.columnsBuilt !== undefined && n > 0;
  const { part, columns } = scanShared(ctx, n, null, { ...opts, build });
  const scan = finishScan(part, sourceSha);
  if (columns !== null) opts.columnsBuilt?.(columns.chunks, columns.queries);
  return scan;
}

/**
 * The scan of all `n` requests, from `cover` (request_columns) or, null, from `requests`; on a
 * large case the later part in a worker (see scanRequests).
 */
function scanShared(
  ctx: RebuildContext,
  n: number,
  cover: ColumnsCover | null,
  opts: { parallelMin?: number; workerFile?: string | null; build?: boolean },
): BuiltPart {
  const { db, params } = ctx;
  // Building columns from the rows is asked for only when there are none to read.
  const build = cover === null && opts.build === true;
  const read = (range: ScanRange, capacity: number): BuiltPart => {
    if (cover !== null)
      return {
        part: scanColumns(db, params, cover, range, capacity, ctx.cancelPoint),
        columns: null,
      };
    if (build) return scanRowsBuilding(db, params, range, capacity, ctx.cancelPoint);
    return { part: scanRows(db, params, range, capacity, ctx.cancelPoint), columns: null };
  };
  let first: ScanRange = { after: -Infinity, upTo: Infinity, count: n };
  let rest: ScanRange | null = null;
  let worker: ScanInWorker | null = null;
  if (n >= (opts.parallelMin ?? PARALLEL_SCAN_MIN)) {
    const k = n - Math.floor(n * WORKER_SHARE);
    let later: ScanRange | null;
    if (cover === null) {
      const mid = idAt(db, k, n);
      later = { after: mid, upTo: idAt(db, n, n), count: n - k };
    } else later = laterChunks(cover, k);
    if (later !== null) {
      worker = startScanWorker(
        db,
        params,
        later,
        opts.workerFile,
        cover === null ? null : n,
        build,
      );
      if (worker !== null) {
        first = { after: -Infinity, upTo: later.after, count: n - later.count };
        rest = later;
      }
    }
  }
  const fromColumns = cover !== null;
  try {
    const here = read(first, n);
    const { part } = here;
    let columns = here.columns;
    lastRun = { fromColumns, fromCache: false, inWorker: 0, workerCpuMs: null };
    if (worker !== null && rest !== null) {
      let later: WorkerPart | null = joinScanWorker(worker, ctx.cancelPoint);
      lastRun = {
        fromColumns,
        fromCache: false,
        inWorker: later === null ? 0 : rest.count,
        workerCpuMs: worker.cpuMs,
      };
      if (later === null) {
        // The worker could not read its part: read it here.
        const r = read(rest, rest.count);
        later = { part: posted(r.part), columns: r.columns };
      }
      appendPart(part, later.part);
      columns =
        columns === null || later.columns === null ? null : joinColumns(columns, later.columns);
    }
    if (build) lastRun.builtColumns = columns !== null;
    return { part, columns: build ? columns : null };
  } finally {
    if (worker !== null) stopSyncWorker(worker);
  }
}
