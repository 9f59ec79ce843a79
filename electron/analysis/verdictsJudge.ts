import { flowBit } from '../../shared/analysis/flowRules.js';
import {
  capDeclaredBot,
  combineVerdict,
  computeBaselines,
  evaluateSession,
  SessionFeatureBuilder,
  type RequestObservation,
  type SessionFeatures,
  type SessionVerdict,
  type UaClass,
  type VerdictThresholds,
} from '../../shared/verdicts/index.js';

const AUTH = flowBit('Auth');
const SMS = flowBit('SMS GW');

/** Verdict levels in order of gravity, to pick the graver of a session's and its IP's. */
const RANK = { none: 0, suspicious: 1, malicious: 2 } as const;

function graver(a: SessionVerdict, b: SessionVerdict): boolean {
  return RANK[a.level] > RANK[b.level] || (a.level === b.level && a.confidence > b.confidence);
}

/**
 * What the session verdicts are judged from: plain arrays and strings, so the judging can run
 * on another thread. Per request (index i, rowid order): the scan's columns; per endpoint: its
 * flows, whether its template has a placeholder and whether it serves static files; per
 * session (index k, id k + 1): its request count, whether it is keyed by ip+ua, and its first
 * request's user-agent class;
 * `order` lists each session's requests in time order, one session after another (so a
 * session's first IP and time are those of its first request there).
 */
export interface VerdictInput {
  n: number;
  ts: Float64Array;
  ip: Int32Array;
  status: Int32Array;
  size: Float64Array;
  user: Int32Array;
  key: Int32Array;
  pathHash: Uint32Array;
  query: (string | null)[];
  endpointOf: Int32Array;
  endpointFlows: Int32Array;
  templated: Uint8Array;
  /** Per endpoint: it serves static files (isStaticAssetTemplate). */
  asset: Uint8Array;
  sessionCount: Int32Array;
  sessionIpUa: Uint8Array;
  /** The class of the user agent of each session's first request. */
  sessionUaClass: UaClass[];
  order: Int32Array;
  thresholds: VerdictThresholds;
  timeoutUs: number;
}

export interface Judged {
  /** Per session (index k), its verdict. */
  verdicts: SessionVerdict[];
  ipGroups: number;
}

/**
 * Per-session behaviour features (shared/verdicts), baselines over the capture, and a verdict
 * per session. Sessions keyed by ip+ua (no cookie or token) of one IP are also judged
 * together: a client that changes its user agent on every request (Nikto; credential stuffers
 * with browser agents) otherwise becomes hundreds of one-request sessions that each look
 * harmless. When the IP's verdict is graver, its sessions take it, with the reasons marked
 * `scope: 'ip'`; the sessions without a verdict of their own take only the verdict on them
 * together, not evidence one other session of the address shows alone. A declared crawler's
 * verdict is capped (capDeclaredBot); the caller restores it for sessions with attacks.
 */
