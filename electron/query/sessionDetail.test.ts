import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filtersSchema } from '../../shared/query/filterModel.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CaseDb } from '../store/openCase.js';
import { factsWhere } from './filterSql.js';
import {
  getSessionDetail,
  SESSION_WHOLE_GROUPS_SQL,
  sessionAttacksSql,
  sessionGroupsSql,
} from './sessionDetail.js';
import { SESSION_ENDPOINT_KINDS_SQL, SESSION_TOP_ENDPOINTS_SQL } from './sessionDetailEndpoints.js';
import { listSessions } from './sessionsQuery.js';

const T0 = Date.UTC(2024, 4, 1) * 1000;
const S = 1e6;

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;

/**
 * One session (one ip + user agent): 10 requests, users alice ×4 / bob ×3 / none ×3, three of
 * them SQL injection probes (two of which also carry XSS), statuses 200 and 500.
 */
function capture(): SeedRequest[] {
  const users = ['alice', 'alice', 'alice', 'alice', 'bob', 'bob', 'bob', null, null, null];
  return users.map((u, i) => ({
    tsUs: T0 + i * S,
    ip: '10.0.0.9',
    userAgent: 'ua',
    path: '/api/items',
    query:
      i === 1
        ? "id=1' OR '1'='1"
        : i === 2 || i === 3
          ? "id=1' UNION SELECT password FROM users--&x=<script>alert(1)</script>"
          : `id=${i}`,
    status: i % 2 === 0 ? 200 : 500,
    headers: u ? { 'x-user': u } : null,
  }));
}

beforeAll(() => {
  ws = tempWorkspace('ss-detail-');
  db = ws.openCase();
  seedSource(db, 'detail', capture());
  rebuild(db, {});
});
afterAll(() => ws.cleanup());

function theSession(): string {
  return listSessions(db, {}).sessions[0]!.id;
}

/** What the detections table says, counted per type over the requests `keep` accepts. */
function expectedAttacks(
  keep: (status: number, tsUs: number) => boolean,
): { value: string; count: number }[] {
  const rows = db
    .prepare(
      `SELECT DISTINCT d.type, d.request_id AS id, r.status, r.ts_us AS tsUs FROM detections d
       JOIN requests r ON r.id = d.request_id`,
    )
    .all() as { type: string; id: number; status: number; tsUs: number }[];
  const m = new Map<string, number>();
  for (const r of rows) if (keep(r.status, r.tsUs)) m.set(r.type, (m.get(r.type) ?? 0) + 1);
  return [...m]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

describe('session detail: users and attack types from SQL', () => {
  it('counts every matching request per user, leaving out requests without one', () => {
    const d = getSessionDetail(db, theSession());
    const users = db
      .prepare(
        `SELECT v.value, count(*) AS count FROM request_facts f JOIN fact_values v ON v.id = f.user
         GROUP BY v.value ORDER BY count DESC, v.value`,
      )
      .all();
    expect(d.byUser).toEqual(users);
    expect(d.byUser?.length).toBeGreaterThan(0);
  });

  it('counts the matching requests without a user, so the users add up to the session', () => {
    // alice ×4, bob ×3 and three requests without a user.
    const d = getSessionDetail(db, theSession());
    expect(d.withoutUser).toBe(3);
    const named = (d.byUser ?? []).reduce((a, u) => a + u.count, 0);
    expect(named + d.withoutUser!).toBe(d.session.matchedRequests);
    // Under a filter too (requests 2–8: alice ×2, bob ×3, none ×2), and cut to a top value.
    const ranged = getSessionDetail(
      db,
      theSession(),
      filtersSchema.parse({ from: T0 + 2 * S, to: T0 + 9 * S }),
      1,
    );
    expect(ranged.byUser).toEqual([{ value: 'bob', count: 3 }]);
    expect(ranged.withoutUser).toBe(2);
  });

  it('counts requests per attack type under the filters', () => {
    const all = expectedAttacks(() => true);
    expect(all.length).toBeGreaterThan(0);
    expect(expectedAttacks((s) => s === 500).length).toBeGreaterThan(0);
    expect(getSessionDetail(db, theSession()).byAttack).toEqual(all);
    const only500 = getSessionDetail(db, theSession(), filtersSchema.parse({ statuses: ['500'] }));
    expect(only500.byAttack).toEqual(expectedAttacks((s) => s === 500));
  });

  it('counts only the requests in the time range, users, statuses and attacks alike', () => {
    // Requests 2–6 of the capture: alice ×2, bob ×3; statuses 200 ×3 (2, 4, 6), 500 ×2.
    const from = T0 + 2 * S;
    const to = T0 + 7 * S;
    const d = getSessionDetail(db, theSession(), filtersSchema.parse({ from, to }));
    expect(d.session.requestCount).toBe(10);
    expect(d.byUser).toEqual([
      { value: 'bob', count: 3 },
      { value: 'alice', count: 2 },
    ]);
    expect(d.byStatus).toEqual([
      { value: 200, count: 3 },
      { value: 500, count: 2 },
    ]);
    const inRange = expectedAttacks((_, ts) => ts >= from && ts < to);
    expect(inRange.length).toBeGreaterThan(0);
    expect(inRange).not.toEqual(expectedAttacks(() => true));
    expect(d.byAttack).toEqual(inRange);
    // A range the session does not reach counts nothing.
    const none = getSessionDetail(db, theSession(), filtersSchema.parse({ from: T0 + 60 * S }));
    expect([none.byUser, none.byStatus, none.byAttack]).toEqual([[], [], []]);
  });

  it('reads the session range of its key, and the attack types from there', () => {
    const where = factsWhere(db, filtersSchema.parse({ statuses: ['5xx'], from: T0 + S }));
    for (const sql of [sessionGroupsSql(where.sql), sessionAttacksSql(where.sql)]) {
      const plan = (
        db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1, 1, T0 + S, T0 + 9 * S, ...where.params) as {
          detail: string;
        }[]
      ).map((r) => r.detail);
      // The key and the time range both bound the read (not the session's whole range).
      expect(plan.join(' | ')).toMatch(
        /SEARCH k USING PRIMARY KEY \(key_id=\? AND ts_us>\? AND ts_us<\?\)/,
      );
      expect(plan.filter((p) => /^SCAN (f|k|d)\b/.test(p))).toEqual([]);
    }
  });
});

