import { detectRebuildStep, detectStartStep } from './detectStep.js';
import { endpointsStep } from './endpointsStep.js';
import { flowsStep } from './flowsStep.js';
import { outliersStep } from './outliersStep.js';
import type { RebuildStep } from './rebuildContext.js';
import { riskStep } from './riskStep.js';
import { scanStep } from './scanStep.js';
import { sessionAttacksStep } from './sessionAttacksStep.js';
import { sessionEndpointsStep } from './sessionEndpointsStep.js';
import { sessionMixStep } from './sessionMixStep.js';
import { sessionValuesStep } from './sessionValuesStep.js';
import { sessionsStep } from './sessionsStep.js';
import { specStep } from './specStep.js';
import { textIndexStep } from './textIndexStep.js';
import { timeBucketsStep } from './timeBucketsStep.js';
import { verdictsInputStep, verdictsStartStep, verdictsStep } from './verdictsStep.js';
import { tagStep } from './tagStep.js';
import { writeStep } from './writeStep.js';

/**
 * Every step of the analysis rebuild. Other areas add theirs here (detections at order 70,
 * specs and risk at 80); the rebuild runs them sorted by `order`, after the derived tables
 * are written (60) and before session attack counts (90).
 */
export const rebuildSteps: RebuildStep[] = [
  detectStartStep,
  scanStep,
  verdictsStartStep,
  endpointsStep,
  flowsStep,
  outliersStep,
  sessionsStep,
  verdictsInputStep,
  writeStep,
  timeBucketsStep,
  sessionEndpointsStep,
  sessionMixStep,
  sessionValuesStep,
  textIndexStep,
  detectRebuildStep,
  tagStep,
  specStep,
  riskStep,
  sessionAttacksStep,
  verdictsStep,
];
