import { assertNever, type ErrorCode } from '../../shared/contract/errors.js';

/** The HTTP status a failed call is answered with (the body is the Result either way). */
export function statusForError(code: ErrorCode): number {
  switch (code) {
    case 'BAD_INPUT':
    case 'UNKNOWN_FORMAT':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'NOT_FOUND':
      return 404;
    case 'BUSY':
    case 'CONFLICT':
    case 'DUPLICATE_SOURCE':
      return 409;
    case 'CASE_TOO_NEW':
    case 'CASE_OUTDATED':
    case 'NOT_A_CASE':
    case 'CANCELLED':
      return 422;
    case 'INTERNAL':
      return 500;
    default:
      return assertNever(code, 'error code');
  }
}
