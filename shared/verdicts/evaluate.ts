import type { Baselines } from './baseline.js';
import { numericDetectors } from './detectors/index.js';
import { featureValue, type NumericDetector } from './detectors/detector.js';
import type { SessionFeatures } from './features.js';
import type { VerdictThresholds } from './thresholds.js';
import type { VerdictReason } from './types.js';

/** Below this a "smaller is worse" value counts as this, so a ratio stays finite. */
const RATIO_FLOOR_BELOW = 0.001;

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** How many times the value is beyond the baseline; a zero baseline counts as 1 for counts. */
export function ratioOf(value: number, baseline: number, direction: 'above' | 'below'): number {
  return direction === 'above'
    ? round(value / Math.max(baseline, 1), 1)
    : round(baseline / Math.max(value, RATIO_FLOOR_BELOW), 1);
}

/** The reason a numeric detector gives, or null when it does not fire. */
export function evaluateNumeric(
  d: NumericDetector,
  f: SessionFeatures,
  baseline: number | null,
  t: VerdictThresholds,
): VerdictReason | null {
  const value = featureValue(f, d);
  if (value === null || !Number.isFinite(value)) return null;
  if (d.applies && !d.applies(f, t)) return null;
  const threshold = d.threshold(t);
  const above = d.direction === 'above';
  if (above ? value < threshold : value > threshold) return null;
  // Normal for this capture (most sessions do it): not evidence against this one.
  if (baseline !== null && (above ? value <= baseline : value >= baseline)) return null;
  return {
    detector: d.name,
    value: round(value, 3),
    threshold,
    baseline: baseline === null ? null : round(baseline, 3),
    direction: d.direction,
    ratio: baseline === null ? null : ratioOf(value, baseline, d.direction),
    strong: d.strong,
  };
}

/**
 * A scanner's user agent is always evidence; an HTTP library's or an empty one only when
 * flagged in the thresholds and when it is the exception in this capture (under half of the
 * sessions), since some captures are API-only and all scripts.
 */
export function evaluateUserAgent(
  f: SessionFeatures,
  b: Baselines,
  t: VerdictThresholds,
): VerdictReason | null {
  const share = b.uaShare?.get(f.uaClass) ?? null;
  const scanner = f.uaClass === 'scanner';
  const script = f.uaClass === 'script' || f.uaClass === 'empty';
  if (!scanner && !(script && t.flagScriptAgents && (share === null || share < 0.5))) return null;
  return {
    detector: 'bad_user_agent',
    value: 1,
    threshold: 1,
    baseline: share === null ? null : round(share, 3),
    direction: 'above',
    ratio: share === null ? null : round(1 / Math.max(share, 0.001), 1),
    detail: f.uaClass,
    strong: scanner,
  };
}

/** Every reason one session gives, in detector order. */
export function evaluateSession(
  f: SessionFeatures,
  b: Baselines,
  t: VerdictThresholds,
): VerdictReason[] {
  const out: VerdictReason[] = [];
  for (const d of numericDetectors) {
    const r = evaluateNumeric(d, f, b.byDetector.get(d.name) ?? null, t);
    if (r) out.push(r);
  }
  const ua = evaluateUserAgent(f, b, t);
  // An HTTP library's agent adds to other evidence; alone it is every integration's client.
  if (ua && (ua.strong || out.length > 0)) out.push(ua);
  return out;
}
