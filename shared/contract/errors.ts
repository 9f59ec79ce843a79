/** Every error code that may cross the process boundary. One list, used by every shell. */
export const ERROR_CODES = [
  'BAD_INPUT',
  'NOT_FOUND',
  'CASE_TOO_NEW',
  'CASE_OUTDATED',
  'NOT_A_CASE',
  'UNKNOWN_FORMAT',
  'DUPLICATE_SOURCE',
  'CANCELLED',
  'BUSY',
  /** What the call was based on changed meanwhile (settings edited elsewhere): reload it. */
  'CONFLICT',
  'UNAUTHORIZED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** True when a reply parsed from the wire has a Result's shape (`ok` a boolean). */
export function isResult(v: unknown): v is Result<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean';
}

/** An expected failure with a code the user can act on (as opposed to a bug). */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
