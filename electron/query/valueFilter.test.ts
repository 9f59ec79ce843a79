import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filters } from '../../shared/query/filterModel.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CaseDb } from '../store/openCase.js';
import {
  expectFilterAnswers,
  expectStrategiesAgree,
} from '../../test/fixtures/query/sessionFilterChecks.js';

const T0 = Date.UTC(2024, 4, 1) * 1000;
const SESSIONS = 1200;

/**
 * Sessions (one cookie each, so an ip can be shared): every one signs in through a shared
 * gateway address (an ip on more sessions than the filters list) and views a page from its own
 * address; every fourth is refused once (401), a few meet a 5xx; users are per session, roles
 * "viewer" on most and "admin" on a few.
 */
function capture(): SeedRequest[] {
  const rows: SeedRequest[] = [];
  for (let k = 0; k < SESSIONS; k++) {
    const role = k % 50 === 7 ? 'admin' : 'viewer';
    const base = {
      cookies: `JSESSIONID=S${k}`,
      headers: { 'x-user': `user${k % 700}`, 'x-role': role },
    };
    const t = T0 + k * 60e6;
    // Every tenth session's sign-in is redirected: a status only its first request has.
    const signIn = k % 10 === 3 ? 302 : 200;
    rows.push({ ...base, tsUs: t, ip: '192.0.2.1', path: '/login', status: signIn });
    if (k % 4 === 0)
      rows.push({ ...base, tsUs: t + 1e6, ip: '192.0.2.1', path: '/login', status: 401 });
    const own = `10.3.${k >> 8}.${k & 255}`;
    rows.push({ ...base, tsUs: t + 5e6, ip: own, path: `/page/${k}`, status: 200 });
    if (k % 97 === 5) rows.push({ ...base, tsUs: t + 9e6, ip: own, path: '/report', status: 503 });
    // A request without a user or a status: neither is listed for its session.
    if (k % 13 === 0)
      rows.push({ cookies: base.cookies, tsUs: t + 20e6, ip: own, path: '/ping', status: null });
    // A code no server sends, far beyond the others (kept apart from the common ones).
    if (k === 600)
      rows.push({ ...base, tsUs: t + 30e6, ip: own, path: '/odd', status: 2_000_000_000 });
  }
  return rows;
}

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
let rows: SeedRequest[];

beforeAll(() => {
  ws = tempWorkspace('ss-valuefilter-');
  db = ws.openCase();
  rows = capture();
  seedSource(db, 'v', rows);
  rebuild(db);
});
afterAll(() => ws.cleanup());

const user = (r: SeedRequest): string | undefined => r.headers?.['x-user'];
const role = (r: SeedRequest): string | undefined => r.headers?.['x-role'];
const is5xx = (r: SeedRequest): boolean => (r.status ?? 0) >= 500 && (r.status ?? 0) <= 599;

const cases: [string, Filters, (r: SeedRequest) => boolean, 'listed' | 'looked up'][] = [
  ['an ip on many sessions', { ips: ['192.0.2.1'] }, (r) => r.ip === '192.0.2.1', 'looked up'],
  ["one session's ip", { ips: ['10.3.1.7'] }, (r) => r.ip === '10.3.1.7', 'listed'],
  [
    'two ips, one of them common',
    { ips: ['10.3.0.9', '192.0.2.1'] },
    (r) => r.ip === '10.3.0.9' || r.ip === '192.0.2.1',
    'looked up',
  ],
  ['a status on many sessions', { statuses: ['200'] }, (r) => r.status === 200, 'looked up'],
  ['a status on fewer', { statuses: ['401'] }, (r) => r.status === 401, 'listed'],
  [
    "a status only on sessions' first requests",
    { statuses: ['302'] },
    (r) => r.status === 302,
    'listed',
  ],
  ['a rare status class', { statuses: ['5xx'] }, is5xx, 'listed'],
  [
    'a code and a class',
    { statuses: ['401', '5xx'] },
    (r) => r.status === 401 || is5xx(r),
    'listed',
  ],
  ['a user on two sessions', { users: ['user42'] }, (r) => user(r) === 'user42', 'listed'],
  ['a common role', { roles: ['viewer'] }, (r) => role(r) === 'viewer', 'looked up'],
  ['a rare role', { roles: ['admin'] }, (r) => role(r) === 'admin', 'listed'],
  [
    'a rare role and a common status',
    { roles: ['admin'], statuses: ['200'] },
    (r) => role(r) === 'admin' && r.status === 200,
    'listed',
  ],
  [
    'a common ip and a common status on other requests',
    { ips: ['192.0.2.1'], statuses: ['401'] },
    (r) => r.ip === '192.0.2.1' && r.status === 401,
    'listed',
  ],
  ['an unknown ip', { ips: ['203.0.113.9'] }, () => false, 'listed'],
];

describe('ip, status, user and role filters read their sessions from session_values', () => {
  it.each(cases)('%s: the sessions and their matching requests', (_n, filters, pred, how) =>
    expectFilterAnswers(db, rows, filters, pred, how),
  );

  it.each(cases)('%s: both strategies give the same page, neither scans the facts', (_n, filters) =>
    expectStrategiesAgree(db, filters),
  );

  it('lists each session once per distinct value, null values left out', () => {
    const values = db
      .prepare('SELECT session_id, ip, role, status, user FROM session_values ORDER BY 1')
      .raw(true)
      .all() as [number, string, string, string, string][];
    expect(values.length).toBe(SESSIONS);
    const sizes = (at: 1 | 2 | 3 | 4): number[] =>
      [...new Set(values.map((r) => (JSON.parse(r[at]) as number[]).length))].sort();
    // Every session: the gateway and its own address; 200, plus 401 on every fourth and 503 on
    // a few (the /ping requests have no status); one user and one role each.
    expect(sizes(1)).toEqual([2]);
    expect(sizes(2)).toEqual([1]);
    expect(sizes(3)).toEqual([1, 2, 3]);
    expect(values[600]![3]).toBe('[200,401,2000000000]');
    expect(sizes(4)).toEqual([1]);
    for (const r of values)
      for (const list of r.slice(1) as string[]) {
        const ids = JSON.parse(list) as number[];
        expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
      }
    const fives = Array.from({ length: SESSIONS }, (_, k) => k).filter((k) => k % 97 === 5);
    const lists = db
      .prepare("SELECT value, n, sessions FROM value_sessions WHERE col = 'status' ORDER BY value")
      .all() as { value: number; n: number; sessions: string }[];
    expect(lists.map((l) => [l.value, l.n])).toEqual([
      [200, SESSIONS],
      [302, SESSIONS / 10],
      [401, SESSIONS / 4],
      [503, fives.length],
      [2_000_000_000, 1],
    ]);
    for (const l of lists) {
      const ids = JSON.parse(l.sessions) as number[];
      expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
      expect(ids.length).toBe(l.n);
    }
  });
});
