// Worker-thread entry (built to dist/electron/detectWorker.mjs): the request scan of attack
// detection on a read-only connection of its own, so it runs on a second core while the
// rebuild's thread derives sessions and writes its tables. Imported on the rebuild's thread it
// provides the caller's side: start the scan early, then collect its rows at the detection step.
import { isMainThread, workerData } from 'node:worker_threads';
import type { CaseDb } from '../store/openCase.js';
import {
  DETECT_SELECT,
  FINDING_WIDTH,
  RequestScanner,
  type DetectRow,
  type FindingValues,
  type ScanCounts,
} from './detectRows.js';
import { scanFromColumns, type DetectColumns } from './detectColumns.js';
import { compilePatternRules, readPatternRows, type PatternRow } from './ruleVerdicts.js';
import {
  runSnapshotRole,
  bundledWorkerFile,
  launchSyncWorker,
  nextSyncMessage,
  stopSyncWorker,
  snapshotJob,
  workerCanRead,
  type SnapshotJob,
  type SyncChannel,
  type SyncWorker,
} from './syncWorker.js';

/**
 * What the scan read: the requests' count and last id. The rebuild's transaction and the
 * worker's snapshot must agree on it, or the worker's rows are thrown away (requests written
 * but not committed, e.g. a rebuild inside a caller's transaction).
 */
export interface Basis {
  requests: number;
  last: number | null;
}

export interface DetectJob extends SyncChannel, SnapshotJob {
  rules: PatternRow[];
  /** Scan the requests after this id (0: every request). */
  after: number;
  /**
   * With `after` 0: the analysis columns of every request, built by the rebuild's scan, read
   * instead of most of each row (detectColumns.ts); null: the rows.
   */
  columns: DetectColumns | null;
}

type DetectWorkerMessage =
  | { type: 'rows'; values: unknown[] }
  | {
      type: 'done';
      counts: ScanCounts;
      basis: Basis;
      /** The requests were read from the columns handed over (DetectJob.columns). */
      fromColumns: boolean;
      cpuMs: number | null;
    }
  | { type: 'error'; message: string };

/** Requests per read; findings are posted once this many values have gathered. */
const BATCH = 2000;
const POST_VALUES = FINDING_WIDTH * 4096;

/**
 * The requests after id `after` (0: all of them). `requests`, with `after` 0: their number when
 * the caller already counted them (the rebuild's scan does), one pass less.
 */
