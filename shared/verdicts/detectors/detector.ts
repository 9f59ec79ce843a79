import type { SessionFeatures } from '../features.js';
import type { VerdictThresholds } from '../thresholds.js';
import type { BotType, DetectorName } from '../types.js';

/** The numeric features a detector can compare with a baseline. */
export type NumericFeature = {
  [K in keyof SessionFeatures]: SessionFeatures[K] extends number ? K : never;
}[keyof SessionFeatures];

/**
 * A detector that compares one numeric feature with a threshold and with the capture's
 * baseline for that feature. `above`: larger is worse; `below`: smaller is worse.
 */
export interface NumericDetector {
  name: DetectorName;
  feature: NumericFeature | 'intervalCv';
  direction: 'above' | 'below';
  botType: BotType;
  /** Strong evidence is enough alone for a malicious verdict. */
  strong: boolean;
  threshold(t: VerdictThresholds): number;
  /** A precondition besides the threshold (enough requests to judge, a rate). */
  applies?(f: SessionFeatures, t: VerdictThresholds): boolean;
}

export function featureValue(f: SessionFeatures, d: NumericDetector): number | null {
  return d.feature === 'intervalCv' ? f.intervalCv : f[d.feature];
}
