import { flowBit } from '../../shared/analysis/flowRules.js';
import {
  classifyUserAgent,
  combineVerdict,
  computeBaselines,
  evaluateSession,
  SessionFeatureBuilder,
  type RequestObservation,
  type SessionFeatures,
  type SessionVerdict,
  type UaClass,
} from '../../shared/verdicts/index.js';
import { need, type RebuildContext, type RebuildStep } from './rebuildContext.js';

const AUTH = flowBit('Auth');
const SMS = flowBit('SMS GW');

/** Verdict levels in order of gravity, to pick the graver of a session's and its IP's. */
const RANK = { none: 0, suspicious: 1, malicious: 2 } as const;

function graver(a: SessionVerdict, b: SessionVerdict): boolean {
  return RANK[a.level] > RANK[b.level] || (a.level === b.level && a.confidence > b.confidence);
}

/**
 * Per-session behaviour features (shared/verdicts), baselines over the capture, and a verdict
 * per session, written to session_verdicts (only sessions with a verdict). Works on the
 * rebuild's in-memory arrays (path hashes and queries kept by the scan); no per-session SQL.
 *
 * Sessions keyed by ip+ua (no cookie or token) of one IP are also judged together: a client
 * that changes its user agent on every request (Nikto; credential stuffers with browser
 * agents) otherwise becomes hundreds of one-request sessions that each look harmless. When
 * the IP's verdict is graver, its sessions take it, with the reasons marked `scope: 'ip'`.
 */
export const verdictsStep: RebuildStep = {
  name: 'session verdicts',
  order: 95,
  run(ctx: RebuildContext) {
    const scan = need(ctx.scan, 'scan');
    const ep = need(ctx.endpoints, 'endpoints');
    const ses = need(ctx.sessions, 'sessions');
    const t = ctx.settings.verdicts;
    const { pathHash: path, query } = scan;
    const flowsOf = Int32Array.from(ep.list, (e) => e.flows);
    const templated = Uint8Array.from(ep.list, (e) => (e.template.includes('{') ? 1 : 0));
    const uaClass = new Map<number, UaClass>();
    const classOf = (ua: number): UaClass => {
      let c = uaClass.get(ua);
      if (c === undefined) uaClass.set(ua, (c = classifyUserAgent(scan.strings.get(ua))));
      return c;
    };

    // Capture-wide, per user: the IPs and the session keys behind it.
    const userIps = new Map<number, Set<number>>();
    const userKeys = new Map<number, Set<number>>();
    for (let i = 0; i < scan.n; i++) {
      const u = scan.user[i]!;
      if (u < 0) continue;
      let keys = userKeys.get(u);
      if (!keys) userKeys.set(u, (keys = new Set()));
      keys.add(scan.key[i]!);
      if (scan.ip[i]! < 0) continue;
      let ips = userIps.get(u);
      if (!ips) userIps.set(u, (ips = new Set()));
      ips.add(scan.ip[i]!);
    }

    const b = new SessionFeatureBuilder(t.bolaWindowMin * 60e6);
    const obs: RequestObservation = {
      tsUs: 0,
      ip: -1,
      status: null,
      respBytes: null,
      endpoint: 0,
      templated: false,
      auth: false,
      sms: false,
      user: -1,
      pathHash: 0,
      query: null,
    };
    /** Features of requests given in time order; the user is the last one seen. */
    const featuresOf = (indices: ArrayLike<number>): SessionFeatures => {
      b.reset();
      let user = -1;
      for (let j = 0; j < indices.length; j++) {
        const i = indices[j]!;
        const e = ep.of[i]!;
        const st = scan.status[i]!;
        const size = scan.size[i]!;
        obs.tsUs = scan.ts[i]!;
        obs.ip = scan.ip[i]!;
        obs.status = st < 0 ? null : st;
        obs.respBytes = Number.isNaN(size) ? null : size;
        obs.endpoint = e;
        obs.templated = templated[e] === 1;
        obs.auth = (flowsOf[e]! & AUTH) !== 0;
        obs.sms = (flowsOf[e]! & SMS) !== 0;
        obs.user = scan.user[i]!;
        obs.pathHash = path[i]!;
        obs.query = query[i]!;
        b.add(obs);
        if (obs.user >= 0) user = obs.user;
      }
      const f = b.finish();
      f.uaClass = indices.length > 0 ? classOf(scan.ua[indices[0]!]!) : 'empty';
      if (user >= 0) {
        f.userIps = Math.max(f.ipCount, userIps.get(user)?.size ?? 0);
        f.userSessions = userKeys.get(user)?.size ?? 1;
      }
      return f;
    };

    const starts = new Int32Array(ses.list.length + 1);
    ses.list.forEach((info, k) => (starts[k + 1] = starts[k]! + info.count));
    const members = (k: number): Int32Array => ses.order.subarray(starts[k]!, starts[k + 1]!);
    const all = ses.list.map((_, k) => featuresOf(members(k)));
    const baselines = computeBaselines(all, t);
    const verdicts = all.map((f) => combineVerdict(evaluateSession(f, baselines, t)));

    // One IP's ip+ua sessions together, when it has several.
    const byIp = new Map<string, number[]>();
    const keyedByIp = new Map<string, number[]>();
    ses.list.forEach((info, k) => {
      if (info.firstIp === null) return;
      const map = info.keyKind === 'ip+ua' ? byIp : keyedByIp;
      const list = map.get(info.firstIp);
      if (list) list.push(k);
      else map.set(info.firstIp, [k]);
    });
    const timeoutUs = ctx.settings.inactivityTimeoutMin * 60e6;
    let ipGroups = 0;
    for (const ks of byIp.values()) {
      if (ks.length < 2) continue;
      ipGroups++;
      const idx = Int32Array.from(ks.flatMap((k) => Array.from(members(k))));
      idx.sort((x, y) => scan.ts[x]! - scan.ts[y]! || x - y);
      const v = combineVerdict(evaluateSession(featuresOf(idx), baselines, t));
      if (v.level === 'none') continue;
      const scoped: SessionVerdict = {
        ...v,
        reasons: v.reasons.map((r) => ({ ...r, scope: 'ip' as const })),
      };
      for (const k of ks) if (graver(scoped, verdicts[k]!)) verdicts[k] = scoped;
      // The login that worked: its response issued a cookie or token, so it starts a session
      // of another key kind from the same IP, which shares the group's account-takeover verdict.
      if (v.botType !== 'account_takeover') continue;
      const from = scan.ts[idx[0]!]!;
      const to = scan.ts[idx[idx.length - 1]!]! + timeoutUs;
      for (const k of keyedByIp.get(ses.list[ks[0]!]!.firstIp!) ?? []) {
        const first = ses.list[k]!.firstUs;
        if (
          first >= from &&
          first <= to &&
          all[k]!.authSuccesses > 0 &&
          graver(scoped, verdicts[k]!)
        )
          verdicts[k] = scoped;
      }
    }

    ctx.db.exec('DELETE FROM session_verdicts');
    const ins = ctx.db.prepare(
      'INSERT INTO session_verdicts (session_id, level, bot_type, confidence, reasons) VALUES (?, ?, ?, ?, ?)',
    );
    let flagged = 0;
    verdicts.forEach((v, k) => {
      if (v.level === 'none' || v.botType === null) return;
      flagged++;
      ins.run(k + 1, v.level, v.botType, v.confidence, JSON.stringify(v.reasons));
    });
    ctx.stats.verdicts = flagged;
    ctx.stats.verdictIpGroups = ipGroups;
  },
};
