import {
  derivedTables,
  factValuesTable,
  keyedFactsTable,
  sessionsTable,
} from '../store/migrations/002_analysis.js';
import { BatchInsert } from './batchInsert.js';
import { writeEndpointAliases } from './endpointAliases.js';
import {
  keyedFactsDigest,
  keyedFactsStored,
  recordKeyedFacts,
  usedStrings,
  writeFactValues,
  writeKeyedFacts,
} from './keyedFacts.js';
import { writeSizeBaselines } from './outliersGroups.js';
import { analyzeForPlanner, hasStats, PLANNER_STATS_MIN_REQUESTS } from './plannerStats.js';
import { need, type RebuildContext, type RebuildStep } from './rebuildContext.js';

/**
 * An index of keyed_facts whose leading column holds at most this many distinct values is
 * created before the facts are inserted rather than after. The facts arrive in key order
 * (key, time, request), so the entries of one leading value arrive in index order too: each
 * insert appends at the end of one of at most this many ranges, whose pages stay in the page
 * cache. That costs less than CREATE INDEX reading and sorting every entry afterwards: on the
 * 1M-request bench case (48 endpoints, 7 statuses, 2 roles) the endpoint, status, role and
 * outlier indexes built this way took 0.5-0.7 s CPU off the facts' insert plus indexes
 * (interleaved, in one process), with BatchInsert's OR FAIL. The gain shrinks as values grow:
 * for an index over 1M requests spread evenly over K values, before vs after cost 0.86 vs 1.57 s
 * at K = 100, 1.07 vs 1.54 at 200, 1.21 vs 1.56 at 300, even at 500 and 2.35 vs 1.96 at 2000
 * (ips, users and request ids of the bench: 0.9-2.5 s more), hence the limit. The indexes hold
 * the same entries either way.
 */
export const PRE_INDEX_MAX_KEYS = 256;

/**
 * True when `values` holds at most `limit` distinct numbers; stops reading once it does not.
 * Small integers (ids, -1 for null, status codes) are marked in a byte array: a Set costs
 * several times more over a million values.
 */
export function fewDistinct(values: ArrayLike<number>, limit: number): boolean {
  let marks = new Uint8Array(1024);
  const other = new Set<number>();
  let count = 0;
  let last = NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === last) continue;
    last = v;
    const k = v + 1;
    if (k >= 0 && k < 1 << 24 && Number.isInteger(k)) {
      if (k >= marks.length) {
        const grown = new Uint8Array(Math.max(k + 1, 2 * marks.length));
        grown.set(marks);
        marks = grown;
      }
      if (marks[k] === 0) {
        marks[k] = 1;
        if (++count > limit) return false;
      }
    } else if (!other.has(v)) {
      other.add(v);
      if (++count > limit) return false;
    }
  }
  return true;
}

/** What a keyed_facts column is per request: an array of value ids, or its leading key. */
export type FactsColumnKeys = ArrayLike<number> | 'key' | undefined;

/**
 * Splits keyed_facts' index definitions into those to create before the facts are inserted
 * and those to build after. An index led by the key's first column (key_id) is only ever
 * appended to; one led by a column with few distinct values is appended to at few places.
 */
