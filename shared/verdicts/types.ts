/** The outcome of the behavioural detectors for one session. */

export const VERDICT_LEVELS = ['none', 'suspicious', 'malicious'] as const;
export type VerdictLevel = (typeof VERDICT_LEVELS)[number];

export const BOT_TYPES = [
  'account_takeover',
  'security_crawler',
  'scraping',
  'resource_consumption',
  'api_abuse',
] as const;
export type BotType = (typeof BOT_TYPES)[number];

export const DETECTORS = [
  'brute',
  'credential_stuffing',
  'account_takeover',
  'ip_rotation',
  'session_rotation',
  'bola',
  'enum',
  'dirbust',
  'sms_pumping',
  'scraping',
  'data_volume',
  'request_rate',
  'regular_intervals',
  'low_uniqueness',
  'bad_user_agent',
] as const;
export type DetectorName = (typeof DETECTORS)[number];

export const REVIEW_DECISIONS = ['confirmed', 'dismissed'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/**
 * Why a detector fired: the session's value, the capture's baseline for the same feature and
 * how far off the value is (`ratio`× above or below). `baseline` is null when the capture is
 * too small for one; the threshold decided alone then.
 */
export interface VerdictReason {
  detector: DetectorName;
  value: number;
  threshold: number;
  baseline: number | null;
  direction: 'above' | 'below';
  ratio: number | null;
  /** A category the value stands for (the user agent class for bad_user_agent). */
  detail?: string;
  /** Strong evidence: enough alone for a malicious verdict. */
  strong: boolean;
  /**
   * 'ip' when the reason comes from all sessions of the session's IP together: a client that
   * changes its user agent (so its key) on every request rotates sessions, judged as one.
   */
  scope?: 'ip';
}

export interface SessionVerdict {
  level: VerdictLevel;
  botType: BotType | null;
  /** 0..1, from how many detectors agree on the bot type. */
  confidence: number;
  reasons: VerdictReason[];
  /**
   * Set when a declared crawler's malicious verdict was lowered to suspicious
   * (declaredBot.ts): the verdict it had before, which the caller restores when signature
   * detections found attacks in the session (withAttacks). Stored beside the verdict
   * (session_verdicts.uncapped) so that a partial rebuild can decide again.
   */
  uncapped?: { level: VerdictLevel; botType: BotType | null; confidence: number };
}
