import type { z } from 'zod';
import { api, isCallName, type Api } from '../../shared/contract/api.js';
import type { Result } from '../../shared/contract/errors.js';
import { retryAfterWaits } from '../waitThenRetry.js';
import { analysisHandlers } from './analysisHandlers.js';
import { auditHandlers } from './auditHandlers.js';
import { callError } from './callError.js';
import { caseHandlers } from './caseHandlers.js';
import type { ApiContext } from './context.js';
import { detectHandlers } from './detectHandlers.js';
import { exportHandlers } from './exportHandlers.js';
import type { HandlersFor } from './handlerTypes.js';
import { linkHandlers } from './linkHandlers.js';
import { rulesHandlers } from './rulesHandlers.js';
import { specHandlers } from './specHandlers.js';
import { verdictHandlers } from './verdictHandlers.js';

/**
 * Every call's handler. Adding a contract area is one import and one spread here; the type
 * makes a call without a handler fail to compile.
 */
const handlers: HandlersFor<Api> = {
  ...caseHandlers,
  ...analysisHandlers,
  ...detectHandlers,
  ...specHandlers,
  ...exportHandlers,
  ...linkHandlers,
  ...auditHandlers,
  ...verdictHandlers,
  ...rulesHandlers,
};

/**
 * The single entry of every shell into the backend: the name must be a contract call, the
 * input must pass its schema, and whatever happens the answer is a Result, never a throw.
 * A call that writes the case, or searches its text, while a text index is being built after
 * a rebuild waits for it (a WaitThenRetry: IndexTailBusy, textFilterSql.ts).
 */
export async function dispatch(
  name: unknown,
  rawInput: unknown,
  ctx: ApiContext,
): Promise<Result<unknown>> {
  if (!isCallName(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 64)) : typeof name;
    return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown call ${shown}.` } };
  }
  const parsed = api[name].input.safeParse(rawInput);
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'BAD_INPUT', message: `${name}: ${summariseIssues(parsed.error)}` },
    };
  }
  const handler = handlers[name] as (input: unknown, ctx: ApiContext) => unknown;
  try {
    // A write or a free-text search asked for while the text index is built after a rebuild
    // (about a second on a million requests) is done once it is: it threw before it read or
    // wrote anything, and this waits without holding the thread, so other calls answer.
    return { ok: true, value: await retryAfterWaits(() => handler(parsed.data, ctx)) };
  } catch (err) {
    const error = callError(err);
    if (error.code === 'INTERNAL') console.error(`call ${name} failed:`, err);
    return { ok: false, error };
  }
}

function summariseIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((i) => {
    const at = i.path.map(String).join('.');
    return at ? `${at}: ${i.message}` : i.message;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return shown.join('; ') + more;
}
