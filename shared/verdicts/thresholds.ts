import { z } from 'zod';

/**
 * Thresholds of the behavioural detectors (shared/verdicts/README.md explains each one).
 * Stored in the analysis settings under `verdicts`; every field has a default, so `{}` is a
 * complete setting. A detector fires when its feature reaches the threshold AND lies beyond
 * the capture's own baseline, so traffic that is normal for this application is not flagged.
 */

const count = (def: number) => z.number().int().min(1).max(1_000_000_000).default(def);

export const verdictThresholdsSchema = z.object({
  /** Sessions with fewer requests do not count towards the baselines. */
  baselineMinRequests: count(5),
  /** Fewer eligible sessions than this: no baseline, thresholds alone decide. */
  baselineMinSessions: count(10),
  /** Percentile of the eligible sessions that is "normal" (its mirror for lower-is-worse). */
  baselinePercentile: z.number().min(50).max(100).default(90),
  /** Rate, interval and uniqueness detectors need at least this many requests. */
  minRequests: count(20),
  /** Failed logins (401/403/429 on Auth endpoints) in one session. */
  bruteMinFailures: count(10),
  /** Distinct submitted users on Auth endpoints in one session. */
  stuffingMinUsers: count(10),
  /** Failed logins followed by a successful one. */
  takeoverMinFailures: count(5),
  /** Distinct client IPs in the session or behind its user. */
  ipRotationMinIps: count(5),
  /** Distinct session keys (cookies, tokens) behind one user in the capture. */
  sessionRotationMinSessions: count(10),
  /** Distinct object ids (paths) on one templated endpoint within the window below. */
  bolaMinIds: count(50),
  bolaWindowMin: z
    .number()
    .positive()
    .max(24 * 60)
    .default(10),
  /** Distinct values of one query parameter in the session. */
  enumMinValues: count(50),
  /** Distinct paths answered 404 in the session (a templated endpoint counts once: ids guessed on it are bola). */
  dirbustMinPaths: count(20),
  /** Distinct phone numbers sent to SMS GW endpoints in the session. */
  smsMinNumbers: count(5),
  /** Distinct resources (path + query) fetched, together with the rate below. */
  scrapingMinResources: count(200),
  scrapingMinPerMinute: z.number().positive().default(20),
  /** Response bytes over the session. */
  volumeMinBytes: count(50_000_000),
  /** Requests other than static files per minute over the session's span (at least one minute). */
  rateMinPerMinute: z.number().positive().default(120),
  /** Coefficient of variation of the gaps between requests; machines are regular. */
  regularMaxCv: z.number().min(0).max(10).default(0.1),
  /** Distinct resources / requests; a loop on one URL is low. */
  uniquenessMaxRatio: z.number().min(0).max(1).default(0.05),
  /** Flag HTTP-library and empty user agents too (scanners are always flagged). */
  flagScriptAgents: z.boolean().default(true),
});

export type VerdictThresholds = z.output<typeof verdictThresholdsSchema>;

export function defaultVerdictThresholds(): VerdictThresholds {
  return verdictThresholdsSchema.parse({});
}
