import { flowsOfMask } from '../../shared/analysis/flowRules.js';
import type { SessionSummary } from '../../shared/contract/analysisApi.js';
import { formatUs } from '../../shared/time/parseTime.js';
import type { BotType, ReviewDecision } from '../../shared/verdicts/types.js';

export const SESSION_COLUMNS = `s.id AS rowId, s.sid, s.key_kind AS keyKind, s.key_display AS keyDisplay,
  s.first_us AS firstUs, s.last_us AS lastUs, s.duration_us AS durationUs,
  s.request_count AS requestCount, s.ip_count AS ipCount, s.first_ip AS firstIp,
  s.user_agent AS userAgent, s.hosts, s.user, s.role, s.flows, s.outlier_count AS outlierCount,
  s.attack_count AS attackCount,
  (SELECT v.level FROM session_verdicts v WHERE v.session_id = s.id) AS verdictLevel,
  (SELECT v.bot_type FROM session_verdicts v WHERE v.session_id = s.id) AS verdictBotType,
  (SELECT v.confidence FROM session_verdicts v WHERE v.session_id = s.id) AS verdictConfidence,
  (SELECT r.decision FROM verdict_reviews r WHERE r.sid = s.sid) AS verdictReview`;

export interface SessionRow {
  rowId: number;
  sid: string;
  keyKind: string;
  keyDisplay: string | null;
  firstUs: number;
  lastUs: number;
  durationUs: number;
  requestCount: number;
  ipCount: number;
  firstIp: string | null;
  userAgent: string | null;
  hosts: string;
  user: string | null;
  role: string | null;
  flows: number;
  outlierCount: number;
  attackCount: number;
  /** From session_verdicts (no row: none) and verdict_reviews, by primary key per row. */
  verdictLevel: 'suspicious' | 'malicious' | null;
  verdictBotType: BotType | null;
  verdictConfidence: number | null;
  verdictReview: ReviewDecision | null;
}

export function toSummary(r: SessionRow, matched?: { count: number }): SessionSummary {
  return {
    id: r.sid,
    keyKind: r.keyKind,
    keyValue: r.keyDisplay,
    firstSeen: formatUs(r.firstUs),
    lastSeen: formatUs(r.lastUs),
    firstUs: r.firstUs,
    lastUs: r.lastUs,
    durationMs: Math.round(r.durationUs / 1000),
    requestCount: r.requestCount,
    matchedRequests: matched?.count ?? r.requestCount,
    ipCount: r.ipCount,
    firstIp: r.firstIp,
    userAgent: r.userAgent,
    hosts: JSON.parse(r.hosts) as string[],
    user: r.user,
    role: r.role,
    flows: flowsOfMask(r.flows),
    outlierCount: r.outlierCount,
    attackCount: r.attackCount,
    verdict: {
      level: r.verdictLevel ?? 'none',
      botType: r.verdictBotType,
      confidence: r.verdictConfidence ?? 0,
      review: r.verdictReview,
    },
  };
}
