import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchRequests } from '../../bench/analysisBench.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { Filters } from '../../shared/query/filterModel.js';
import { rebuild } from '../analysis/rebuild.js';
import { rebuildWithSettings } from '../analysis/settingsRebuild.js';
import { readSettings } from '../analysis/settingsRepo.js';
import { PLANNER_STATS_MIN_REQUESTS } from '../analysis/plannerStats.js';
import type { CaseDb } from '../store/openCase.js';
import { factsWhere } from './filterSql.js';
import { requestHistogram } from './histogramQuery.js';
import { exportSql } from '../export/exportCsv.js';
import { chooseStrategy, listSessions, sessionsPageSql } from './sessionsQuery.js';

// A case past the size from which the rebuild gives the planner its figures (plannerStats.ts).
const ws = tempWorkspace('ss-planner-stats-');
let db: CaseDb;
beforeAll(() => {
  db = ws.openCase();
  seedSource(db, 'bench', benchRequests(PLANNER_STATS_MIN_REQUESTS + 5000));
  rebuild(db);
}, 120_000);
afterAll(() => ws.cleanup());

const statTables = (): string[] =>
  db.prepare('SELECT DISTINCT tbl FROM sqlite_stat1 ORDER BY tbl').pluck().all() as string[];

function plan(sql: string, params: unknown[]): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
    (r) => r.detail,
  );
}

const FILTERS: Filters[] = [
  { methods: ['DELETE'] },
  { statuses: ['5xx'] },
  { text: 'sort=price' },
  { outliersOnly: true },
  { flows: ['Auth'] },
];

describe('planner figures of a large case', () => {
  it('are written for keyed_facts and sessions, and kept with keyed_facts', () => {
    expect(statTables()).toEqual(['keyed_facts', 'sessions']);
    const s = readSettings(db);
    rebuildWithSettings(db, { ...s, inactivityTimeoutMin: s.inactivityTimeoutMin + 3 });
    expect(statTables()).toEqual(['keyed_facts', 'sessions']);
    rebuildWithSettings(db, s);
  });

  it.each(FILTERS)('read every request matching %j a session range at a time', (filters) => {
    const where = factsWhere(db, filters);
    // The whole-case read of the histogram: never one session lookup per request.
    const p = plan(
      `SELECT f.ts_us, f.status FROM request_facts f WHERE ${where.sql}`,
      where.params,
    );
    if (filters.outliersOnly) expect(p.join(' | ')).toMatch(/INDEX facts_outlier/);
    else expect(p.join(' | ')).not.toMatch(/SEARCH fs USING INDEX sessions_key/);
    // The session list: no scan of every session or request.
    const strategy = chooseStrategy(db, where);
    if (strategy !== 'all') {
      const q = sessionsPageSql(strategy, where, 'firstSeen', false, false, {
        maxSessionUs: 864e8,
      });
      const pp = plan(q.sql, [...q.params, 50]);
      const fullScan =
        /^SCAN (f|fs|keyed_facts|request_facts)\b(?! USING (COVERING )?INDEX facts_outlier)/;
      expect(pp.filter((d) => fullScan.test(d))).toEqual([]);
    }
  });

  it('leave the whole-case export reading requests in time order, page by page', () => {
    const where = factsWhere(db, {});
    const p = plan(exportSql(db, where.sql, false, true), [0, 0, 10]).join(' | ');
    // A sort here would sort the whole case for every page of the export.
    expect(p).toMatch(/^SEARCH r USING INDEX requests_ts/);
    expect(p).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
  });

  it('answer as without them', () => {
    const answers = (): unknown =>
      FILTERS.map((f) => ({
        histogram: requestHistogram(db, f),
        page: listSessions(db, { filters: f, limit: 20 }),
      }));
    const withStats = answers();
    db.exec('DELETE FROM sqlite_stat1; ANALYZE sqlite_schema');
    try {
      expect(answers()).toEqual(withStats);
    } finally {
      rebuild(db);
    }
  });
});
