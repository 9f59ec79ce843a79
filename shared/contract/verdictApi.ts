import { z } from 'zod';
import type { BotType, ReviewDecision, VerdictLevel, VerdictReason } from '../verdicts/types.js';
import { sessionIdSchema } from './analysisApi.js';
import { call } from './define.js';

/**
 * Behavioural verdicts (shared/verdicts): a session's full verdict with its reasons, and the
 * investigator's review of it. Field names are a public interface (CLI --json).
 */

/** What a session list row carries: the verdict without its reasons. */
export interface SessionVerdictSummary {
  level: VerdictLevel;
  botType: BotType | null;
  confidence: number;
  review: ReviewDecision | null;
}

export interface VerdictReview {
  decision: ReviewDecision;
  note: string | null;
  /** ISO time of the review. */
  at: string;
  /** The level and bot type the investigator saw when reviewing. */
  level: VerdictLevel;
  botType: BotType | null;
}

export interface SessionVerdictDetail {
  sessionId: string;
  level: VerdictLevel;
  botType: BotType | null;
  confidence: number;
  reasons: VerdictReason[];
  review: VerdictReview | null;
}

export const REVIEW_ACTIONS = ['confirm', 'dismiss', 'clear'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

export const verdictCalls = {
  getSessionVerdict: call<SessionVerdictDetail>()(z.strictObject({ sessionId: sessionIdSchema })),
  /** Confirm or dismiss a session's verdict, or clear the review; audited. */
  reviewVerdict: call<SessionVerdictDetail>()(
    z.strictObject({
      sessionId: sessionIdSchema,
      decision: z.enum(REVIEW_ACTIONS),
      note: z.string().max(2000).optional(),
    }),
  ),
} as const;
