import { toErrorInfo, type ErrorInfo } from '../../shared/contract/errors.js';

/**
 * What a failed call tells the investigator. SQLite's lock timeout (another connection, the
 * rebuild's or an import's, held the case's write lock past busy_timeout) is BUSY with what to
 * do, not an internal "database is locked".
 */
export function callError(err: unknown): ErrorInfo {
  if ((err as { code?: unknown } | null)?.code === 'SQLITE_BUSY') {
    return {
      code: 'BUSY',
      message:
        'The case is busy: a rebuild or an import is writing to it. Try again when it has finished (or cancel it).',
    };
  }
  return toErrorInfo(err);
}
