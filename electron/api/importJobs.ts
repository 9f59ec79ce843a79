import { randomUUID } from 'node:crypto';
import type { ImportDoneEvent, ImportedSourceInfo } from '../../shared/contract/caseApi.js';
import { AppError, toErrorInfo } from '../../shared/contract/errors.js';
import type { ImportedSource, ImportOptions } from '../ingest/importSource.js';
import { audit } from '../store/auditLog.js';
import { removeSource } from '../store/sourcesRepo.js';
import type { OpenedCase } from './appState.js';
import type { EventHub } from './eventHub.js';
import type { ImportRunner } from './importRunner.js';
import { RateMeter } from './importRate.js';

interface Job {
  id: string;
  controller: AbortController;
  done: Promise<ImportDoneEvent>;
}

/**
 * Import jobs of the open case: one at a time, run by an ImportRunner off the thread that
 * answers calls, reported as importProgress / importDone events. A job is all or nothing:
 * when it fails or is cancelled, files it had already committed are removed again (and the
 * removal audited), so the case holds what it held before.
 */
export class ImportJobs {
  private running: Job | null = null;

  constructor(
    private readonly runner: ImportRunner,
    private readonly events: EventHub,
    private readonly nativeBinding?: string,
  ) {}

  get busy(): boolean {
    return this.running !== null;
  }

  assertIdle(what: string): void {
    if (this.running) throw new AppError('BUSY', `Cannot ${what} while an import is running.`);
  }

  start(target: OpenedCase, paths: string[], options: ImportOptions): string {
    this.assertIdle('start another import');
    const id = randomUUID();
    const controller = new AbortController();
    const job: Job = { id, controller, done: this.run(id, target, paths, options, controller) };
    this.running = job;
    void job.done.finally(() => {
      if (this.running === job) this.running = null;
    });
    return id;
  }

  cancel(importId: string): boolean {
    if (this.running?.id !== importId) return false;
    this.running.controller.abort();
    return true;
  }

  /** Cancels the running job, if any, and waits until it has been undone. */
  async cancelAndWait(): Promise<void> {
    const job = this.running;
    if (!job) return;
    job.controller.abort();
    await job.done;
  }

  /** Resolves with the job's importDone payload (also emitted as an event). */
  wait(importId: string): Promise<ImportDoneEvent> {
    if (this.running?.id !== importId) {
      return Promise.reject(new AppError('NOT_FOUND', `No running import ${importId}.`));
    }
    return this.running.done;
  }

  private async run(
    importId: string,
    target: OpenedCase,
    paths: string[],
    options: ImportOptions,
    controller: AbortController,
  ): Promise<ImportDoneEvent> {
    const results: ImportedSource[] = [];
    const rate = new RateMeter();
    let done: ImportDoneEvent;
    try {
      await this.runner(
        {
          casePath: target.path,
          paths,
          options,
          ...(this.nativeBinding ? { nativeBinding: this.nativeBinding } : {}),
        },
        {
          signal: controller.signal,
          onProgress: (fileIndex, p) =>
            this.events.emit('importProgress', {
              importId,
              fileIndex,
              fileCount: paths.length,
              ...rate.measure(fileIndex, p),
            }),
          onFileDone: (_i, r) => {
            results.push(r);
          },
        },
      );
      // A cancel that came while the last file was committing (a worker ends its COMMIT before
      // it reads the cancel) still cancels: what the investigator asked for is a case as it was.
      if (controller.signal.aborted) throw new AppError('CANCELLED', 'Import cancelled.');
      done = {
        importId,
        result: { sources: results.map(toInfo) },
        error: null,
      };
    } catch (err) {
      const error = toErrorInfo(err);
      this.undo(target, importId, results, error.code);
      done = { importId, result: null, error };
    }
    // Idle before anyone hears it is done, so a listener may act on the case right away.
    if (this.running?.id === importId) this.running = null;
    this.events.emit('importDone', done);
    return done;
  }

  private undo(target: OpenedCase, importId: string, results: ImportedSource[], why: string): void {
    const ids = results.filter((r) => r.status === 'complete').map((r) => r.sourceId);
    if (ids.length === 0 || !target.db.open) return;
    target.db.transaction(() => {
      for (const id of ids) removeSource(target.db, id);
      audit(target.db, 'import.undo', { importId, sourceIds: ids, reason: why });
    })();
  }
}

/** The result as the contract says it (the first unreadable part's reason is the CLI's alone). */
function toInfo(r: ImportedSource): ImportedSourceInfo {
  const { firstUnreadable: _first, ...info } = r;
  return { ...info, message: r.message ?? null };
}
