import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filters } from '../../shared/query/filterModel.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { KEYED_FACTS_STATE_KEY } from '../analysis/keyedFacts.js';
import { rebuild } from '../analysis/rebuild.js';
import { rebuildWithSettings } from '../analysis/settingsRebuild.js';
import { readSettings, readState, writeState } from '../analysis/settingsRepo.js';
import { TIME_BUCKETS_STATE_KEY } from '../analysis/timeBucketsStep.js';
import type { CaseDb } from '../store/openCase.js';
import { requestHistogram } from './histogramQuery.js';
import { TIME_BUCKET_BARS_SQL, TIME_BUCKET_EDGES_SQL } from './timeBucketsHistogram.js';

const S = 1e6;
const T0 = Date.UTC(2024, 4, 1, 8) * 1000;
const STRAY = { tsUs: Date.UTC(2019, 0, 1) * 1000, ip: '10.0.0.99', path: '/old', status: 200 };

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;

/** A deterministic capture: three hours of traffic from a few clients. */
function capture(count: number, seed: number) {
  let x = seed;
  const next = () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const rows = Array.from({ length: count }, (_, i) => ({
    tsUs: T0 + Math.floor(next() * 3 * 3600 * S),
    ip: `10.0.0.${1 + (i % 7)}`,
    path: `/p/${i % 13}`,
    status: [200, 200, 302, 404, 500, null][Math.floor(next() * 6)]!,
  }));
  return rows;
}

/** The histogram counted from the requests, the time buckets set aside. */
function counted(filters: Filters, target: number) {
  const state = readState(db, TIME_BUCKETS_STATE_KEY);
  db.prepare('DELETE FROM analysis_state WHERE key = ?').run(TIME_BUCKETS_STATE_KEY);
  try {
    return requestHistogram(db, filters, target);
  } finally {
    if (state !== null) writeState(db, TIME_BUCKETS_STATE_KEY, state);
  }
}

/** Adds `n` requests to every stored period: a histogram read from them says so. */
function tampered<T>(n: number, read: () => T): T {
  db.prepare('UPDATE time_buckets SET n = n + ?').run(n);
  try {
    return read();
  } finally {
    db.prepare('UPDATE time_buckets SET n = n - ?').run(n);
  }
}

beforeAll(() => {
  ws = tempWorkspace('ss-timebuckets-');
  db = ws.openCase();
  // And a line dated years before: the busy three hours are drawn narrowed (denseRange).
  seedSource(db, 'web', [...capture(2999, 7), STRAY]);
  rebuild(db);
});
afterAll(() => ws.cleanup());

