import { Worker } from 'node:worker_threads';
import { AppError, ERROR_CODES, type ErrorInfo } from '../../shared/contract/errors.js';
import {
  importSource,
  type ImportedSource,
  type ImportOptions,
  type ImportProgress,
} from '../ingest/importSource.js';
import { openCase } from '../store/openCase.js';

/** One import job as a runner sees it: files into a case file, on a connection of its own. */
export interface ImportRunRequest {
  casePath: string;
  paths: string[];
  options: ImportOptions;
  nativeBinding?: string;
}

export interface ImportRunCallbacks {
  onProgress(fileIndex: number, progress: ImportProgress): void;
  onFileDone(fileIndex: number, result: ImportedSource): void;
  signal: AbortSignal;
}

/** Runs the files in order; resolves when all are in, rejects with an AppError otherwise. */
export type ImportRunner = (req: ImportRunRequest, cb: ImportRunCallbacks) => Promise<void>;

/**
 * Imports on this thread, over its own connection. Used where no worker script is available
 * (running from source); importSource yields between chunks, so calls are still answered.
 */
export const inProcessRunner: ImportRunner = async (req, cb) => {
  const db = openCase(req.casePath, {
    create: false,
    ...(req.nativeBinding ? { nativeBinding: req.nativeBinding } : {}),
  });
  try {
    for (const [i, file] of req.paths.entries()) {
      if (cb.signal.aborted) throw new AppError('CANCELLED', 'Import cancelled.');
      const r = await importSource(db, file, req.options, {
        onProgress: (p) => cb.onProgress(i, p),
        signal: cb.signal,
      });
      cb.onFileDone(i, r);
    }
  } finally {
    db.close();
  }
};

/** Messages between the job runner and an import worker thread. */
export type ToWorker = { type: 'cancel' };
export type FromWorker =
  | { type: 'progress'; fileIndex: number; progress: ImportProgress }
  | { type: 'file'; fileIndex: number; result: ImportedSource }
  | { type: 'done' }
  | { type: 'error'; error: ErrorInfo };

/** Imports in a worker thread running `script` (which calls `serveImportWorker`). */
export function workerRunner(script: string): ImportRunner {
  return (req, cb) =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(script, { workerData: req });
      let settled = false;
      const settle = (err?: AppError): void => {
        if (settled) return;
        settled = true;
        cb.signal.removeEventListener('abort', onAbort);
        void worker.terminate();
        if (err) reject(err);
        else resolve();
      };
      const onAbort = (): void => worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      cb.signal.addEventListener('abort', onAbort);
      if (cb.signal.aborted) onAbort();
      worker.on('message', (msg: FromWorker) => {
        switch (msg.type) {
          case 'progress':
            cb.onProgress(msg.fileIndex, msg.progress);
            return;
          case 'file':
            cb.onFileDone(msg.fileIndex, msg.result);
            return;
          case 'done':
            settle();
            return;
          case 'error': {
            const code = ERROR_CODES.includes(msg.error.code) ? msg.error.code : 'INTERNAL';
            settle(new AppError(code, msg.error.message));
            return;
          }
        }
      });
      worker.on('error', (err) => settle(new AppError('INTERNAL', err.message)));
      worker.on('exit', (code) =>
        settle(new AppError('INTERNAL', `Import worker stopped unexpectedly (exit ${code}).`)),
      );
    });
}
