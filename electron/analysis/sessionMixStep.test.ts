import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import {
  getSessionDetail,
  SESSION_MIX_SQL,
  SESSION_WHOLE_GROUPS_SQL,
} from '../query/sessionDetail.js';
import { listSessions } from '../query/sessionsQuery.js';
import { SESSION_MIX_FILL, SESSION_MIX_MIN_REQUESTS } from '../store/migrations/008_session_mix.js';
import type { CaseDb } from '../store/openCase.js';
import { rebuild } from './rebuild.js';
import { factsAsV8 } from '../../test/fixtures/analysis/factsV8.js';

const T0 = Date.UTC(2024, 4, 1) * 1000;
const BIG = SESSION_MIX_MIN_REQUESTS + 200;

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;

/**
 * One cookie session of BIG requests over three IPs, two users (and none) and four statuses
 * (and none), plus twenty small ip+ua sessions.
 */
function capture(): SeedRequest[] {
  const big = Array.from({ length: BIG }, (_, i) => ({
    tsUs: T0 + i * 1e6,
    ip: `10.0.0.${i % 3}`,
    userAgent: 'browser',
    path: `/items/${i % 7}`,
    status: i % 11 === 0 ? null : [200, 302, 404, 500][i % 4]!,
    cookies: 'JSESSIONID=BIG',
    headers: i % 5 === 0 ? null : { 'x-user': i % 2 === 0 ? 'alice' : 'bob' },
  }));
  const small = Array.from({ length: 20 }, (_, i) => ({
    tsUs: T0 + i * 1e6,
    ip: `10.9.0.${i}`,
    userAgent: 'curl',
    path: '/health',
    status: 200,
  }));
  return [...big, ...small];
}

type Group = { status: number | null; ip: string | null; user: string | null; n: number };
const sorted = (g: Group[]): Group[] =>
  [...g].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

beforeAll(() => {
  ws = tempWorkspace('ss-mix-');
  db = ws.openCase();
  seedSource(db, 'mix', capture());
  rebuild(db);
});
afterAll(() => ws.cleanup());

function bigSession(): { id: string; rowId: number } {
  const s = listSessions(db, { sort: 'requests', descending: true, limit: 1 }).sessions[0]!;
  expect(s.requestCount).toBe(BIG);
  const rowId = (db.prepare('SELECT id FROM sessions WHERE sid = ?').get(s.id) as { id: number })
    .id;
  return { id: s.id, rowId };
}

describe('session mix: large sessions per status, IP and user', () => {
  it('stores the large session only, with the counts its facts give', () => {
    const { rowId } = bigSession();
    const stored = db.prepare('SELECT DISTINCT session_id AS s FROM session_mix').all();
    expect(stored).toEqual([{ s: rowId }]);
    const mix = db.prepare(SESSION_MIX_SQL).all(rowId) as Group[];
    const grouped = db.prepare(SESSION_WHOLE_GROUPS_SQL).all(rowId) as Group[];
    expect(sorted(mix)).toEqual(sorted(grouped));
    // The capture's spread is there to be seen: nulls and several values per column.
    expect(mix.some((g) => g.status === null)).toBe(true);
    expect(mix.some((g) => g.user === null)).toBe(true);
    expect(new Set(mix.map((g) => g.ip)).size).toBe(3);
    expect(mix.reduce((a, g) => a + g.n, 0)).toBe(BIG);
  });

  it("gives the large session's detail the same figures as grouping its facts", () => {
    const { id, rowId } = bigSession();
    const fromMix = getSessionDetail(db, id);
    const saved = db.prepare(SESSION_MIX_SQL).all(rowId) as Group[];
    db.prepare('DELETE FROM session_mix').run();
    try {
      // No stored rows: the detail groups the facts itself.
      expect(getSessionDetail(db, id)).toEqual(fromMix);
    } finally {
      const ins = db.prepare(
        'INSERT INTO session_mix (session_id, status, ip, user, n) VALUES (?, ?, ?, ?, ?)',
      );
      for (const g of saved) ins.run(rowId, g.status, g.ip, g.user, g.n);
    }
    expect(fromMix.byStatus.reduce((a, c) => a + c.count, 0)).toBe(BIG);
    expect((fromMix.byUser ?? []).map((u) => u.value).sort()).toEqual(['alice', 'bob']);
  });

  it('is rebuilt, not appended to', () => {
    const count = (): number =>
      (db.prepare('SELECT count(*) AS n FROM session_mix').get() as { n: number }).n;
    const n = count();
    rebuild(db);
    expect(count()).toBe(n);
  });

  it('reads one session through its index', () => {
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${SESSION_MIX_SQL}`).all(1) as { detail: string }[]
    ).map((r) => r.detail);
    expect(plan.join(' | ')).toMatch(/SEARCH session_mix USING INDEX session_mix_session/);
  });

  // Last: it leaves the case in an older version's layout.
  it("fills a case analysed before the table existed with the rebuild's rows", () => {
    const before = sorted(
      db.prepare('SELECT session_id, status, ip, user, n FROM session_mix').all() as Group[],
    );
    db.exec('DELETE FROM session_mix');
    // Such a case has its facts in that version's layout (strings in every row).
    factsAsV8(db);
    db.exec(SESSION_MIX_FILL);
    const filled = sorted(
      db.prepare('SELECT session_id, status, ip, user, n FROM session_mix').all() as Group[],
    );
    expect(filled).toEqual(before);
    expect(filled.length).toBeGreaterThan(10);
  });
});
