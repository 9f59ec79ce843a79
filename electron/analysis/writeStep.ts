import { derivedTables } from '../store/migrations/002_analysis.js';
import { BatchInsert } from './batchInsert.js';
import { need, type RebuildContext, type RebuildStep } from './rebuildContext.js';

function json(v: unknown): string {
  return JSON.stringify(v);
}

function finite(v: number | undefined): number | null {
  return v === undefined || !Number.isFinite(v) ? null : v;
}

/** Replaces the derived tables with what the steps computed, then builds their indexes. */
export const writeStep: RebuildStep = {
  name: 'write',
  order: 60,
  run(ctx: RebuildContext) {
    const { db } = ctx;
    const scan = need(ctx.scan, 'scan');
    const ep = need(ctx.endpoints, 'endpoints');
    const out = need(ctx.outliers, 'outliers');
    const ses = need(ctx.sessions, 'sessions');
    for (const t of derivedTables) {
      db.exec(`DROP TABLE IF EXISTS ${t.name}`);
      db.exec(t.create);
    }
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
      );
    });
    sessions.flush();

    const facts = new BatchInsert(db, 'request_facts', [
      'session_id',
      'ts_us',
      'request_id',
      'endpoint_id',
      'ip',
      'method',
      'status',
      'user',
      'role',
      'outlier',
      'latency_z',
      'size_z',
    ]);
    const str = scan.strings;
    const factValues = facts.values;
    // In key order, so the clustered table is appended to rather than reshuffled.
    let written = 0;
    for (const i of ses.order) {
      if ((++written & 0xffff) === 0) ctx.cancelPoint?.();
      const st = scan.status[i]!;
      const lz = out.latencyZ[i]!;
      const sz = out.sizeZ[i]!;
      // A million rows: no argument array per row.
      factValues.push(
        ses.of[i]! + 1,
        scan.ts[i]!,
        scan.requestId[i]!,
        ep.of[i]! + 1,
        str.get(scan.ip[i]!),
        str.get(scan.method[i]!),
        st < 0 ? null : st,
        str.get(scan.user[i]!),
        str.get(scan.role[i]!),
        out.flags[i]!,
        Number.isNaN(lz) ? null : Math.round(lz * 100) / 100,
        Number.isNaN(sz) ? null : Math.round(sz * 100) / 100,
      );
      facts.endRow();
    }
    facts.flush();
    // The sorter may use helper threads while building the indexes (wall time on a quiet
    // machine; the CPU spent is the same). Restored after, as the setting is per connection.
    const threads = db.pragma('threads', { simple: true }) as number;
    db.pragma('threads = 2');
    try {
      for (const t of derivedTables)
        for (const ix of t.indexes) {
          ctx.cancelPoint?.();
          db.exec(ix);
        }
    } finally {
      db.pragma(`threads = ${threads}`);
    }
  },
};
