import {
  capVerdict,
  classifyUserAgent,
  isStaticAssetTemplate,
  withAttacks,
  type UaClass,
  type UncappedVerdict,
} from '../../shared/verdicts/index.js';
import { need, type RebuildContext, type RebuildStep } from './rebuildContext.js';
import { stopOnCancel, stopSyncWorker } from './syncWorker.js';
import { takeBuiltQueries } from './scanStep.js';
import { judgeSessions, type Judged, type VerdictInput } from './verdictsJudge.js';
import { postableQueries, type QuerySource } from './verdictsQueries.js';
import {
  joinVerdictsWorker,
  sendVerdictsInput,
  startVerdictsWorker,
  type VerdictsInWorker,
} from './verdictsWorker.js';

/**
 * Below this many requests the verdicts are judged on the rebuild's thread: a worker's start
 * and its read of the query strings cost more than they save.
 */
export const PARALLEL_VERDICTS_MIN = 50_000;

/**
 * The judging's input from the rebuild's in-memory results. Each session's user-agent class
 * is that of its first request's agent, classified once per distinct agent. Without the query
 * strings when `withQueries` is false (for a worker, which reads them itself).
 */
export function verdictInput(ctx: RebuildContext, withQueries = true): VerdictInput {
  const scan = need(ctx.scan, 'scan');
  const ep = need(ctx.endpoints, 'endpoints');
  const ses = need(ctx.sessions, 'sessions');
  const classes = new Map<number, UaClass>();
  const sessions = ses.list.length;
  const sessionUaClass = new Array<UaClass>(sessions);
  const sessionCount = new Int32Array(sessions);
  const sessionIpUa = new Uint8Array(sessions);
  let at = 0;
  for (let k = 0; k < sessions; k++) {
    const s = ses.list[k]!;
    const ua = scan.ua[ses.order[at]!]!;
    at += s.count;
    let c = classes.get(ua);
    if (c === undefined) classes.set(ua, (c = classifyUserAgent(scan.strings.get(ua))));
    sessionUaClass[k] = c;
    sessionCount[k] = s.count;
    sessionIpUa[k] = s.keyKind === 'ip+ua' ? 1 : 0;
  }
  return {
    n: scan.n,
    ts: scan.ts,
    ip: scan.ip,
    status: scan.status,
    size: scan.size,
    user: scan.user,
    key: scan.key,
    pathHash: scan.pathHash,
    // A worker reads the query strings itself (verdictsWorker.ts).
    query: withQueries ? scan.query : [],
    endpointOf: ep.of,
    endpointFlows: Int32Array.from(ep.list, (e) => e.flows),
    templated: Uint8Array.from(ep.list, (e) => (e.template.includes('{') ? 1 : 0)),
    asset: Uint8Array.from(ep.list, (e) => (isStaticAssetTemplate(e.template) ? 1 : 0)),
    sessionCount,
    sessionIpUa,
    sessionUaClass,
    order: ses.order,
    thresholds: ctx.settings.verdicts,
    timeoutUs: ctx.settings.inactivityTimeoutMin * 60e6,
  };
}

/** Judgings started by verdictsStartStep, by rebuild. */
const inWorker = new WeakMap<RebuildContext, VerdictsInWorker>();

/** How the last verdicts step on this thread ran: for benchmarks and tests, never in the case. */
export interface VerdictsRun {
  inWorker: boolean;
  workerCpuMs: number | null;
  /** Where the worker took the query strings from (verdictsQueries.ts); null: judged here. */
  querySource: QuerySource | null;
}

let lastRun: VerdictsRun = { inWorker: false, workerCpuMs: null, querySource: null };
let lastStarted: VerdictsInWorker | null = null;

export function lastVerdictsRun(): VerdictsRun {
  return lastRun;
}

/** The worker the last start step on this thread started, if any: for tests. */
export function lastVerdictsWorker(): VerdictsInWorker | null {
  return lastStarted;
}

/**
 * Starts the judging's worker once the requests are scanned: it takes their query strings (from
 * the columns the scan built, else from the case) while this thread finds the endpoints and
 * sessions (verdictsInputStep then hands it the rest). A rebuild cancelled before collecting it
 * stops it at the next cancel point, one that fails at its end.
 */
export function verdictsStartStepWith(opts: {
  parallelMin?: number;
  workerFile?: string | null;
}): RebuildStep {
  return {
    name: 'session verdicts (start)',
    order: 12,
    run(ctx: RebuildContext) {
      const scan = need(ctx.scan, 'scan');
      const built = postableQueries(takeBuiltQueries(ctx));
      if (scan.n === 0 || scan.n < (opts.parallelMin ?? PARALLEL_VERDICTS_MIN)) return;
      const ids = scan.requestId.subarray(0, scan.n);
      const p = startVerdictsWorker(ctx.db, ids, opts.workerFile, built);
      lastStarted = p;
      if (p === null) return;
      inWorker.set(ctx, p);
      const stop = (): void => stopSyncWorker(p);
      stopOnCancel(ctx, stop);
      (ctx.atEnd ??= []).push(stop);
    },
  };
}

