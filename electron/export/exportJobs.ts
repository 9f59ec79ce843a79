import type { ExportDoneEvent } from '../../shared/contract/exportApi.js';
import { AppError, toErrorInfo } from '../../shared/contract/errors.js';
import type { EventHub } from '../api/eventHub.js';

/** What one export reports back; `path` is null for a browser download. */
export interface ExportOutcome {
  rows: number;
  bytes: number;
  path: string | null;
}

export interface ExportWork {
  signal: AbortSignal;
  /** Rows written so far; forwarded as exportProgress events, at most ~10 a second. */
  progress(rows: number, bytes: number): void;
}

/** Progress events are for a bar a person watches: ten a second is plenty. */
const PROGRESS_EVERY_MS = 100;

/**
 * The running exports of one backend, by the id the renderer chose: each can be cancelled
 * (cancelExport) and reports exportProgress and one exportDone over the event hub, whether it
 * writes a file (desktop) or an HTTP download (browser mode).
 */
export class ExportJobs {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly events: EventHub) {}

  has(exportId: string): boolean {
    return this.running.has(exportId);
  }

  /**
   * Runs one export to its end and emits exportDone with the result or the error (also
   * rethrown). `total` (the matching rows) goes with every progress event.
   */
  async run(
    exportId: string,
    total: number | null,
    work: (w: ExportWork) => Promise<ExportOutcome>,
  ): Promise<ExportOutcome> {
    if (this.running.has(exportId)) {
      throw new AppError('BUSY', `Export ${exportId} is already running.`);
    }
    const ac = new AbortController();
    this.running.set(exportId, ac);
    let last = 0;
    const progress = (rows: number, bytes: number, force = false): void => {
      const now = Date.now();
      if (!force && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      this.events.emit('exportProgress', { exportId, rows, total, bytes });
    };
    progress(0, 0, true);
    let done: ExportDoneEvent;
    try {
      const outcome = await work({ signal: ac.signal, progress });
      progress(outcome.rows, outcome.bytes, true);
      done = { exportId, result: outcome, error: null };
      this.events.emit('exportDone', done);
      return outcome;
    } catch (err) {
      const error = ac.signal.aborted
        ? { code: 'CANCELLED' as const, message: 'Export cancelled.' }
        : toErrorInfo(err);
      done = { exportId, result: null, error };
      this.events.emit('exportDone', done);
      throw err instanceof AppError ? err : new AppError(error.code, error.message);
    } finally {
      this.running.delete(exportId);
    }
  }

  /** Stops the export between two pages; false when no export has this id. */
  cancel(exportId: string): boolean {
    const ac = this.running.get(exportId);
    if (!ac) return false;
    ac.abort();
    return true;
  }

  cancelAll(): void {
    for (const ac of this.running.values()) ac.abort();
  }
}

const jobsByHub = new WeakMap<EventHub, ExportJobs>();

/**
 * The export jobs of the backend that owns `events` (one hub per backend): the IPC handlers
 * and browser mode's download route share them without a field in every ApiContext.
 */
export function exportJobsFor(events: EventHub): ExportJobs {
  let jobs = jobsByHub.get(events);
  if (!jobs) {
    jobs = new ExportJobs(events);
    jobsByHub.set(events, jobs);
  }
  return jobs;
}
