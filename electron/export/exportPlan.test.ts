import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { factsWhere } from '../query/filterSql.js';
import { exportCsv, exportSql } from './exportCsv.js';

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

describe('the whole-case export across instants many requests share', () => {
  it('lists every request once, in time then id order, across page boundaries', async () => {
    const db = ws.openCase('dup.sscase');
    const t0 = Date.UTC(2024, 4, 1) * 1000;
    // 60 requests in one instant, 1 alone, 25 in a third: pages of 7 cut inside each.
    const times = [...Array(60).fill(t0), t0 + 1000, ...Array(25).fill(t0 + 5000)] as number[];
    // Stored out of time order, so id order and time order differ.
    seedSource(
      db,
      'dup',
      times.reverse().map((tsUs, i) => ({ tsUs, ip: `10.0.0.${i % 5}`, path: `/p${i}` })),
    );
    rebuild(db);
    const want = db.prepare('SELECT id FROM requests ORDER BY ts_us, id').pluck().all();
    const out = path.join(ws.dir, 'dup.csv');
    await exportCsv(db, out, { pageSize: 7 });
    const ids = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[0]));
    expect(ids).toEqual(want);
    db.close();
  });
});