export function judgeSessions(input: VerdictInput, progress?: () => void): Judged {
  const t = input.thresholds;
  const { ts, ip, status, size, user, key, pathHash, query, endpointOf } = input;
  const flowsOf = input.endpointFlows;
  const templated = input.templated;
  const asset = input.asset;

  // Capture-wide, per user: the IPs and the session keys behind it.
  const userIps = new Map<number, Set<number>>();
  const userKeys = new Map<number, Set<number>>();
  for (let i = 0; i < input.n; i++) {
    const u = user[i]!;
    if (u < 0) continue;
    let keys = userKeys.get(u);
    if (!keys) userKeys.set(u, (keys = new Set()));
    keys.add(key[i]!);
    if (ip[i]! < 0) continue;
    let ips = userIps.get(u);
    if (!ips) userIps.set(u, (ips = new Set()));
    ips.add(ip[i]!);
  }

  const b = new SessionFeatureBuilder(t.bolaWindowMin * 60e6);
  const obs: RequestObservation = {
    tsUs: 0,
    ip: -1,
    status: null,
    respBytes: null,
    endpoint: 0,
    templated: false,
    asset: false,
    auth: false,
    sms: false,
    user: -1,
    pathHash: 0,
    query: null,
  };
  /** Features of requests given in time order; the user is the last one seen. */
  const featuresOf = (indices: ArrayLike<number>, uaClass: UaClass): SessionFeatures => {
    b.reset();
    let last = -1;
    for (let j = 0; j < indices.length; j++) {
      const i = indices[j]!;
      const e = endpointOf[i]!;
      const st = status[i]!;
      const sz = size[i]!;
      obs.tsUs = ts[i]!;
      obs.ip = ip[i]!;
      obs.status = st < 0 ? null : st;
      obs.respBytes = Number.isNaN(sz) ? null : sz;
      obs.endpoint = e;
      obs.templated = templated[e] === 1;
      obs.asset = asset[e] === 1;
      obs.auth = (flowsOf[e]! & AUTH) !== 0;
      obs.sms = (flowsOf[e]! & SMS) !== 0;
      obs.user = user[i]!;
      obs.pathHash = pathHash[i]!;
      obs.query = query[i]!;
      b.add(obs);
      if (obs.user >= 0) last = obs.user;
    }
    const f = b.finish();
    f.uaClass = indices.length > 0 ? uaClass : 'empty';
    if (last >= 0) {
      f.userIps = Math.max(f.ipCount, userIps.get(last)?.size ?? 0);
      f.userSessions = userKeys.get(last)?.size ?? 1;
    }
    return f;
  };

  const sessions = input.sessionCount.length;
  const starts = new Int32Array(sessions + 1);
  for (let k = 0; k < sessions; k++) starts[k + 1] = starts[k]! + input.sessionCount[k]!;
  const members = (k: number): Int32Array => input.order.subarray(starts[k]!, starts[k + 1]!);
  const all: SessionFeatures[] = [];
  for (let k = 0; k < sessions; k++) {
    all.push(featuresOf(members(k), input.sessionUaClass[k]!));
    if ((k & 0x3ff) === 0) progress?.();
  }
  const baselines = computeBaselines(all, t);
  const judge = (f: SessionFeatures): SessionVerdict =>
    capDeclaredBot(combineVerdict(evaluateSession(f, baselines, t)), f);
  const verdicts = all.map(judge);

  // One IP's ip+ua sessions together, when it has several (by the first request's IP id).
  const firstIpOf = (k: number): number => ip[input.order[starts[k]!]!]!;
  const byIp = new Map<number, number[]>();
  const keyedByIp = new Map<number, number[]>();
  for (let k = 0; k < sessions; k++) {
    const firstIp = firstIpOf(k);
    if (firstIp < 0) continue;
    const map = input.sessionIpUa[k] === 1 ? byIp : keyedByIp;
    const list = map.get(firstIp);
    if (list) list.push(k);
    else map.set(firstIp, [k]);
  }
  /** The requests of sessions `ks` in time order, and the verdict on them as one client. */
  const judgeTogether = (ks: readonly number[]): { idx: Int32Array; v: SessionVerdict } => {
    const idx = Int32Array.from(ks.flatMap((k) => Array.from(members(k))));
    idx.sort((x, y) => ts[x]! - ts[y]! || x - y);
    // The first request opens one of the sessions: together they take that one's agent.
    const opener = ks.find((k) => input.order[starts[k]!] === idx[0])!;
    const v = judge(featuresOf(idx, input.sessionUaClass[opener]!));
    return {
      idx,
      v: v.level === 'none' ? v : { ...v, reasons: v.reasons.map((r) => ({ ...r, scope: 'ip' })) },
    };
  };
  const takeGraver = (ks: readonly number[], v: SessionVerdict): void => {
    if (v.level === 'none') return;
    for (const k of ks) if (graver(v, verdicts[k]!)) verdicts[k] = v;
  };
  let ipGroups = 0;
  for (const ks of byIp.values()) {
    if (ks.length < 2) continue;
    ipGroups++;
    // The sessions with no verdict of their own are the rotating client's: judged among
    // themselves, so that one session's own evidence (a crawler's or a shopper's, behind the
    // same address) does not become a verdict on its neighbours' few requests. Sessions with a
    // verdict of their own take the whole group's when it is graver.
    const quiet = ks.filter((k) => verdicts[k]!.level === 'none');
    const loud = ks.filter((k) => verdicts[k]!.level !== 'none');
    const whole = judgeTogether(ks);
    takeGraver(loud, whole.v);
    if (quiet.length === ks.length) takeGraver(quiet, whole.v);
    else if (quiet.length >= 2) takeGraver(quiet, judgeTogether(quiet).v);
    // The login that worked: its response issued a cookie or token, so it starts a session
    // of another key kind from the same IP, which shares the group's account-takeover verdict.
    const { idx, v } = whole;
    if (v.level === 'none' || v.botType !== 'account_takeover') continue;
    const from = ts[idx[0]!]!;
    const to = ts[idx[idx.length - 1]!]! + input.timeoutUs;
    for (const k of keyedByIp.get(firstIpOf(ks[0]!)) ?? []) {
      const first = ts[input.order[starts[k]!]!]!;
      if (first >= from && first <= to && all[k]!.authSuccesses > 0 && graver(v, verdicts[k]!))
        verdicts[k] = v;
    }
  }
  return { verdicts, ipGroups };
}
