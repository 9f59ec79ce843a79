import type { EndpointSummary } from '../contract/analysisApi.js';

/**
 * The columns of the endpoint inventory's CSV export (the Endpoints view's "Download CSV",
 * `sessionscope export --endpoints`), in their documented order: what the view shows of each
 * endpoint, its risk with the factors behind it, and its status against the loaded specs.
 * Templates, hosts and parameter names come from the logs: csvRow neutralizes them.
 */
export const ENDPOINT_EXPORT_HEADER = [
  'endpoint_id',
  'method',
  'host',
  'template',
  'requests',
  'first_seen',
  'last_seen',
  'status_mix',
  'error_share',
  'latency_median_ms',
  'latency_p95_ms',
  'size_median_bytes',
  'size_p95_bytes',
  'flows',
  'outliers',
  'risk_score',
  'risk_level',
  'risk_factors',
  'spec_status',
  'spec_reason',
  'spec_path',
  'params',
] as const;

/** An endpoint's 4xx and 5xx answers. */
export function errorCount(e: EndpointSummary): number {
  let errors = 0;
  for (const [code, n] of Object.entries(e.statusMix)) if (/^[45]/.test(code)) errors += n;
  return errors;
}

/** 4xx and 5xx answers over all its requests (0 without requests), as the Endpoints view shows it. */
export function errorShare(e: EndpointSummary): number {
  return e.requestCount > 0 ? errorCount(e) / e.requestCount : 0;
}

/** One endpoint's cells, in ENDPOINT_EXPORT_HEADER order. */
export function endpointCells(e: EndpointSummary): (string | number | null)[] {
  return [
    e.id,
    e.method,
    e.host,
    e.template,
    e.requestCount,
    e.firstSeen,
    e.lastSeen,
    // "200:5;404:1", most frequent first (ties by code), as the CLI's table lists them.
    Object.entries(e.statusMix)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([code, n]) => `${code}:${n}`)
      .join(';'),
    // To four decimals.
    Math.round(errorShare(e) * 10_000) / 10_000,
    e.latencyMs.median,
    e.latencyMs.p95,
    e.respBytes.median,
    e.respBytes.p95,
    e.flows.join(';'),
    e.outlierCount,
    e.risk?.score ?? null,
    e.risk?.level ?? null,
    // "succeeded-attack (9): 3 flagged requests answered 2xx; bola (6): …", strongest first.
    e.risk ? e.risk.factors.map((f) => `${f.id} (${f.weight}): ${f.detail}`).join('; ') : null,
    e.spec?.status ?? null,
    e.spec?.reason ?? null,
    e.spec?.specPath ?? null,
    e.params.join(';'),
  ];
}