describe('session detail of a whole session, from the per-endpoint counts', () => {
  let ws2: ReturnType<typeof tempWorkspace>;
  let db2: CaseDb;
  beforeAll(() => {
    ws2 = tempWorkspace('ss-detail-whole-');
    db2 = ws2.openCase();
    // Two sessions (by source session id): four methods, endpoints on two hosts, several IPs
    // and users, statuses including a missing one.
    const methods = ['GET', 'POST', 'DELETE', 'GET', 'PUT'];
    const paths = ['/api/items/1', '/api/items/2', '/login', '/admin/users', '/billing'];
    seedSource(
      db2,
      'whole',
      Array.from({ length: 60 }, (_, i) => ({
        tsUs: T0 + i * S,
        srcSession: i % 3 === 0 ? 'b' : 'a',
        ip: `10.0.0.${i % 4}`,
        userAgent: 'ua',
        method: methods[i % methods.length]!,
        host: i % 5 === 0 ? 'admin.example' : 'shop.example',
        path: paths[(i * 7) % paths.length]!,
        status: i % 11 === 0 ? null : [200, 302, 404, 500][i % 4]!,
        srcUser: i % 4 === 0 ? null : `u${i % 3}`,
      })),
    );
    rebuild(db2, {});
  });
  afterAll(() => ws2.cleanup());

  it('gives what the grouped pass over every request gives', () => {
    const sids = listSessions(db2, {}).sessions.map((s) => s.id);
    expect(sids.length).toBe(2);
    for (const sid of sids) {
      const whole = getSessionDetail(db2, sid);
      // A filter every request matches takes the general path (it narrows, as far as the
      // query knows), so the two must agree field for field.
      const general = getSessionDetail(db2, sid, { from: 0 });
      expect(whole).toEqual(general);
      expect(whole.byMethod.length).toBe(4);
      expect(whole.byStatus.map((st) => st.value)).toContain(null);
      expect(whole.byEndpoint.length).toBeGreaterThan(3);
      expect(whole.byIp.length).toBe(4);
    }
  });

  it("with a top, keeps each distribution's largest values and counts what it left out", () => {
    const dists = ['byMethod', 'byStatus', 'byIp', 'byEndpoint', 'byUser', 'byAttack'] as const;
    for (const sid of listSessions(db2, {}).sessions.map((s) => s.id)) {
      for (const filters of [{}, { from: 0 }]) {
        const full = getSessionDetail(db2, sid, filters);
        expect(full.omitted).toBeUndefined();
        for (const top of [1, 2, 3, 1000]) {
          const cut = getSessionDetail(db2, sid, filters, top);
          expect(cut.session).toEqual(full.session);
          expect(cut.flows).toEqual(full.flows);
          for (const d of dists) {
            const all = (full[d] ?? []) as { count: number }[];
            expect(cut[d], `${d} top ${top}`).toEqual(all.slice(0, top));
            const rest = all.slice(top);
            expect(cut.omitted![d], `${d} top ${top}`).toEqual(
              rest.length === 0
                ? undefined
                : { values: rest.length, count: rest.reduce((a, b) => a + b.count, 0) },
            );
          }
        }
        // The fixture has more endpoints and IPs than 2, so the cut is not vacuous.
        expect(Object.keys(getSessionDetail(db2, sid, filters, 2).omitted!)).toEqual(
          expect.arrayContaining(['byEndpoint', 'byIp', 'byMethod', 'byStatus']),
        );
      }
    }
  });

  it('reads the per-endpoint counts and the whole session by their keys', () => {
    const reads: [string, number[]][] = [
      [SESSION_ENDPOINT_KINDS_SQL, [1]],
      [SESSION_TOP_ENDPOINTS_SQL, [1, 10]],
      [SESSION_WHOLE_GROUPS_SQL, [1]],
    ];
    for (const [sql, args] of reads) {
      const plan = (db2.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
      expect(plan).toMatch(
        /SEARCH (f USING PRIMARY KEY \(key_id|se USING PRIMARY KEY \(session_id)=\?/,
      );
      // Only the session's grouped rows (g) are walked, to name their ids.
      expect(plan.replace(/\| SCAN g \|/, '|')).not.toMatch(/(^|\| )SCAN /);
    }
  });
});
