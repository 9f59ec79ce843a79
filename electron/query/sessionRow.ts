import { flowsOfMask } from '../../shared/analysis/flowRules.js';
import type { SessionSummary } from '../../shared/contract/analysisApi.js';
import { formatUs } from '../../shared/time/parseTime.js';

export const SESSION_COLUMNS = `s.id AS rowId, s.sid, s.key_kind AS keyKind, s.key_display AS keyDisplay,
  s.first_us AS firstUs, s.last_us AS lastUs, s.duration_us AS durationUs,
  s.request_count AS requestCount, s.ip_count AS ipCount, s.first_ip AS firstIp,
  s.user_agent AS userAgent, s.hosts, s.user, s.role, s.flows, s.outlier_count AS outlierCount,
  s.attack_count AS attackCount`;

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
  };
}
