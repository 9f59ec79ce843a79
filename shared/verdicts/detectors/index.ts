import { accountTakeover, brute, credentialStuffing, ipRotation, sessionRotation } from './auth.js';
import type { NumericDetector } from './detector.js';
import { bola, dirbust, enumeration, smsPumping } from './probing.js';
import { dataVolume, lowUniqueness, regularIntervals, requestRate, scraping } from './volume.js';

/** Every numeric detector, in the order reasons are listed. bad_user_agent is in userAgentDetector.ts. */
export const numericDetectors: readonly NumericDetector[] = [
  brute,
  credentialStuffing,
  accountTakeover,
  ipRotation,
  sessionRotation,
  bola,
  enumeration,
  dirbust,
  smsPumping,
  scraping,
  dataVolume,
  requestRate,
  regularIntervals,
  lowUniqueness,
];
