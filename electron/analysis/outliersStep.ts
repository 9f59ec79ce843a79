import { baselineOf, robustZ } from '../../shared/analysis/robustStats.js';
import type { BaselineRow } from './endpointsStep.js';
import { outliersBasis, readOutliersCache, writeOutliersCache } from './outliersCache.js';
import { need, type RebuildContext, type RebuildStep } from './rebuildContext.js';

export const OUTLIER_LATENCY = 1;
export const OUTLIER_SIZE = 2;

/** Whether the last outliers step on this thread read them back (for tests and benchmarks). */
let lastFromCache = false;

export function lastOutliersFromCache(): boolean {
  return lastFromCache;
}

export interface OutlierResult {
  /** Bit set per request: OUTLIER_LATENCY | OUTLIER_SIZE. */
  flags: Uint8Array;
  latencyZ: Float64Array;
  sizeZ: Float64Array;
}

/**
 * Per endpoint, a robust baseline (median, MAD) of latency and response size; a request is an
 * outlier when its robust z reaches the threshold AND it exceeds the median by the absolute
 * floor (so 3 ms against a 1 ms median is not news). Endpoints with fewer samples than the
 * minimum get percentiles but no outliers: there is no baseline to compare with.
 */
export const outliersStep: RebuildStep = {
  name: 'outliers',
  order: 40,
  run(ctx: RebuildContext) {
    const scan = need(ctx.scan, 'scan');
    const ep = need(ctx.endpoints, 'endpoints');
    // Kept by an earlier rebuild from the same latencies, endpoints and settings: read back.
    const basis = outliersBasis(ctx, ep, scan.n);
    const kept = basis === null ? null : readOutliersCache(ctx, basis, ep, scan.n);
    lastFromCache = kept !== null;
    if (kept !== null) {
      ctx.outliers = kept.out;
      ctx.stats.outliers = kept.total;
      return;
    }
    const cfg = ctx.settings.outliers;
    const flags = new Uint8Array(scan.n);
    const latencyZ = new Float64Array(scan.n).fill(NaN);
    const sizeZ = new Float64Array(scan.n).fill(NaN);
    let total = 0;
    const measure = (
      e: number,
      values: Float64Array,
      zOut: Float64Array,
      bit: number,
      floor: number,
    ): BaselineRow | null => {
      const from = ep.start[e]!;
      const to = ep.start[e + 1]!;
      let k = 0;
      // The endpoint's values gathered once in its order: the scoring pass below reads them
      // in sequence instead of going back to the capture-wide array at random.
      const gathered = new Float64Array(to - from);
      const sample = new Float64Array(to - from);
      for (let j = from; j < to; j++) {
        const v = values[ep.order[j]!]!;
        gathered[j - from] = v;
        if (!Number.isNaN(v)) sample[k++] = v;
      }
      if (k === 0) return null;
      const b = baselineOf(sample.subarray(0, k));
      if (k >= cfg.minSamples) {
        for (let j = from; j < to; j++) {
          const v = gathered[j - from]!;
          if (Number.isNaN(v)) continue;
          const i = ep.order[j]!;
          const z = robustZ(v, b.median, b.mad, b.meanAbsDev);
          // Infinity is not storable as a score; a huge finite z says the same.
          zOut[i] = Number.isFinite(z) ? z : z > 0 ? 1e9 : -1e9;
          if (z >= cfg.zThreshold && v - b.median >= floor) {
            if (flags[i] === 0) total++;
            flags[i]! |= bit;
          }
        }
      }
      return { count: b.count, median: b.median, p95: b.p95, mad: b.mad };
    };
    ep.list.forEach((e, idx) => {
      e.latency = measure(idx, scan.latency, latencyZ, OUTLIER_LATENCY, cfg.latencyFloorMs);
      e.size = measure(idx, scan.size, sizeZ, OUTLIER_SIZE, cfg.sizeFloorBytes);
      let c = 0;
      for (let j = ep.start[idx]!; j < ep.start[idx + 1]!; j++) if (flags[ep.order[j]!]) c++;
      e.outlierCount = c;
    });
    ctx.outliers = { flags, latencyZ, sizeZ };
    ctx.stats.outliers = total;
    if (basis !== null && scan.n > 0)
      writeOutliersCache(ctx, basis, ep, ctx.outliers, scan.n, total);
  },
};
