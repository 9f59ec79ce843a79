import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchRequests } from '../../bench/analysisBench.js';
import { filtersSchema, type FiltersInput } from '../../shared/query/filterModel.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CaseDb } from '../store/openCase.js';
import { countSessions } from './sessionsCount.js';
import { listSessions } from './sessionsQuery.js';

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
let lastUs = 0;
beforeAll(() => {
  ws = tempWorkspace('ss-count-');
  db = ws.openCase();
  const rows = [...benchRequests(4000)];
  lastUs = rows[rows.length - 1]!.tsUs;
  seedSource(db, 'bench', rows);
  rebuild(db);
});
afterAll(() => ws.cleanup());

/** The sessions the list gives, page after page. */
function listed(filters: FiltersInput): number {
  const parsed = filtersSchema.parse(filters);
  let n = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = listSessions(db, { filters: parsed, cursor, limit: 1000 });
    n += page.sessions.length;
    if (page.nextCursor === null) return n;
    cursor = page.nextCursor;
  }
}

/** The count, its parts added up; returns the total and how many parts it took. */
function counted(filters: FiltersInput, opts: { budgetMs?: number; step?: number } = {}) {
  const parsed = filtersSchema.parse(filters);
  let total = 0;
  let parts = 0;
  let cursor: string | undefined;
  for (;;) {
    const part = countSessions(db, parsed, cursor, opts);
    total += part.count;
    parts++;
    if (part.nextCursor === null) return { total, parts };
    cursor = part.nextCursor;
  }
}

describe('counting the sessions a list holds', () => {
  const cases: [string, FiltersInput][] = [
    ['no filter', {}],
    ['status 500', { statuses: ['500'] }],
    ['status 4xx', { statuses: ['4xx'] }],
    ['method DELETE', { methods: ['DELETE'] }],
    ['free text', { text: 'sort=price' }],
    ['rare text', { text: 'users/42' }],
    ['nothing', { text: 'no-such-text' }],
    ['last hour', { from: lastUs - 3600e6, to: lastUs + 1 }],
    ['outliers', { outliersOnly: true }],
    ['role and method', { roles: ['admin'], methods: ['GET'] }],
  ];

  it.each(cases)('%s: as many as listed', (_name, filters) => {
    expect(counted(filters).total).toBe(listed(filters));
  });

  it('walks in parts that end when their time is up, and adds up to the same', () => {
    // Too many matching requests to count the sessions from: the list is walked.
    const filters = { text: 'sort=price' };
    const whole = counted(filters);
    expect(whole.total).toBeGreaterThan(50);
    // Steps of 7 sessions and no time to spare: every step is a part of its own.
    const parts = counted(filters, { budgetMs: 0, step: 7 });
    expect(parts.total).toBe(whole.total);
    expect(parts.parts).toBe(Math.floor(whole.total / 7) + 1);
  });
});
