// Worker-thread entry (built to dist/electron/scanWorker.mjs): the request scan of one range of
// rows on a read-only connection of its own, so the rebuild's scan runs on two cores. Imported
// on the rebuild's thread it provides the caller's side: start the range, then join its part.
import { isMainThread, workerData } from 'node:worker_threads';
import type { ContextParam } from '../../shared/analysis/settings.js';
import type { CaseDb } from '../store/openCase.js';
import { columnBuffers, posted, type PostedPart } from './scanJoin.js';
import { chunkBuffers, scanRowsBuilding, type BuiltColumns } from './scanBuild.js';
import { columnsCovering, scanColumns } from './scanColumns.js';
import { scanRows, type ScanPart, type ScanRange } from './scanRows.js';
import {
  ROLE_STOPPED,
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

export interface ScanJob extends SyncChannel, SnapshotJob {
  params: ContextParam[];
  range: ScanRange;
  /** Read from request_columns, which must cover these many requests; null: from `requests`. */
  columnsOf: number | null;
  /** Reading `requests`: build the range's analysis columns too (scanBuild.ts). */
  build: boolean;
}

/** The worker's scan of its range, and the analysis columns it built (when asked to). */
export interface WorkerPart {
  part: PostedPart;
  columns: BuiltColumns | null;
}

type ScanWorkerMessage =
  ({ type: 'part'; cpuMs: number | null } & WorkerPart) | { type: 'error'; message: string };

/** A range scan running in a worker, as its caller holds it. */
export interface ScanInWorker extends SyncWorker {
  /** The worker's CPU in ms (Linux), once joined. */
  cpuMs: number | null;
}

export function defaultScanWorkerFile(): string | null {
  return bundledWorkerFile('scanWorker.mjs');
}

/**
 * Starts the scan of `range` of `db`'s requests in a worker, or returns null when it cannot
 * run there (an in-memory case, no built script). With `build`, a scan of the rows builds
 * their analysis columns as well.
 */
export function startScanWorker(
  db: CaseDb,
  params: ContextParam[],
  range: ScanRange,
  workerFile: string | null = defaultScanWorkerFile(),
  columnsOf: number | null = null,
  build = false,
): ScanInWorker | null {
  if (!workerCanRead(db, workerFile)) return null;
  const w = launchSyncWorker(workerFile, 'scan', (channel) => ({
    ...snapshotJob(db),
    params,
    range,
    columnsOf,
    build: build && columnsOf === null,
    ...channel,
  }));
  return w === null ? null : Object.assign(w, { cpuMs: null });
}

/**
 * The worker's part, or null when it failed, stalled, or its snapshot did not hold exactly the
 * range's requests (the caller then scans the range itself). `cancelPoint` is polled while
 * waiting; when it throws, the worker is stopped and the error goes on.
 */
export function joinScanWorker(p: ScanInWorker, cancelPoint?: () => void): WorkerPart | null {
  try {
    const msg = nextSyncMessage<ScanWorkerMessage>(p, cancelPoint);
    if (msg?.type !== 'part') return null;
    p.cpuMs = msg.cpuMs;
    return { part: msg.part, columns: msg.columns };
  } finally {
    stopSyncWorker(p);
  }
}

function runScanRole(job: ScanJob): void {
  runSnapshotRole(job, (db, side) => {
    const cancel = (): void => {
      if (side.stopRequested()) throw ROLE_STOPPED;
      side.bump();
    };
    let part: ScanPart;
    let columns: BuiltColumns | null = null;
    if (job.columnsOf !== null) {
      const cover = columnsCovering(db, job.columnsOf);
      if (cover === null) throw new Error('the worker found other request columns');
      part = scanColumns(db, job.params, cover, job.range, job.range.count, cancel);
    } else if (job.build)
      ({ part, columns } = scanRowsBuilding(db, job.params, job.range, job.range.count, cancel));
    else part = scanRows(db, job.params, job.range, job.range.count, cancel);
    return {
      message: { type: 'part', part: posted(part), columns },
      transfer: [...columnBuffers(part), ...chunkBuffers(columns)],
    };
  });
}

if (!isMainThread) {
  const data = workerData as { role?: string; job?: ScanJob } | null;
  if (data?.role === 'scan' && data.job) runScanRole(data.job);
}
