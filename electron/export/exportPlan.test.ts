import { afterAll, describe, expect, it } from 'vitest';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { factsWhere } from '../query/filterSql.js';
import { exportSql } from './exportCsv.js';

const ws = tempWorkspace('ss-export-plan-');
afterAll(() => ws.cleanup());

describe('the export of one session in a case of one session', () => {
  it('reads the session’s facts in time order, never sorting the rest of it per page', () => {
    const db = ws.openCase();
    const t0 = Date.UTC(2024, 4, 1) * 1000;
    // One client: one session, as a scanner's capture often is.
    seedSource(
      db,
      'one',
      Array.from({ length: 300 }, (_, i) => ({
        tsUs: t0 + i * 1000,
        ip: '10.0.0.1',
        userAgent: 'scanner',
        path: `/p${i}`,
        status: 404,
      })),
    );
    rebuild(db);
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(1);
    const where = factsWhere(db, {});
    for (const cursor of [false, true]) {
      const params = cursor ? [1, 1, 0, 1e18, 0, 0, 100] : [1, 1, 0, 1e18, 100];
      const plan = (
        db
          .prepare(`EXPLAIN QUERY PLAN ${exportSql(db, where.sql, true, cursor)}`)
          .all(...params) as {
          detail: string;
        }[]
      ).map((r) => r.detail);
      expect(plan[0]).toMatch(
        /^SEARCH k USING PRIMARY KEY \(key_id=\? AND ts_us>\? AND ts_us<\?\)/,
      );
      expect(plan.join(' | ')).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    }
    db.close();
  });
});
