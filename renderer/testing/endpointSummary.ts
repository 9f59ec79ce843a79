import type { EndpointSummary } from '../../shared/contract/analysisApi';

/**
 * A plain test endpoint: GET api.example/items/{id}, 10 requests answered 200, no latency or
 * size measured, no flows, risk or spec status; `over` changes any field.
 */
export function endpointSummary(over: Partial<EndpointSummary> = {}): EndpointSummary {
  return {
    id: 'e00000000000000aa',
    method: 'GET',
    host: 'api.example',
    template: '/items/{id}',
    requestCount: 10,
    firstSeen: '',
    lastSeen: '',
    statusMix: { '200': 10 },
    latencyMs: { count: 0, median: null, p95: null },
    respBytes: { count: 0, median: null, p95: null },
    flows: [],
    autoFlows: [],
    params: [],
    outlierCount: 0,
    risk: null,
    spec: null,
    ...over,
  };
}
