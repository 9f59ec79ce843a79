import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  sessionCursorSchema,
  type SessionListItem,
  type SessionSummary,
} from '../../shared/contract/analysisApi.js';
import type { Filters } from '../../shared/query/filterModel.js';
import { filtersSchema, SESSION_SORTS } from '../../shared/query/filterModel.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CaseDb } from '../store/openCase.js';
import { factsWhere } from './filterSql.js';
import { getSessionDetail } from './sessionDetail.js';
import { listSessionRequests, sessionRequestsSql } from './sessionRequests.js';
import { listSessions, sessionsPageSql, type SessionStrategy } from './sessionsQuery.js';

const T0 = Date.UTC(2024, 4, 1) * 1000;
const METHODS = ['GET', 'GET', 'GET', 'POST', 'DELETE'];
const STATUSES = [200, 200, 200, 302, 404, 500];
const PATHS = ['/login', '/api/orders/{id}', '/checkout', '/static/app.js', '/admin/x'];

/** A deterministic mixed capture: a few hundred sessions of several key kinds. */
function capture(): SeedRequest[] {
  const rows: SeedRequest[] = [];
  let x = 7;
  const rnd = (): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  let ts = T0;
  for (let i = 0; i < 3000; i++) {
    ts += Math.floor(rnd() * 4e6);
    const c = Math.floor(rnd() * 150);
    rows.push({
      tsUs: ts,
      ip: `10.1.0.${c}`,
      method: METHODS[Math.floor(rnd() * METHODS.length)]!,
      path: PATHS[Math.floor(rnd() * PATHS.length)]!.replace('{id}', String(i)),
      // Every 97th request an injection attempt (sessions with and without attacks).
      query: ((q) => (i % 97 === 0 ? "id=1'%20union%20select%20password%20from%20users--" : q))(
        rnd() < 0.1 ? 'q=needle' : null,
      ),
      status: STATUSES[Math.floor(rnd() * STATUSES.length)]!,
      latencyMs: i % 500 === 0 ? 5000 : 30 + Math.floor(rnd() * 10),
      userAgent: `ua-${c % 3}`,
      cookies: c % 2 === 0 ? `JSESSIONID=C${c}` : null,
      headers: c % 5 === 0 ? { 'x-user': `user${c}` } : null,
      requestId: `req-${i}`,
    });
  }
  return rows;
}

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
let rows: SeedRequest[];
let sessionOfLine: Map<number, string>;
let outlierLines: Set<number>;
let attackLines: Set<number>;

beforeAll(() => {
  ws = tempWorkspace('ss-query-');
  db = ws.openCase();
  rows = capture();
  seedSource(db, 'q', rows);
  rebuild(db);
  const facts = db
    .prepare(
      `SELECT r.line_no AS lineNo, s.sid, f.outlier FROM request_facts f
       JOIN requests r ON r.id = f.request_id JOIN sessions s ON s.id = f.session_id`,
    )
    .all() as { lineNo: number; sid: string; outlier: number }[];
  sessionOfLine = new Map(facts.map((f) => [f.lineNo, f.sid]));
  outlierLines = new Set(facts.filter((f) => f.outlier !== 0).map((f) => f.lineNo));
  attackLines = new Set(
    (
      db
        .prepare(
          'SELECT DISTINCT r.line_no AS lineNo FROM detections d JOIN requests r ON r.id = d.request_id',
        )
        .all() as { lineNo: number }[]
    ).map((r) => r.lineNo),
  );
});
afterAll(() => ws.cleanup());

/** The expected answer, computed from the rows in plain JS: sid → matching request count. */
function expected(pred: (r: SeedRequest, line: number) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  rows.forEach((r, i) => {
    if (!pred(r, i + 1)) return;
    const sid = sessionOfLine.get(i + 1)!;
    out.set(sid, (out.get(sid) ?? 0) + 1);
  });
  return out;
}

