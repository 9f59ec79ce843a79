import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { BATCH_CONTENT_TYPE, type BatchRequest } from '../../shared/contract/batch.js';
import type { ApiContext } from '../api/context.js';
import { dispatch } from '../api/dispatch.js';

/** Lets the socket take the line just written before the next call holds the thread. */
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Answers a validated batch: each call dispatched in turn, exactly as on its own, its Result
 * written as one JSON line as soon as it is known (JSON.stringify never emits a raw newline).
 * A call that fails answers its error on its line; the others still run.
 */
export async function answerBatch(
  res: ServerResponse,
  calls: BatchRequest,
  ctx: ApiContext,
  headers: OutgoingHttpHeaders,
): Promise<void> {
  res.writeHead(200, {
    ...headers,
    'content-type': BATCH_CONTENT_TYPE,
    'cache-control': 'no-store',
  });
  for (const { name, input } of calls) {
    if (res.destroyed) return;
    res.write(`${JSON.stringify(await dispatch(name, input, ctx))}\n`);
    await yieldToIo();
  }
  res.end();
}
