import type { NumericDetector } from './detector.js';

/** Detectors on Auth endpoints: guessing passwords, trying leaked pairs, getting in. */

/** Many failed logins (401, 403, 429 on an Auth endpoint) in one session. */
export const brute: NumericDetector = {
  name: 'brute',
  feature: 'authFailures',
  direction: 'above',
  botType: 'account_takeover',
  strong: true,
  threshold: (t) => t.bruteMinFailures,
};

/** Logins with many different submitted users from one session: a list of leaked pairs. */
export const credentialStuffing: NumericDetector = {
  name: 'credential_stuffing',
  feature: 'authDistinctUsers',
  direction: 'above',
  botType: 'account_takeover',
  strong: true,
  threshold: (t) => t.stuffingMinUsers,
};

/** A run of failed logins that a successful one ends: the guess worked. */
export const accountTakeover: NumericDetector = {
  name: 'account_takeover',
  feature: 'failuresBeforeSuccess',
  direction: 'above',
  botType: 'account_takeover',
  strong: true,
  threshold: (t) => t.takeoverMinFailures,
};

/** Many client IPs in the session or behind its user: proxies rotated to dodge rate limits. */
export const ipRotation: NumericDetector = {
  name: 'ip_rotation',
  feature: 'userIps',
  direction: 'above',
  botType: 'account_takeover',
  strong: false,
  threshold: (t) => t.ipRotationMinIps,
};

/** Many session keys behind one user: sessions thrown away to dodge per-session limits. */
export const sessionRotation: NumericDetector = {
  name: 'session_rotation',
  feature: 'userSessions',
  direction: 'above',
  botType: 'account_takeover',
  strong: false,
  threshold: (t) => t.sessionRotationMinSessions,
};