function pageAll<T = number>(
  filters: Filters,
  limit = 37,
  value: (s: SessionListItem) => T = (s) => s.matchedRequests as T,
): Map<string, T> {
  const out = new Map<string, T>();
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = listSessions(db, { filters, cursor, limit });
    for (const s of page.sessions) {
      expect(out.has(s.id), `repeat ${s.id}`).toBe(false);
      out.set(s.id, value(s));
    }
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

const mid = T0 + 1500 * 2e6;
const cases: [string, Filters, (r: SeedRequest, line: number) => boolean][] = [
  ['no filter', {}, () => true],
  ['status 404', filtersSchema.parse({ statuses: ['404'] }), (r) => r.status === 404],
  [
    'status 5xx or 302',
    filtersSchema.parse({ statuses: ['5xx', '302'] }),
    (r) => r.status === 500 || r.status === 302,
  ],
  ['method DELETE', filtersSchema.parse({ methods: ['delete'] }), (r) => r.method === 'DELETE'],
  ['ip', { ips: ['10.1.0.7', '10.1.0.8'] }, (r) => r.ip === '10.1.0.7' || r.ip === '10.1.0.8'],
  ['time range', { from: mid, to: mid + 600e6 }, (r) => r.tsUs >= mid && r.tsUs < mid + 600e6],
  ['user', { users: ['user10'] }, (r) => r.headers?.['x-user'] === 'user10'],
  ['flow Auth', { flows: ['Auth'] }, (r) => r.path === '/login'],
  [
    // The flow picks sessions by their endpoints; the status must hold on the same request.
    'flow Auth and status 404',
    filtersSchema.parse({ flows: ['Auth'], statuses: ['404'] }),
    (r) => r.path === '/login' && r.status === 404,
  ],
  ['text', { text: 'NEEDLE' }, (r) => r.query === 'q=needle'],
  ['request id', { requestId: 'req-1234' }, (r) => r.requestId === 'req-1234'],
  ['outliers only', { outliersOnly: true }, (_r, line) => outlierLines.has(line)],
  [
    'combined',
    filtersSchema.parse({ methods: ['GET'], statuses: ['2xx'], from: mid }),
    (r) => r.method === 'GET' && r.status === 200 && r.tsUs >= mid,
  ],
];

describe('session list with filters', () => {
  it.each(cases)(
    '%s: sessions with a matching request, counting only those',
    (_n, filters, pred) => {
      const want = expected(pred);
      expect(want.size).toBeGreaterThan(0);
      expect(pageAll(filters)).toEqual(want);
    },
  );

  it.each(cases)(
    "%s: the matching requests' attacks and outliers, counted as the requests are",
    (_n, filters, pred) => {
      // sid → [matching requests, of them with findings, of them outliers]
      const want = new Map<string, [number, number, number]>();
      rows.forEach((r, i) => {
        if (!pred(r, i + 1)) return;
        const sid = sessionOfLine.get(i + 1)!;
        const w = want.get(sid) ?? [0, 0, 0];
        w[0]++;
        if (attackLines.has(i + 1)) w[1]++;
        if (outlierLines.has(i + 1)) w[2]++;
        want.set(sid, w);
      });
      const got = pageAll(filters, 37, (s) => [
        s.matchedRequests,
        s.matchedAttacks,
        s.matchedOutliers,
      ]);
      expect(got).toEqual(want);
    },
  );

  it('counts fewer attacks and outliers than the session has when the filters leave some out', () => {
    expect(attackLines.size).toBeGreaterThan(0);
    expect(outlierLines.size).toBeGreaterThan(0);
    const page = listSessions(db, { filters: { from: mid, to: mid + 600e6 }, limit: 1000 });
    expect(page.sessions.some((s) => s.matchedAttacks < s.attackCount)).toBe(true);
    expect(page.sessions.some((s) => s.matchedOutliers < s.outlierCount)).toBe(true);
    // Without filters every request counts: the rebuild's figures.
    for (const s of listSessions(db, { limit: 1000 }).sessions) {
      expect([s.matchedAttacks, s.matchedOutliers]).toEqual([s.attackCount, s.outlierCount]);
    }
  });

  it.each(cases)('%s: both strategies give the same page', (_n, filters) => {
    const where = factsWhere(db, filters);
    if (!where.narrows) return;
    const run = (strategy: SessionStrategy): string[] => {
      const q = sessionsPageSql(strategy, where, 'firstSeen', false, false, {
        from: filters.from,
        to: filters.to,
        maxSessionUs: 24 * 3600e6,
      });
      return (db.prepare(q.sql).all(...q.params, 40) as { sid: string }[]).map((r) => r.sid);
    };
    expect(run('fromRequests')).toEqual(run('fromSessions'));
  });

  it('sorts by any column in both directions with complete keyset pages', () => {
    const all = listSessions(db, { limit: 100_000 }).sessions;
    expect(all.length).toBe(new Set(sessionOfLine.values()).size);
    // Counts and durations tie across sessions: ties go by first time, then session id.
    const key = {
      lastSeen: (x: SessionSummary) => [x.lastUs],
      requests: (x: SessionSummary) => [x.requestCount, x.firstUs],
      duration: (x: SessionSummary) => [x.durationMs * 1000, x.firstUs],
      outliers: (x: SessionSummary) => [x.outlierCount, x.firstUs],
      attacks: (x: SessionSummary) => [x.attackCount, x.firstUs],
    };
    // Sessions with and without attacks, so the attacks sort orders something.
    expect(new Set(all.map((x) => x.attackCount)).size).toBeGreaterThan(1);
    for (const sort of ['lastSeen', 'requests', 'duration', 'outliers', 'attacks'] as const) {
      const order = (a: SessionSummary, b: SessionSummary): number => {
        const [ka, kb] = [key[sort](a), key[sort](b)];
        for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
        return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      };
      const ascending = [...all].sort(order).map((x) => x.id);
      for (const descending of [false, true]) {
        const ids: string[] = [];
        let cursor: string | undefined;
        for (;;) {
          const p = listSessions(db, { sort, descending, cursor, limit: 50 });
          ids.push(...p.sessions.map((s) => s.id));
          if (!p.nextCursor) break;
          expect(sessionCursorSchema.safeParse(p.nextCursor).success).toBe(true);
          cursor = p.nextCursor;
        }
        expect(ids).toEqual(descending ? [...ascending].reverse() : ascending);
      }
    }
    // Ties exist, so their order is tested.
    expect(new Set(all.map((x) => x.requestCount)).size).toBeLessThan(all.length);
    // A cursor carries its sort's values: one of another sort is refused, not misread.
    const byTime = listSessions(db, { limit: 5 }).nextCursor!;
    expect(() => listSessions(db, { sort: 'requests', cursor: byTime })).toThrow(/sorted by/);
  });
});

describe('session detail and requests', () => {
  it('distributions and requests cover exactly the matching requests of the session', () => {
    const biggest = listSessions(db, { sort: 'requests', descending: true, limit: 1 }).sessions[0]!;
    const filters = filtersSchema.parse({ methods: ['GET'] });
    const d = getSessionDetail(db, biggest.id, filters);
    const mine = rows.filter(
      (r, i) => sessionOfLine.get(i + 1) === biggest.id && r.method === 'GET',
    );
    expect(d.session.matchedRequests).toBe(mine.length);
    expect(d.byMethod).toEqual([{ value: 'GET', count: mine.length }]);
    expect(d.byStatus.reduce((a, c) => a + c.count, 0)).toBe(mine.length);
    expect(d.byEndpoint.reduce((a, c) => a + c.count, 0)).toBe(mine.length);
    for (const f of d.flows)
      expect(f.percent).toBe(Math.round((f.count / mine.length) * 1000) / 10);

    const listed: number[] = [];
    let cursor: string | undefined;
    for (;;) {
      const p = listSessionRequests(db, biggest.id, filters, cursor, 7);
      listed.push(...p.requests.map((r) => r.tsUs));
      if (!p.nextCursor) break;
      cursor = p.nextCursor;
    }
    expect(listed).toEqual(mine.map((r) => r.tsUs).sort((a, b) => a - b));
  });
});

describe('query plans of the hot queries', () => {
  function plan(sql: string, params: unknown[]): string[] {
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
      (r) => r.detail,
    );
  }
  // Scanning the partial outlier index reads only outliers, not every request.
  const fullScan =
    /^SCAN (requests|request_facts|keyed_facts|r|f|fs|k)\b(?! USING (COVERING )?INDEX facts_outlier)/;

  it('walks each sort of the whole list in its index, with no sort of the sessions', () => {
    for (const sort of SESSION_SORTS) {
      for (const descending of [false, true]) {
        const q = sessionsPageSql('all', factsWhere(db, {}), sort, descending, true, {
          maxSessionUs: 24 * 3600e6,
        });
        const values = sort === 'firstSeen' || sort === 'lastSeen' ? [0] : [0, 0];
        const p = plan(q.sql, [...values, 's0000000000000000', 50]).join(' | ');
        expect(p, `${sort}: ${p}`).toMatch(/USING INDEX sessions_/);
        expect(p, `${sort}: ${p}`).not.toMatch(/TEMP B-TREE/);
      }
    }
  });

  it.each(cases)('session list (%s) never scans requests or request_facts', (_n, filters) => {
    const where = factsWhere(db, filters);
    for (const strategy of ['fromRequests', 'fromSessions'] as const) {
      if (!where.narrows) continue;
      if (strategy === 'fromRequests' && !where.indexed) continue;
      const q = sessionsPageSql(strategy, where, 'firstSeen', false, true, {
        from: filters.from,
        to: filters.to,
        maxSessionUs: 24 * 3600e6,
      });
      const p = plan(q.sql, [...q.params, 0, 's0000000000000000', 50]);
      expect(
        p.filter((d) => fullScan.test(d)),
        `${strategy}: ${p.join(' | ')}`,
      ).toEqual([]);
    }
  });

  it('session requests and detail read one session through its index', () => {
    const where = factsWhere(db, filtersSchema.parse({ statuses: ['4xx'] }));
    const p = plan(sessionRequestsSql(where.sql, true), [1, 1, 0, 1, ...where.params, 0, 0, 100]);
    expect(
      p.filter((d) => fullScan.test(d)),
      p.join(' | '),
    ).toEqual([]);
    // The page's range of keyed_facts itself (sessionFacts.ts), not the view's session range.
    expect(p.join(' ')).toMatch(
      /SEARCH k USING PRIMARY KEY \(key_id=\? AND ts_us>\? AND ts_us<\?\)/,
    );
    expect(p.join(' ')).not.toMatch(/\bfs\b/);
  });
});
