import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CaseDb } from '../store/openCase.js';
import { factsWhere } from './filterSql.js';
import { pageAttacksSql, pageMixSql, sessionPageMix } from './sessionPageMix.js';
import { listSessions, narrowsInsideSessions } from './sessionsQuery.js';

const T0 = Date.UTC(2024, 4, 1) * 1000;
const S = 1e6;

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;

/** `n` requests from one client (one ip+ua session) to `path`, a second apart from `at`. */
function burst(ip: string, path: string, at: number, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    tsUs: T0 + (at + i) * S,
    ip,
    userAgent: 'ua',
    path,
  }));
}

beforeAll(() => {
  ws = tempWorkspace('ss-mix-');
  db = ws.openCase();
  // Session A: 6 × /login (Auth), then 3 × /a, 2 × /b, 1 × /c, 1 × /d (5 endpoints, 13 requests).
  // Session B: 4 × /b only.
  seedSource(db, 'mix', [
    ...burst('10.0.0.1', '/login', 0, 6),
    ...burst('10.0.0.1', '/a', 100, 3),
    ...burst('10.0.0.1', '/b', 200, 2),
    ...burst('10.0.0.1', '/c', 300, 1),
    ...burst('10.0.0.1', '/d', 400, 1),
    ...burst('10.0.0.2', '/b', 50, 4),
  ]);
  rebuild(db);
});
afterAll(() => ws.cleanup());

function byIp(page: ReturnType<typeof listSessions>, ip: string) {
  const s = page.sessions.find((x) => x.firstIp === ip);
  expect(s, ip).toBeDefined();
  return s!;
}

describe('sessions list: flows and top endpoints', () => {
  it('gives each session its flow shares and three most requested endpoints', () => {
    const page = listSessions(db, {});
    const a = byIp(page, '10.0.0.1');
    expect(a.matchedRequests).toBe(13);
    expect(a.flowShares).toEqual([{ flow: 'Auth', count: 6, percent: 46.2 }]);
    expect(a.topEndpoints).toEqual([
      { method: 'GET', template: '/login', count: 6 },
      { method: 'GET', template: '/a', count: 3 },
      { method: 'GET', template: '/b', count: 2 },
    ]);
    expect(a.endpointCount).toBe(5);
    const b = byIp(page, '10.0.0.2');
    expect(b.flowShares).toEqual([]);
    expect(b.topEndpoints).toEqual([{ method: 'GET', template: '/b', count: 4 }]);
    expect(b.endpointCount).toBe(1);
  });

  it('counts only the requests in the time range', () => {
    // From second 101 to 250: session A's last two /a and both /b.
    const page = listSessions(db, { filters: { from: T0 + 101 * S, to: T0 + 250 * S } });
    expect(page.sessions).toHaveLength(1);
    const a = byIp(page, '10.0.0.1');
    expect(a.matchedRequests).toBe(4);
    expect(a.flowShares).toEqual([]);
    expect(a.topEndpoints).toEqual([
      { method: 'GET', template: '/a', count: 2 },
      { method: 'GET', template: '/b', count: 2 },
    ]);
    expect(a.endpointCount).toBe(2);
  });

  it('reads the page sessions by key, never the whole facts table', () => {
    for (const filters of [{}, { from: T0 }, { ips: ['10.0.0.1'] }]) {
      const where = factsWhere(db, filters);
      const plan = (
        db.prepare(`EXPLAIN QUERY PLAN ${pageMixSql(where)}`).all('[1,2]', ...where.params) as {
          detail: string;
        }[]
      ).map((r) => r.detail);
      expect(plan.join('\n')).not.toMatch(/^SCAN f\b/m);
    }
  });

  it("probes the detections by request for the matched requests' attacks, never scanning", () => {
    for (const filters of [{ from: T0 }, { ips: ['10.0.0.1'] }, { methods: ['GET'] }]) {
      const where = factsWhere(db, filters);
      const plan = (
        db.prepare(`EXPLAIN QUERY PLAN ${pageAttacksSql(where)}`).all('[1,2]', ...where.params) as {
          detail: string;
        }[]
      )
        .map((r) => r.detail)
        .join('\n');
      expect(plan).not.toMatch(/^SCAN (f|d|fs|detections)\b/m);
      expect(plan).toMatch(
        /SEARCH d (EXISTS )?USING (COVERING )?INDEX detections_request \(request_id=\?\)/,
      );
    }
  });

  it('reads the rebuilt per-endpoint counts without filters, giving what counting the facts gives', () => {
    const ids = (db.prepare('SELECT id FROM sessions ORDER BY id').all() as { id: number }[]).map(
      (r) => r.id,
    );
    const where = factsWhere(db, {});
    const stored = sessionPageMix(db, where, ids, false);
    const counted = sessionPageMix(db, where, ids, true);
    // Counting also gives the attacks and outliers of the matched requests, which the stored
    // counts leave to the sessions' own figures (null).
    expect([...counted].every(([, m]) => m.attacks !== null && m.outliers !== null)).toBe(true);
    expect([...stored]).toEqual(
      [...counted].map(([id, m]) => [id, { ...m, attacks: null, outliers: null }]),
    );
    expect(stored.get(ids[0]!)?.matched).toBeGreaterThan(0);
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${pageMixSql(where, false)}`).all('[1,2]') as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    expect(plan.join('\n')).toMatch(/SEARCH m USING PRIMARY KEY \(session_id=\?\)/);
    expect(plan.join('\n')).not.toMatch(/^SCAN m\b/m);
  });

  it('counts every request of a session under session-level filters only', () => {
    expect(narrowsInsideSessions({})).toBe(false);
    expect(narrowsInsideSessions({ verdicts: ['none'], sessionId: 'x', ips: [] })).toBe(false);
    expect(narrowsInsideSessions({ outliersOnly: false })).toBe(false);
    expect(narrowsInsideSessions({ outliersOnly: true })).toBe(true);
    expect(narrowsInsideSessions({ verdicts: ['none'], methods: ['GET'] })).toBe(true);
    expect(narrowsInsideSessions({ from: T0 })).toBe(true);
    const page = listSessions(db, { filters: { verdicts: ['none'] } });
    const a = byIp(page, '10.0.0.1');
    expect(a.matchedRequests).toBe(13);
    expect(a.endpointCount).toBe(5);
  });
});
