import type { RequestDetail } from '../../shared/contract/analysisApi';
import { sessionRequest } from './sessionRequest';

/**
 * A request as its page gets it: the plain test session's first request (sessionRequest), of
 * session s00000000000000ab, line 3 of source 1, with no headers, bodies or source columns;
 * `over` changes any field.
 */
export function requestDetail(over: Partial<RequestDetail> = {}): RequestDetail {
  return {
    ...sessionRequest(0, Date.UTC(2026, 10, 20, 9) * 1000),
    sessionId: 's00000000000000ab',
    sourceId: 1,
    lineNo: 3,
    scheme: null,
    protocol: null,
    reqBytes: null,
    referer: null,
    headers: null,
    respHeaders: null,
    reqBody: null,
    respBody: null,
    srcSession: null,
    srcUser: null,
    srcRole: null,
    srcLabel: null,
    extra: null,
    ...over,
  };
}
