// Worker-thread entry (built to dist/electron/importWorker.mjs) with two roles, chosen by
// workerData.role:
//   'parse'  – reads and parses one source, posting encoded batches to the thread that writes;
//   'import' – runs a whole importSource (which starts its own parse worker) so a caller such as
//              the app's backend keeps its thread free; posts progress, obeys 'cancel'.
// Imported on a main thread it only provides runImportInWorker, the caller's side of 'import'.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { AppError, toErrorInfo } from '../../shared/contract/errors.js';
import { openCase } from '../store/openCase.js';
import { runWorkerJob, type WorkerJobEnd } from '../workerJob.js';
import {
  importSource,
  type ImportedSource,
  type ImportOptions,
  type ImportProgress,
} from './importSource.js';
import {
  defaultWorkerFile,
  parseSource,
  type ParseJob,
  type ParseWorkerMessage,
} from './parseBatches.js';

/** Batches posted but not yet written; the parser waits beyond this (bounds memory). */
const MAX_IN_FLIGHT = 4;

/** Progress on the way; the job ends with a WorkerJobEnd. */
interface ImportWorkerMessage {
  type: 'progress';
  progress: ImportProgress;
}

export interface WorkerImportControl {
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  progressIntervalMs?: number;
  /** The built worker script; defaults to importWorker.mjs beside the running bundle. */
  workerFile?: string;
}

/**
 * Imports one file into the case at `casePath` on a worker thread (its own database
 * connection). Cancelling via `signal` rolls the import back: the case is left as it was.
 */
export function runImportInWorker(
  casePath: string,
  file: string,
  opts: ImportOptions = {},
  ctl: WorkerImportControl = {},
): Promise<ImportedSource> {
  const workerFile = ctl.workerFile ?? defaultWorkerFile();
  if (!workerFile) {
    return Promise.reject(new AppError('INTERNAL', 'import worker script not found (build first)'));
  }
  return runWorkerJob<ImportedSource, ImportWorkerMessage>({
    what: 'import',
    workerFile,
    workerData: {
      role: 'import',
      casePath,
      file,
      opts,
      progressIntervalMs: ctl.progressIntervalMs,
    },
    signal: ctl.signal,
    // The worker rolls back and answers with CANCELLED; terminating it would work too (the
    // transaction dies with the connection) but an orderly rollback keeps the WAL tidy.
    onAbort: (worker) => worker.postMessage('cancel'),
    onMessage: (m) => ctl.onProgress?.(m.progress),
  });
}

async function runParseRole(job: ParseJob): Promise<void> {
  const port = parentPort!;
  let inFlight = 0;
  let wake: (() => void) | null = null;
  port.on('message', (m: unknown) => {
    if (m === 'ack') {
      inFlight--;
      const w = wake;
      wake = null;
      w?.();
    }
  });
  try {
    const end = await parseSource(
      job,
      (batch, progress) => {
        inFlight++;
        const msg: ParseWorkerMessage = { type: 'batch', ...batch, ...progress };
        // The cells are moved, not copied: the batch is not used here again.
        port.postMessage(msg, [batch.cells.buffer]);
      },
      () => false,
      () => (inFlight < MAX_IN_FLIGHT ? null : new Promise<void>((r) => (wake = r))),
    );
    port.postMessage({ type: 'end', ...end } satisfies ParseWorkerMessage);
  } catch (err) {
    // Parser exceptions are caught per line; what reaches here is the file itself failing to
    // read (I/O, a corrupt .gz): bad input, as it is when parsing on the calling thread.
    const info =
      err instanceof AppError
        ? toErrorInfo(err)
        : {
            code: 'BAD_INPUT' as const,
            message: `${job.source.fileName}: ${(err as Error).message}`,
          };
    port.postMessage({ type: 'error', ...info } satisfies ParseWorkerMessage);
  }
  port.close();
}

async function runImportRole(data: {
  casePath: string;
  file: string;
  opts: ImportOptions;
  progressIntervalMs?: number;
}): Promise<void> {
  const port = parentPort!;
  const controller = new AbortController();
  port.on('message', (m: unknown) => {
    if (m === 'cancel') controller.abort();
  });
  let msg: WorkerJobEnd<ImportedSource>;
  try {
    const db = openCase(data.casePath);
    try {
      const result = await importSource(db, data.file, data.opts, {
        signal: controller.signal,
        progressIntervalMs: data.progressIntervalMs,
        onProgress: (progress) => port.postMessage({ type: 'progress', progress }),
      });
      msg = { type: 'done', result };
    } finally {
      db.close();
    }
  } catch (err) {
    msg = { type: 'error', ...toErrorInfo(err) };
  }
  port.postMessage(msg);
  port.close();
}

if (!isMainThread && parentPort) {
  const data = workerData as { role?: string } | null;
  if (data?.role === 'parse') void runParseRole((data as { job: ParseJob }).job);
  else if (data?.role === 'import') void runImportRole(data as Parameters<typeof runImportRole>[0]);
}
