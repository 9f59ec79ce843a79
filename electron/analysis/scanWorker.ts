// Worker-thread entry (built to dist/electron/scanWorker.mjs): the request scan of one range of
// rows on a read-only connection of its own, so the rebuild's scan runs on two cores. Imported
// on the rebuild's thread it provides the caller's side: start the range, then join its part.
import { isMainThread, workerData } from 'node:worker_threads';
import type { ContextParam } from '../../shared/analysis/settings.js';
import type { CaseDb } from '../store/openCase.js';
import { columnBuffers, posted, type PostedPart } from './scanJoin.js';
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
}

type ScanWorkerMessage =
  { type: 'part'; part: PostedPart; cpuMs: number | null } | { type: 'error'; message: string };

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
 * run there (an in-memory case, no built script).
 */
export function startScanWorker(
  db: CaseDb,
  params: ContextParam[],
  range: ScanRange,
  workerFile: string | null = defaultScanWorkerFile(),
  columnsOf: number | null = null,
): ScanInWorker | null {
  if (!workerCanRead(db, workerFile)) return null;
  const w = launchSyncWorker(workerFile, 'scan', (channel) => ({
    ...snapshotJob(db),
    params,
    range,
    columnsOf,
    ...channel,
  }));
  return w === null ? null : Object.assign(w, { cpuMs: null });
}

/**
 * The worker's part, or null when it failed, stalled, or its snapshot did not hold exactly the
 * range's requests (the caller then scans the range itself). `cancelPoint` is polled while
 * waiting; when it throws, the worker is stopped and the error goes on.
 */
export function joinScanWorker(p: ScanInWorker, cancelPoint?: () => void): PostedPart | null {
  try {
    const msg = nextSyncMessage<ScanWorkerMessage>(p, cancelPoint);
    if (msg?.type !== 'part') return null;
    p.cpuMs = msg.cpuMs;
    return msg.part;
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
    if (job.columnsOf === null) part = scanRows(db, job.params, job.range, job.range.count, cancel);
    else {
      const cover = columnsCovering(db, job.columnsOf);
      if (cover === null) throw new Error('the worker found other request columns');
      part = scanColumns(db, job.params, cover, job.range, job.range.count, cancel);
    }
    return { message: { type: 'part', part: posted(part) }, transfer: columnBuffers(part) };
  });
}

if (!isMainThread) {
  const data = workerData as { role?: string; job?: ScanJob } | null;
  if (data?.role === 'scan' && data.job) runScanRole(data.job);
}
