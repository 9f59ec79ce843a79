import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filters } from '../../shared/query/filterModel.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CaseDb } from '../store/openCase.js';
import { factsWhere } from './filterSql.js';
import { requestHistogram } from './histogramQuery.js';
import { listSessions, sessionsPageSql, type SessionStrategy } from './sessionsQuery.js';

const T0 = Date.UTC(2024, 4, 1) * 1000;
const COMMON = 1200;

/**
 * Sessions (one cookie each): every one logs in (a flow on more sessions than the filters list)
 * and views a page, some of them on another host; a few reach an admin page (a rare flow).
 */
function capture(): SeedRequest[] {
  const rows: SeedRequest[] = [];
  for (let k = 0; k < COMMON; k++) {
    const base = { ip: `10.2.${k >> 8}.${k & 255}`, cookies: `JSESSIONID=S${k}` };
    const host = k % 6 === 0 ? 'shop.example' : 'www.example';
    rows.push({ ...base, tsUs: T0 + k * 60e6, path: '/login', status: k % 4 === 0 ? 401 : 200 });
    rows.push({ ...base, tsUs: T0 + k * 60e6 + 5e6, host, path: `/page/${k}`, status: 200 });
    if (k % 97 === 5)
      rows.push({ ...base, tsUs: T0 + k * 60e6 + 9e6, path: '/admin/users', status: 403 });
  }
  return rows;
}

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
let rows: SeedRequest[];

beforeAll(() => {
  ws = tempWorkspace('ss-endpointfilter-');
  db = ws.openCase();
  rows = capture();
  seedSource(db, 'e', rows);
  rebuild(db);
});
afterAll(() => ws.cleanup());

/** sid → matching requests, over every page. */
function listed(filters: Filters): Map<string, number> {
  const out = new Map<string, number>();
  let cursor: string | undefined;
  for (;;) {
    const page = listSessions(db, { filters, cursor, limit: 100 });
    for (const s of page.sessions) out.set(s.keyValue ?? '', s.matchedRequests);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}

/** cookie value → matching requests, from the rows. */
function expected(pred: (r: SeedRequest) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    if (!pred(r)) continue;
    const key = r.cookies!.slice('JSESSIONID='.length);
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

const cases: [string, Filters, (r: SeedRequest) => boolean, 'listed' | 'looked up'][] = [
  ['a flow on many sessions', { flows: ['Auth'] }, (r) => r.path === '/login', 'looked up'],
  [
    'with a status on the same request, on many sessions',
    { flows: ['Auth'], statuses: ['2xx'] },
    (r) => r.path === '/login' && r.status === 200,
    'looked up',
  ],
  [
    'with a status on fewer sessions (those are listed)',
    { flows: ['Auth'], statuses: ['401'] },
    (r) => r.path === '/login' && r.status === 401,
    'listed',
  ],
  ['a flow on a few sessions', { flows: ['Admin'] }, (r) => r.path === '/admin/users', 'listed'],
  [
    'a host on many sessions',
    { hosts: ['www.example'] },
    (r) => r.host === 'www.example',
    'looked up',
  ],
  ['a host on fewer', { hosts: ['shop.example'] }, (r) => r.host === 'shop.example', 'listed'],
];

describe('endpoint, host and flow filters read their sessions from session_endpoints', () => {
  it.each(cases)('%s: the sessions and their matching requests', (_n, filters, pred, how) => {
    const where = factsWhere(db, filters);
    // Which way the filter found its sessions: both ways are covered here.
    expect(where.sql.includes('f.session_id IN') ? 'listed' : 'looked up').toBe(how);
    const want = expected(pred);
    expect(want.size).toBeGreaterThan(0);
    expect(listed(filters)).toEqual(want);
    const histogram = requestHistogram(db, filters);
    expect(histogram.total).toBe([...want.values()].reduce((a, b) => a + b, 0));
  });

  it.each(cases)(
    '%s: both strategies give the same page, neither scans the facts',
    (_n, filters) => {
      const where = factsWhere(db, filters);
      const run = (strategy: SessionStrategy): string[] => {
        const q = sessionsPageSql(strategy, where, 'firstSeen', false, false, {
          maxSessionUs: 864e8,
        });
        const plan = (
          db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params, 40) as { detail: string }[]
        ).map((r) => r.detail);
        if (strategy === 'fromSessions' || where.indexed)
          expect(plan.filter((d) => /^SCAN (f|request_facts)\b/.test(d))).toEqual([]);
        return (db.prepare(q.sql).all(...q.params, 40) as { sid: string }[]).map((r) => r.sid);
      };
      expect(run('fromRequests')).toEqual(run('fromSessions'));
    },
  );
});
