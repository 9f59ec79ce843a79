import { percentileSorted } from '../analysis/robustStats.js';
import { numericDetectors } from './detectors/index.js';
import { featureValue } from './detectors/detector.js';
import type { SessionFeatures } from './features.js';
import type { VerdictThresholds } from './thresholds.js';
import type { UaClass } from './userAgent.js';

/**
 * What is normal in this capture: per detector, the percentile of its feature over the
 * sessions with enough requests (the mirror percentile when smaller is worse), and the share
 * of those sessions in each user agent class. null when too few sessions qualify.
 */
export interface Baselines {
  eligible: number;
  byDetector: ReadonlyMap<string, number | null>;
  uaShare: ReadonlyMap<UaClass, number> | null;
}

export function computeBaselines(all: readonly SessionFeatures[], t: VerdictThresholds): Baselines {
  const eligible = all.filter((f) => f.requests >= t.baselineMinRequests);
  const enough = eligible.length >= t.baselineMinSessions;
  const byDetector = new Map<string, number | null>();
  for (const d of numericDetectors) {
    if (!enough) {
      byDetector.set(d.name, null);
      continue;
    }
    const values: number[] = [];
    for (const f of eligible) {
      const v = featureValue(f, d);
      if (v !== null && Number.isFinite(v)) values.push(v);
    }
    const sorted = Float64Array.from(values).sort();
    const p = d.direction === 'above' ? t.baselinePercentile : 100 - t.baselinePercentile;
    const b = percentileSorted(sorted, p);
    byDetector.set(d.name, Number.isNaN(b) ? null : b);
  }
  let uaShare: Map<UaClass, number> | null = null;
  if (enough) {
    uaShare = new Map();
    for (const f of eligible) uaShare.set(f.uaClass, (uaShare.get(f.uaClass) ?? 0) + 1);
    for (const [k, n] of uaShare) uaShare.set(k, n / eligible.length);
  }
  return { eligible: eligible.length, byDetector, uaShare };
}
