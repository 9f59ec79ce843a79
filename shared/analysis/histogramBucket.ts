import type { HistogramBucket } from '../contract/analysisApi.js';

/** The requests a histogram bucket holds: every status class and the rest. */
export function bucketRequests(b: HistogramBucket): number {
  return b.s2xx + b.s3xx + b.s4xx + b.s5xx + b.other;
}