/**
 * Hands a started worker what it judges, once the sessions are known (nothing the verdicts
 * read changes after the sessions step), so it judges on another core while this thread
 * writes the tables.
 */
export const verdictsInputStep: RebuildStep = {
  name: 'session verdicts (input)',
  order: 55,
  run(ctx: RebuildContext) {
    const p = inWorker.get(ctx);
    if (p !== undefined) sendVerdictsInput(p, verdictInput(ctx, false));
  },
};

export const verdictsStartStep = verdictsStartStepWith({});

/**
 * Per-session behaviour verdicts (verdictsJudge.ts), written to session_verdicts (only
 * sessions with a verdict): the worker's when verdictsStartStep started one (and
 * verdictsInputStep gave it its input) and it answered,
 * else judged here. Works on the rebuild's in-memory arrays; no per-session SQL.
 */
export const verdictsStep: RebuildStep = {
  name: 'session verdicts',
  order: 95,
  run(ctx: RebuildContext) {
    const p = inWorker.get(ctx);
    inWorker.delete(ctx);
    const joined: Judged | null = p === undefined ? null : joinVerdictsWorker(p, ctx.cancelPoint);
    lastRun =
      joined === null
        ? { inWorker: false, workerCpuMs: null, querySource: null }
        : { inWorker: true, workerCpuMs: p!.cpuMs, querySource: p!.querySource };
    const { verdicts, ipGroups } = joined ?? judgeSessions(verdictInput(ctx), ctx.cancelPoint);
    // A declared crawler's verdict was capped (shared/verdicts/declaredBot.ts) unless it
    // attacked; signature detections are known only now (session attack counts, order 90).
    // Read only when some verdict was capped (a declared crawler's): most rebuilds have none.
    const attacked = new Set(
      verdicts.some((v) => v.uncapped)
        ? (ctx.db
            .prepare('SELECT id FROM sessions WHERE attack_count > 0')
            .pluck()
            .all() as number[])
        : [],
    );
    ctx.db.exec('DELETE FROM session_verdicts');
    const ins = ctx.db.prepare(
      `INSERT INTO session_verdicts (session_id, level, bot_type, confidence, reasons, uncapped)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    let flagged = 0;
    verdicts.forEach((judged, k) => {
      const v = withAttacks(judged, attacked.has(k + 1));
      if (v.level === 'none' || v.botType === null) return;
      flagged++;
      // The verdict before the cap stays beside it, lifted or not: crawlerCapStep decides again.
      const uncapped = judged.uncapped ? JSON.stringify(judged.uncapped) : null;
      ins.run(k + 1, v.level, v.botType, v.confidence, JSON.stringify(v.reasons), uncapped);
    });
    ctx.stats.verdicts = flagged;
    ctx.stats.verdictIpGroups = ipGroups;
  },
};

/** The stored verdicts the judging capped, with whether their session now has attacks. */
export const CAPPED_VERDICTS = `SELECT v.session_id AS id, v.level, v.bot_type AS botType,
    v.confidence, v.uncapped, s.attack_count > 0 AS attacked
  FROM session_verdicts v JOIN sessions s ON s.id = v.session_id
  WHERE v.uncapped IS NOT NULL`;

/**
 * The declared-crawler cap decided again for the stored verdicts, after a partial rebuild
 * moved the session attack counts without judging (a mark or a rule: rebuildDetections.ts):
 * each capped verdict (its `uncapped` kept) is lifted when its session now has attacks and
 * capped again when it has none, as verdictsStep would write it. Reads only the capped rows
 * (a partial index), so it costs what the declared crawlers do, not the sessions.
 */
export const crawlerCapStep: RebuildStep = {
  name: 'session verdicts (crawler cap)',
  order: verdictsStep.order,
  run(ctx: RebuildContext) {
    const rows = ctx.db.prepare(CAPPED_VERDICTS).all() as {
      id: number;
      level: string;
      botType: string;
      confidence: number;
      uncapped: string;
      attacked: 0 | 1;
    }[];
    const set = ctx.db.prepare(
      'UPDATE session_verdicts SET level = ?, bot_type = ?, confidence = ? WHERE session_id = ?',
    );
    let changed = 0;
    for (const r of rows) {
      const before = JSON.parse(r.uncapped) as UncappedVerdict;
      // Reasons are not read by the cap and stay as stored.
      const v = withAttacks(capVerdict({ ...before, reasons: [] }), r.attacked === 1);
      if (v.level === 'none' || v.botType === null)
        throw new Error(`session ${r.id}: a capped verdict is malicious, with a bot type`);
      if (v.level === r.level && v.botType === r.botType && v.confidence === r.confidence) continue;
      set.run(v.level, v.botType, v.confidence, r.id);
      changed++;
    }
    ctx.stats['crawlerCapsChanged'] = changed;
  },
};
