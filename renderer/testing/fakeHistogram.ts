import type { RequestHistogram } from '../../shared/contract/analysisApi';

/**
 * The backend's histogram of requests at `times` (all 2xx): n equal buckets over the filter's
 * range (else from the first time to the last), each with its first and last request.
 */
export function fakeHistogram(
  times: readonly number[],
  filters: { from?: number; to?: number } | undefined,
  n: number,
): RequestHistogram {
  const from = filters?.from ?? times[0]!;
  const to = filters?.to ?? times.at(-1)! + 1;
  const width = Math.ceil((to - from) / n);
  const counts = Array.from({ length: n }, () => 0);
  const firsts: number[] = [];
  const lasts: number[] = [];
  for (const ts of times) {
    if (ts < from || ts >= to) continue;
    const k = Math.floor((ts - from) / width);
    counts[k]!++;
    firsts[k] = Math.min(firsts[k] ?? ts, ts);
    lasts[k] = Math.max(lasts[k] ?? ts, ts);
  }
  return {
    buckets: counts.map((s2xx, i) => ({
      startUs: from + i * width,
      endUs: from + (i + 1) * width,
      s2xx,
      s3xx: 0,
      s4xx: 0,
      s5xx: 0,
      other: 0,
      ...(s2xx > 0 ? { firstUs: firsts[i]!, lastUs: lasts[i]! } : {}),
    })),
    widthUs: width,
    total: counts.reduce((a, b) => a + b, 0),
    caseFirstUs: times[0]!,
    caseLastUs: times.at(-1)!,
  };
}