export function readBasis(db: CaseDb, requests?: number, after = 0): Basis {
  if (after > 0)
    return db
      .prepare('SELECT count(*) AS requests, max(id) AS last FROM requests WHERE id > ?')
      .get(after) as Basis;
  const last = (db.prepare('SELECT max(id) AS last FROM requests').get() as { last: number | null })
    .last;
  const n = requests ?? (db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n;
  return { requests: n, last };
}

/** detectWorker.mjs beside the running bundle (or under dist/electron from dist/bench). */
export function defaultDetectWorkerFile(): string | null {
  return bundledWorkerFile('detectWorker.mjs');
}

/** A scan running in a worker, as its caller holds it. */
export interface DetectionInWorker extends SyncWorker {
  /** The worker's CPU in ms (Linux), once done: per-step figures cannot tell it apart. */
  cpuMs: number | null;
  /** Once done: it read the requests from the columns it was handed, not the rows. */
  fromColumns: boolean;
}

let running: DetectionInWorker | null = null;

/**
 * What the worker is handed: the case, its detect rules, how the rebuild's db was opened, and
 * the columns it may read the requests from.
 */
export function detectJobFor(
  db: CaseDb,
  channel: SyncChannel,
  after = 0,
  columns: DetectColumns | null = null,
): DetectJob {
  return {
    ...snapshotJob(db),
    rules: readPatternRows(db, 'detect'),
    after,
    columns: after === 0 ? columns : null,
    ...channel,
  };
}

/**
 * Starts the scan of `db`'s requests in a worker, or returns null when it cannot run there
 * (an in-memory case, no built script). With `after`, it scans only the requests after that
 * id; else from `columns` when given (the rebuild's scan built them from these requests). A
 * scan left behind by a rebuild that failed before collecting it is stopped first.
 */
export function startDetectionWorker(
  db: CaseDb,
  workerFile: string | null = defaultDetectWorkerFile(),
  after = 0,
  columns: DetectColumns | null = null,
): DetectionInWorker | null {
  if (running) stopDetectionWorker(running);
  if (!workerCanRead(db, workerFile)) return null;
  const w = launchSyncWorker(workerFile, 'detect', (channel) =>
    detectJobFor(db, channel, after, columns),
  );
  if (w === null) return null;
  running = Object.assign(w, { cpuMs: null, fromColumns: false });
  return running;
}

export function stopDetectionWorker(p: DetectionInWorker): void {
  if (running === p) running = null;
  stopSyncWorker(p);
}

/**
 * Waits for the worker's scan, handing each finding to `emit` in the order the worker found
 * them (the same order a scan on this thread gives). Returns the counts, or null when the
 * worker failed, stalled, or read other requests than the caller's `expected` snapshot (the
 * caller then scans here, after rolling back what `emit` wrote). `cancelPoint` is polled
 * throughout; when it throws, the worker is stopped and the error goes on.
 */
export function joinDetectionWorker(
  p: DetectionInWorker,
  emit: (values: FindingValues) => void,
  expected: () => Basis,
  cancelPoint?: () => void,
): ScanCounts | null {
  try {
    for (;;) {
      const msg = nextSyncMessage<DetectWorkerMessage>(p, cancelPoint);
      if (msg === null) return null;
      if (msg.type === 'rows') {
        const v = msg.values;
        for (let i = 0; i < v.length; i += FINDING_WIDTH)
          emit(v.slice(i, i + FINDING_WIDTH) as FindingValues);
      } else if (msg.type === 'done') {
        p.cpuMs = msg.cpuMs;
        p.fromColumns = msg.fromColumns;
        const mine = expected();
        const same = msg.basis.requests === mine.requests && msg.basis.last === mine.last;
        return same ? msg.counts : null;
      } else return null;
    }
  } finally {
    stopDetectionWorker(p);
  }
}

function runDetectRole(job: DetectJob): void {
  runSnapshotRole(job, (db, side) => {
    const post = (msg: DetectWorkerMessage): void => side.post(msg);
    let values: unknown[] = [];
    const scanner = new RequestScanner(
      (v) => {
        for (const x of v) values.push(x);
      },
      compilePatternRules(job.rules, 'detect'),
    );
    /** After a batch: findings posted once enough have gathered; false once stopped. */
    const batchDone = (): boolean => {
      if (values.length >= POST_VALUES) {
        post({ type: 'rows', values });
        values = [];
      } else side.bump();
      return !side.stopRequested();
    };
    let after = job.after;
    const columns = job.after === 0 ? job.columns : null;
    const fromColumns = columns !== null;
    if (columns !== null) {
      after = scanFromColumns(db, columns, (r) => scanner.scan(r), batchDone, BATCH);
      if (side.stopRequested()) return null;
    } else {
      const select = db.prepare(DETECT_SELECT).raw(true);
      for (;;) {
        if (side.stopRequested()) return null;
        const rows = select.all(after, BATCH) as DetectRow[];
        if (rows.length === 0) break;
        for (const r of rows) scanner.scan(r);
        after = rows[rows.length - 1]![0];
        batchDone();
      }
    }
    if (values.length > 0) post({ type: 'rows', values });
    return {
      message: {
        type: 'done',
        counts: scanner.counts,
        // What the scan read describes its snapshot: every request it read, the last one last.
        basis: { requests: scanner.counts.requests, last: after === job.after ? null : after },
        fromColumns,
      },
    };
  });
}

if (!isMainThread) {
  const data = workerData as { role?: string; job?: DetectJob } | null;
  if (data?.role === 'detect' && data.job) runDetectRole(data.job);
}