export function splitFactsIndexes(
  indexes: readonly string[],
  keysOf: (column: string) => FactsColumnKeys,
  limit = PRE_INDEX_MAX_KEYS,
): { before: string[]; after: string[] } {
  const before: string[] = [];
  const after: string[] = [];
  for (const ix of indexes) {
    const column = /\bON\s+keyed_facts\s*\(\s*(\w+)/i.exec(ix)?.[1];
    const keys = column === undefined ? undefined : keysOf(column);
    const early = keys === 'key' || (keys !== undefined && fewDistinct(keys, limit));
    (early ? before : after).push(ix);
  }
  return { before, after };
}

function json(v: unknown): string {
  return JSON.stringify(v);
}

function finite(v: number | undefined): number | null {
  return v === undefined || !Number.isFinite(v) ? null : v;
}

/**
 * Replaces the derived tables with what the steps computed, then builds their indexes;
 * keyed_facts and fact_values only when their rows differ from those stored (a settings change
 * that only moves session boundaries keeps them: keyedFacts.ts).
 */
export const writeStep: RebuildStep = {
  name: 'write',
  order: 60,
  run(ctx: RebuildContext) {
    const { db } = ctx;
    const scan = need(ctx.scan, 'scan');
    const ep = need(ctx.endpoints, 'endpoints');
    const ses = need(ctx.sessions, 'sessions');
    const used = usedStrings(ctx);
    const digest = keyedFactsDigest(ctx, used);
    const keep = keyedFactsStored(db, digest);
    const written = derivedTables.filter(
      (t) => !keep || (t !== keyedFactsTable && t !== factValuesTable),
    );
    for (const t of written) {
      db.exec(`DROP TABLE IF EXISTS ${t.name}`);
      db.exec(t.create);
    }
    const factsIndexes = splitFactsIndexes(keyedFactsTable.indexes, (column) => {
      switch (column) {
        case 'key_id':
          return 'key';
        case 'endpoint_id':
          return ep.of;
        case 'ip':
          return scan.ip;
        case 'method':
          return scan.method;
        case 'status':
          return scan.status;
        case 'user':
          return scan.user;
        case 'role':
          return scan.role;
        default:
          return undefined;
      }
    });
    if (!keep) for (const ix of factsIndexes.before) db.exec(ix);
    const endpoints = new BatchInsert(db, 'endpoints', [
      'id',
      'eid',
      'method',
      'host',
      'template',
      'request_count',
      'first_us',
      'last_us',
      'status_mix',
      'latency_count',
      'latency_median',
      'latency_p95',
      'latency_mad',
      'size_count',
      'size_median',
      'size_p95',
      'size_mad',
      'params',
      'flows_auto',
      'flows',
      'outlier_count',
    ]);
    ep.list.forEach((e, k) => {
      const mix = Object.fromEntries([...e.statusMix].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
      endpoints.push(
        k + 1,
        e.eid,
        e.method,
        e.host,
        e.template,
        e.count,
        e.count > 0 ? e.firstUs : 0,
        e.count > 0 ? e.lastUs : 0,
        json(mix),
        e.latency?.count ?? 0,
        finite(e.latency?.median),
        finite(e.latency?.p95),
        finite(e.latency?.mad),
        e.size?.count ?? 0,
        finite(e.size?.median),
        finite(e.size?.p95),
        finite(e.size?.mad),
        json(e.params),
        e.flowsAuto,
        e.flows,
        e.outlierCount,
      );
    });
    endpoints.flush();
    writeEndpointAliases(db, ep.aliases);
    writeSizeBaselines(db, need(ctx.outliers, 'outliers').sizeGroups);

    const sessions = new BatchInsert(db, 'sessions', [
      'id',
      'sid',
      'key_kind',
      'key_display',
      'first_us',
      'last_us',
      'duration_us',
      'request_count',
      'ip_count',
      'first_ip',
      'user_agent',
      'hosts',
      'user',
      'role',
      'flows',
      'outlier_count',
      'key_id',
    ]);
    ses.list.forEach((s, k) => {
      sessions.push(
        k + 1,
        s.sid,
        s.keyKind,
        s.keyDisplay,
        s.firstUs,
        s.lastUs,
        s.lastUs - s.firstUs,
        s.count,
        s.ipCount,
        s.firstIp,
        s.userAgent,
        json(s.hosts),
        s.user,
        s.role,
        s.flows,
        s.outlierCount,
        s.keyId,
      );
    });
    sessions.flush();

    if (!keep) {
      writeFactValues(ctx, used);
      writeKeyedFacts(ctx);
      recordKeyedFacts(db, digest);
    }
    // The sorter may use helper threads while building the indexes (wall time on a quiet
    // machine; the CPU spent is the same). Restored after, as the setting is per connection.
    const threads = db.pragma('threads', { simple: true }) as number;
    db.pragma('threads = 2');
    try {
      for (const t of written)
        for (const ix of t === keyedFactsTable ? factsIndexes.after : t.indexes) {
          ctx.cancelPoint?.();
          db.exec(ix);
        }
    } finally {
      db.pragma(`threads = ${threads}`);
    }
    if (scan.n >= PLANNER_STATS_MIN_REQUESTS)
      analyzeForPlanner(
        db,
        keep && hasStats(db, keyedFactsTable.name)
          ? [sessionsTable.name]
          : [keyedFactsTable.name, sessionsTable.name],
      );
  },
};
