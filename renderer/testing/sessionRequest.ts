import type { SessionRequest } from '../../shared/contract/analysisApi';

/**
 * The i-th request of a plain test session: a GET of /items/i from 10.0.0.1, one second after
 * the one before it from `t0`, answered 200 in 12 ms with 512 bytes; `over` changes any field.
 */
export function sessionRequest(
  i: number,
  t0: number,
  over: Partial<SessionRequest> = {},
): SessionRequest {
  return {
    id: i + 1,
    time: '',
    tsUs: t0 + i * 1e6,
    ip: '10.0.0.1',
    method: 'GET',
    host: 'shop.example',
    path: `/items/${i}`,
    query: null,
    status: 200,
    latencyMs: 12,
    respBytes: 512,
    userAgent: 'curl/8',
    requestId: null,
    endpointId: 'e1',
    template: '/items/{id}',
    user: null,
    role: null,
    flows: [],
    attacks: [],
    outlier: false,
    latency: null,
    size: null,
    ...over,
  };
}
