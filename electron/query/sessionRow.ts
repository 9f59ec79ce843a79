import { flowsOfMask } from '../../shared/analysis/flowRules.js';
import type { SessionSummary } from '../../shared/contract/analysisApi.js';
import { formatUs } from '../../shared/time/parseTime.js';
import type { BotType, ReviewDecision } from '../../shared/verdicts/types.js';

/** How many of a session's distinct users a summary names (SessionSummary.users). */
export const SESSION_USERS_LISTED = 10;

/** Characters of session_values.user that hold its first SESSION_USERS_LISTED ids and commas. */
const USERS_HEAD_CHARS = 18 * SESSION_USERS_LISTED;

/**
 * A session's distinct users from session_values (its `user`: fact_values ids, ascending, so
 * in the order the case first saw them): how many, and the first SESSION_USERS_LISTED as a JSON
 * array of names, read from the head of the list cut after its last whole id (a session that
 * tried 20,000 accounts: its list is parsed once, to count, not twice). One primary-key read per
 * listed session, not a pass over its requests. Null where session_values has no row for it.
 */
const SESSION_USERS = `(SELECT json_array_length(sv.user) FROM session_values sv
    WHERE sv.session_id = s.id) AS userCount,
  (SELECT json_group_array(fv.value) FROM (SELECT j.value AS id FROM session_values sv,
      json_each(CASE WHEN octet_length(sv.user) <= ${USERS_HEAD_CHARS} THEN sv.user
        ELSE rtrim(rtrim(substr(sv.user, 1, ${USERS_HEAD_CHARS}), '0123456789'), ',') || ']' END) j
      WHERE sv.session_id = s.id LIMIT ${SESSION_USERS_LISTED}) u
    JOIN fact_values fv ON fv.id = u.id) AS usersJson`;

export const SESSION_COLUMNS = `s.id AS rowId, s.sid, s.key_kind AS keyKind, s.key_display AS keyDisplay,
  s.first_us AS firstUs, s.last_us AS lastUs, s.duration_us AS durationUs,
  s.request_count AS requestCount, s.ip_count AS ipCount, s.first_ip AS firstIp,
  s.user_agent AS userAgent, s.hosts, s.user, s.role, s.flows, s.outlier_count AS outlierCount,
  s.attack_count AS attackCount,
  (SELECT v.level FROM session_verdicts v WHERE v.session_id = s.id) AS verdictLevel,
  (SELECT v.bot_type FROM session_verdicts v WHERE v.session_id = s.id) AS verdictBotType,
  (SELECT v.confidence FROM session_verdicts v WHERE v.session_id = s.id) AS verdictConfidence,
  (SELECT r.decision FROM verdict_reviews r WHERE r.sid = s.sid) AS verdictReview,
  ${SESSION_USERS}`;

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
  /** From session_values (SESSION_USERS); null where it has no row for the session. */
  userCount: number | null;
  usersJson: string | null;
}

/**
 * The session's distinct users (how many, and up to SESSION_USERS_LISTED of them sorted by
 * name); without a session_values row, its own user alone.
 */
function usersOf(r: SessionRow): { userCount: number; users: string[] } {
  if (r.userCount === null || r.usersJson === null) {
    return r.user === null ? { userCount: 0, users: [] } : { userCount: 1, users: [r.user] };
  }
  const users = (JSON.parse(r.usersJson) as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { userCount: Math.max(r.userCount, users.length), users };
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
    ...usersOf(r),
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
