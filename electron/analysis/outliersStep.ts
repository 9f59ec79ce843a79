import {
  baselineOf,
  baselineOfSorted,
  robustZ,
  type RobustBaseline,
} from '../../shared/analysis/robustStats.js';
import type { BaselineRow } from './endpointsStep.js';
import { outliersBasis, readOutliersCache, writeOutliersCache } from './outliersCache.js';
import { mergeSortedRuns, STATUS_CLASSES, statusClass, type SizeGroup } from './outliersGroups.js';
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
  /**
   * The size baselines requests were judged by, per (endpoint, status class) with a size, in
   * endpoint then class order (outliersGroups.ts).
   */
  sizeGroups: SizeGroup[];
}

function rowOf(b: RobustBaseline): BaselineRow {
  return { count: b.count, median: b.median, p95: b.p95, mad: b.mad };
}

/**
 * A robust baseline (median, MAD) of latency per endpoint, and of response size per endpoint
 * and status class (outliersGroups.ts says why); a request is an outlier when its robust z
 * reaches the threshold AND it exceeds the median by the absolute floor (so 3 ms against a
 * 1 ms median is not news). Endpoints (size: groups) with fewer samples than the minimum get
 * percentiles but no outliers: there is no baseline to compare with. The endpoints keep their
 * endpoint-wide latency and size baselines, which describe them in the inventory.
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
    const score = (
      i: number,
      v: number,
      b: RobustBaseline,
      zOut: Float64Array,
      bit: number,
      floor: number,
    ): void => {
      const z = robustZ(v, b.median, b.mad, b.meanAbsDev);
      // Infinity is not storable as a score; a huge finite z says the same.
      zOut[i] = Number.isFinite(z) ? z : z > 0 ? 1e9 : -1e9;
      if (z >= cfg.zThreshold && v - b.median >= floor) {
        if (flags[i] === 0) total++;
        flags[i]! |= bit;
      }
    };
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
          score(ep.order[j]!, v, b, zOut, bit, floor);
        }
      }
      return rowOf(b);
    };
    const sizeGroups: SizeGroup[] = [];
    const classStart = new Int32Array(STATUS_CLASSES + 1);
    const fill = new Int32Array(STATUS_CLASSES);
    /** Judges endpoint `e`'s sizes per status class; gives its endpoint-wide size baseline. */
    const sizeByClass = (e: number): BaselineRow | null => {
      const from = ep.start[e]!;
      const to = ep.start[e + 1]!;
      classStart.fill(0);
      for (let j = from; j < to; j++) {
        const i = ep.order[j]!;
        if (!Number.isNaN(scan.size[i]!)) classStart[statusClass(scan.status[i]!) + 1]!++;
      }
      for (let c = 0; c < STATUS_CLASSES; c++) classStart[c + 1]! += classStart[c]!;
      const k = classStart[STATUS_CLASSES]!;
      if (k === 0) return null;
      // The endpoint's requests with a size, class by class, each class in endpoint order.
      const who = new Int32Array(k);
      const sample = new Float64Array(k);
      fill.set(classStart.subarray(0, STATUS_CLASSES));
      for (let j = from; j < to; j++) {
        const i = ep.order[j]!;
        const v = scan.size[i]!;
        if (Number.isNaN(v)) continue;
        const at = fill[statusClass(scan.status[i]!)]!++;
        who[at] = i;
        sample[at] = v;
      }
      // The same, each class sorted in place for its baseline.
      const sorted = sample.slice();
      let classes = 0;
      let last: RobustBaseline | null = null;
      for (let c = 0; c < STATUS_CLASSES; c++) {
        const a = classStart[c]!;
        const b = classStart[c + 1]!;
        if (a === b) continue;
        const base = baselineOfSorted(sorted.subarray(a, b).sort());
        classes++;
        last = base;
        sizeGroups.push({ endpoint: e, statusClass: c, size: rowOf(base) });
        if (b - a < cfg.minSamples) continue;
        for (let p = a; p < b; p++)
          score(who[p]!, sample[p]!, base, sizeZ, OUTLIER_SIZE, cfg.sizeFloorBytes);
      }
      if (classes === 1) return rowOf(last!);
      // The endpoint's own baseline (the inventory's), from its classes' sorted runs.
      mergeSortedRuns(sorted, classStart, STATUS_CLASSES, sample);
      return rowOf(baselineOfSorted(sample));
    };
    ep.list.forEach((e, idx) => {
      e.latency = measure(idx, scan.latency, latencyZ, OUTLIER_LATENCY, cfg.latencyFloorMs);
      e.size = sizeByClass(idx);
      let c = 0;
      for (let j = ep.start[idx]!; j < ep.start[idx + 1]!; j++) if (flags[ep.order[j]!]) c++;
      e.outlierCount = c;
    });
    ctx.outliers = { flags, latencyZ, sizeZ, sizeGroups };
    ctx.stats.outliers = total;
    if (basis !== null && scan.n > 0)
      writeOutliersCache(ctx, basis, ep, ctx.outliers, scan.n, total);
  },
};
