import type { MessagePort } from 'node:worker_threads';
import { toErrorInfo } from '../../shared/contract/errors.js';
import {
  inProcessRunner,
  type FromWorker,
  type ImportRunRequest,
  type ToWorker,
} from './importRunner.js';

/** The worker thread's half of `workerRunner`: runs the job and reports over `port`. */
export async function serveImportWorker(port: MessagePort, req: ImportRunRequest): Promise<void> {
  const controller = new AbortController();
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'cancel') controller.abort();
  });
  const send = (m: FromWorker): void => port.postMessage(m);
  try {
    await inProcessRunner(req, {
      onProgress: (fileIndex, progress) => send({ type: 'progress', fileIndex, progress }),
      onFileDone: (fileIndex, result) => send({ type: 'file', fileIndex, result }),
      signal: controller.signal,
    });
    send({ type: 'done' });
  } catch (err) {
    send({ type: 'error', error: toErrorInfo(err) });
  }
  // The port stays open: the runner terminates this thread once it has read the last message.
}