describe('the histogram from the rebuild’s time buckets', () => {
  it('are written by the rebuild: seconds, for three hours of requests and one years off', () => {
    const state = JSON.parse(readState(db, TIME_BUCKETS_STATE_KEY)!) as { widthUs: number };
    expect(state.widthUs).toBe(S);
    const sum = db.prepare('SELECT sum(n) AS n, count(*) AS rows FROM time_buckets').get() as {
      n: number;
      rows: number;
    };
    expect(sum.n).toBe(3000);
    expect(sum.rows).toBeGreaterThan(2000);
  });

  it('gives what counting the requests gives, over the whole case and ranges of it', () => {
    // The chart narrowed to the busy hours, as the Overview draws it: its bars' first and last.
    const busy = requestHistogram(db, { from: T0 }, 96);
    const ranges: Filters[] = [
      {},
      { from: T0 },
      { to: T0 + 3600 * S },
      // The bars of a narrowed chart: from a bar's first request to another's last.
      { from: busy.buckets[10]!.firstUs!, to: busy.buckets[40]!.lastUs! + 1 },
      // Edges on whole minutes, and edges inside seconds.
      { from: T0 + 600 * S, to: T0 + 1800 * S },
      { from: T0 + 600 * S + 123_457, to: T0 + 1800 * S + 999_999 },
      { from: T0 + 3 * S, to: T0 + 9 * S },
      { from: T0 - 86_400 * S, to: T0 + 86_400 * S },
      { from: T0 + 5 * 3600 * S },
    ];
    // Edges between two requests of one second.
    const crowded = db
      .prepare('SELECT first_us AS a, last_us AS b FROM time_buckets WHERE n > 1 LIMIT 3')
      .all() as { a: number; b: number }[];
    expect(crowded).toHaveLength(3);
    for (const { a, b } of crowded) ranges.push({ from: a + 1 }, { to: b }, { from: a + 1, to: b });
    for (const filters of ranges)
      for (const target of [1, 12, 96, 400])
        expect(requestHistogram(db, filters, target), JSON.stringify({ filters, target })).toEqual(
          counted(filters, target),
        );
  });

  it('are what a chart of time alone reads; any other filter counts the requests', () => {
    const periods = db.prepare('SELECT count(*) FROM time_buckets').pluck().get() as number;
    expect(tampered(1, () => requestHistogram(db, {}, 96).total)).toBe(3000 + periods);
    // A narrowed chart (a bar's first request to another's last) and whole minutes too.
    const busy = requestHistogram(db, { from: T0 }, 96);
    for (const range of [
      { from: T0 },
      { from: busy.buckets[10]!.firstUs!, to: busy.buckets[40]!.lastUs! + 1 },
      { from: T0 + 600 * S, to: T0 + 1800 * S },
    ])
      expect(tampered(1, () => requestHistogram(db, range, 96).total)).toBeGreaterThan(
        counted(range, 96).total,
      );
    const filters: Filters = { statuses: ['5xx'] };
    expect(tampered(1, () => requestHistogram(db, filters, 96))).toEqual(counted(filters, 96));
    // Marks (a session's chart) and one session's chart count its requests.
    const sid = db.prepare('SELECT sid FROM sessions ORDER BY id LIMIT 1').pluck().get() as string;
    expect(tampered(1, () => requestHistogram(db, { sessionId: sid }, 96))).toEqual(
      counted({ sessionId: sid }, 96),
    );
  });

  it('are not read when an edge splits a period, nor once the facts they count change', () => {
    // A range from the middle of a busy second: the period has requests on both sides.
    const row = db
      .prepare('SELECT first_us AS a, last_us AS b FROM time_buckets WHERE n > 1 LIMIT 1')
      .get() as { a: number; b: number };
    const mid = { from: row.a + 1 };
    expect(tampered(1, () => requestHistogram(db, mid, 96))).toEqual(counted(mid, 96));
    const facts = readState(db, KEYED_FACTS_STATE_KEY)!;
    writeState(db, KEYED_FACTS_STATE_KEY, 'other');
    try {
      expect(tampered(1, () => requestHistogram(db, {}, 96))).toEqual(counted({}, 96));
    } finally {
      writeState(db, KEYED_FACTS_STATE_KEY, facts);
    }
  });

  it('are not read when their state is not one this build writes', () => {
    const state = readState(db, TIME_BUCKETS_STATE_KEY)!;
    try {
      for (const bad of ['{', '[]', '{"widthUs":7,"facts":"x"}', JSON.stringify({ widthUs: S })]) {
        writeState(db, TIME_BUCKETS_STATE_KEY, bad);
        expect(tampered(1, () => requestHistogram(db, {}, 96).total)).toBe(3000);
      }
    } finally {
      writeState(db, TIME_BUCKETS_STATE_KEY, state);
    }
  });

  it('are kept by a settings change, counted again when they lack requests or after an import', () => {
    const before = db.prepare('SELECT * FROM time_buckets ORDER BY start_us').all();
    const s3 = () => requestHistogram(db, {}, 96).buckets.reduce((sum, b) => sum + b.s3xx, 0);
    const moved = s3() + 1;
    // A 200 counted as a 302: the same number of requests, so the rows look whole.
    db.prepare(
      `UPDATE time_buckets SET s2 = s2 - 1, s3 = s3 + 1
       WHERE start_us = (SELECT min(start_us) FROM time_buckets WHERE s2 > 0)`,
    ).run();
    const opened = readSettings(db);
    rebuildWithSettings(db, { ...opened, inactivityTimeoutMin: 7 }, { base: opened });
    // The facts were kept, so were the rows (the moved request still is).
    expect(s3()).toBe(moved);
    // Rows that do not hold every request are counted again, whatever their state says.
    db.prepare(
      'DELETE FROM time_buckets WHERE start_us = (SELECT max(start_us) FROM time_buckets)',
    ).run();
    rebuildWithSettings(db, opened, { base: readSettings(db) });
    expect(requestHistogram(db, {}, 96)).toEqual(counted({}, 96));
    expect(db.prepare('SELECT * FROM time_buckets ORDER BY start_us').all()).toEqual(before);
    seedSource(db, 'more', capture(500, 11));
    rebuild(db);
    expect(requestHistogram(db, {}, 96)).toEqual(counted({}, 96));
    expect(requestHistogram(db, {}, 96).total).toBe(3500);
  });

  it('read a range of the table’s key, never the whole table', () => {
    const plan = (sql: string, n: number): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(n).fill(0)) as { detail: string }[])
        .map((r) => r.detail)
        .join('\n');
    expect(plan(TIME_BUCKET_BARS_SQL, 6)).toMatch(
      /SEARCH time_buckets USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/,
    );
    expect(plan(TIME_BUCKET_EDGES_SQL, 2)).toMatch(
      /SEARCH time_buckets USING INTEGER PRIMARY KEY \(rowid=\?\)/,
    );
    for (const sql of [TIME_BUCKET_BARS_SQL, TIME_BUCKET_EDGES_SQL])
      expect(plan(sql, sql === TIME_BUCKET_BARS_SQL ? 6 : 2)).not.toMatch(/SCAN time_buckets/);
  });
});
