// A call that cannot be answered well yet, but will be once something in the background ends
// (the free-text index built after a rebuild job's answer): it throws before it has done
// anything, and whoever runs it again (retryAfterWaits, dispatch.ts) waits without holding the
// thread, so every other call answers meanwhile. Here, beside workerJob.ts, so analysis, query
// and api code can all use it without analysis importing api.
import { AppError, type ErrorCode } from '../shared/contract/errors.js';

/**
 * Thrown before a call has done anything, when it is better done once `ended` settles. Only
 * where it is run again (retryAfterWaits) is it waited for; elsewhere it is the error it says.
 */
export class WaitThenRetry extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly ended: Promise<void>,
  ) {
    super(code, message);
  }
}

/** How many retryAfterWaits calls are in their call's synchronous part (nested: more than 1). */
let retrying = 0;

/**
 * True while retryAfterWaits runs a call's synchronous part: a WaitThenRetry thrown now reaches
 * it (as a throw, or as the rejection of an async call's promise) before the call did anything
 * after an await. Code that runs after an await, or outside it (a detached export, the CLI),
 * must answer without throwing one.
 */
export function retriedAfterWait(): boolean {
  return retrying > 0;
}

/** Runs `call`, and again each time it throws a WaitThenRetry, once that one's `ended` settles. */
export async function retryAfterWaits<T>(call: () => T | Promise<T>): Promise<T> {
  for (;;) {
    let answer: T | Promise<T>;
    retrying++;
    try {
      answer = call();
    } catch (err) {
      answer = Promise.reject(err as Error);
    } finally {
      // Before any await: the wait below is not part of the call.
      retrying--;
    }
    try {
      return await answer;
    } catch (err) {
      if (!(err instanceof WaitThenRetry)) throw err;
      await err.ended;
    }
  }
}
