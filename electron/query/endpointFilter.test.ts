import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filters } from '../../shared/query/filterModel.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CaseDb } from '../store/openCase.js';
import {
  expectFilterAnswers,
  expectStrategiesAgree,
  requestsPerCookie,
} from '../../test/fixtures/query/sessionFilterChecks.js';

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
    expect(requestsPerCookie(rows, pred).size).toBeGreaterThan(0);
    expectFilterAnswers(db, rows, filters, pred, how);
  });

  it.each(cases)('%s: both strategies give the same page, neither scans the facts', (_n, filters) =>
    expectStrategiesAgree(db, filters),
  );
});
