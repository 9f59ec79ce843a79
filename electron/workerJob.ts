import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../shared/contract/errors.js';

/** What a job's worker posts last: its result, or the error it ended with. */
export type WorkerJobEnd<R> =
  { type: 'done'; result: R } | { type: 'error'; code: ErrorCode; message: string };

/**
 * Runs one job on a worker thread (the import, the rebuild): starts `workerFile` with
 * `workerData`, hands every message other than the job's end to `onMessage` (progress), and
 * settles once — with the job's result or error, the worker's error, or an unexpected exit
 * (`what` names the job in that message). An abort of `signal` calls `onAbort`, which tells the
 * worker in the job's own way (a message, a shared flag); the worker then ends with CANCELLED.
 */
export function runWorkerJob<R, M extends { type: string }>(opts: {
  what: string;
  workerFile: string;
  workerData: unknown;
  signal?: AbortSignal;
  onAbort: (worker: Worker) => void;
  onMessage?: (m: M) => void;
  /** Handed the worker once started (to hear of its exit after the job has settled). */
  onWorker?: (worker: Worker) => void;
}): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const worker = new Worker(opts.workerFile, { workerData: opts.workerData });
    opts.onWorker?.(worker);
    let settled = false;
    const settle = (err: Error | null, result?: R): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(result as R);
    };
    const onAbort = (): void => opts.onAbort(worker);
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: M | WorkerJobEnd<R>) => {
      if (m.type === 'done') settle(null, (m as { result: R }).result);
      else if (m.type === 'error') {
        const e = m as { code: ErrorCode; message: string };
        settle(new AppError(e.code, e.message));
      } else opts.onMessage?.(m as M);
    });
    worker.on('error', (err) => settle(err));
    // Deferred: a message posted just before the worker ended is delivered first.
    worker.on('exit', (code) =>
      setImmediate(() =>
        settle(new AppError('INTERNAL', `${opts.what} worker stopped unexpectedly (exit ${code})`)),
      ),
    );
  });
}
