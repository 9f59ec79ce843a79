import { AppError } from '../../shared/contract/errors.js';
import {
  importSource,
  type ImportedSource,
  type ImportOptions,
  type ImportProgress,
} from '../ingest/importSource.js';
import { runImportInWorker } from '../ingest/importWorker.js';
import { defaultWorkerFile } from '../ingest/parseBatches.js';
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

/** Imports on this thread, over a connection of its own (as a worker would). */
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

/** Imports each file on a worker thread (ingest's importWorker), keeping this thread free. */
export function workerImportRunner(workerFile?: string): ImportRunner {
  return async (req, cb) => {
    for (const [i, file] of req.paths.entries()) {
      if (cb.signal.aborted) throw new AppError('CANCELLED', 'Import cancelled.');
      const r = await runImportInWorker(req.casePath, file, req.options, {
        onProgress: (p) => cb.onProgress(i, p),
        signal: cb.signal,
        ...(workerFile ? { workerFile } : {}),
      });
      cb.onFileDone(i, r);
    }
  };
}

/**
 * The worker when its built script is there and the case opens with the default binding;
 * otherwise this thread (the worker cannot be handed an alternative native binding), where
 * importSource still parses on its own worker and only the batched writes run here.
 */
export function defaultImportRunner(nativeBinding?: string): ImportRunner {
  if (nativeBinding || !defaultWorkerFile()) return inProcessRunner;
  return workerImportRunner();
}
