export { computeBaselines, type Baselines } from './baseline.js';
export { combineVerdict } from './combine.js';
export {
  capDeclaredBot,
  capVerdict,
  uncap,
  withAttacks,
  type UncappedVerdict,
} from './declaredBot.js';
export { evaluateSession } from './evaluate.js';
export {
  SessionFeatureBuilder,
  type RequestObservation,
  type SessionFeatures,
} from './features.js';
export { isStaticAssetTemplate } from './staticAssets.js';
export { classifyUserAgent, type UaClass } from './userAgent.js';
export { verdictThresholdsSchema, type VerdictThresholds } from './thresholds.js';
export * from './types.js';
