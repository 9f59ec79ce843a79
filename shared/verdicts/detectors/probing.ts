import type { NumericDetector } from './detector.js';

/** Detectors of walking through what an API holds: objects, values, paths, phone numbers. */

/** Many object ids on one templated endpoint (/users/{id}): broken object-level authorization. */
export const bola: NumericDetector = {
  name: 'bola',
  feature: 'maxIdsPerEndpoint',
  direction: 'above',
  botType: 'api_abuse',
  strong: true,
  threshold: (t) => t.bolaMinIds,
};

/** Many distinct values of one query parameter (?id=, ?email=, ?code=). */
export const enumeration: NumericDetector = {
  name: 'enum',
  feature: 'maxValuesPerParam',
  direction: 'above',
  botType: 'api_abuse',
  strong: false,
  threshold: (t) => t.enumMinValues,
};

/** A burst of 404s over many paths: forced browsing with a word list. */
export const dirbust: NumericDetector = {
  name: 'dirbust',
  feature: 'notFoundPaths',
  direction: 'above',
  botType: 'security_crawler',
  strong: true,
  threshold: (t) => t.dirbustMinPaths,
};

/** Many SMS GW requests to many numbers: toll fraud through premium-rate numbers. */
export const smsPumping: NumericDetector = {
  name: 'sms_pumping',
  feature: 'smsNumbers',
  direction: 'above',
  botType: 'resource_consumption',
  strong: true,
  threshold: (t) => t.smsMinNumbers,
};
