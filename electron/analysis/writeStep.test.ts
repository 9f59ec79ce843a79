import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groundTruthCapture } from '../../test/fixtures/analysis/groundTruth.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { derivedTables, keyedFactsTable } from '../store/migrations/002_analysis.js';
import { BatchInsert } from './batchInsert.js';
import { rebuild } from './rebuild.js';
import { rebuildWithSettings } from './settingsRebuild.js';
import { readSettings } from './settingsRepo.js';
import {
  fewDistinct,
  PRE_INDEX_MAX_KEYS,
  splitFactsIndexes,
  type FactsColumnKeys,
} from './writeStep.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-write-');
});
afterEach(() => ws.cleanup());

function indexName(sql: string): string {
  return /INDEX (\w+)/.exec(sql)![1]!;
}

describe('fewDistinct', () => {
  it('is true up to the limit of distinct values and false one above it', () => {
    expect(fewDistinct([], 0)).toBe(true);
    expect(fewDistinct([5, 5, 5], 1)).toBe(true);
    expect(fewDistinct([1, 2, 1, 2, 3, 3, 1], 3)).toBe(true);
    expect(fewDistinct([1, 2, 1, 2, 3, 3, 1], 2)).toBe(false);
    expect(fewDistinct(Int32Array.from([-1, 0, -1, 0]), 2)).toBe(true);
    expect(fewDistinct(Int32Array.from([-1, 0, 1]), 2)).toBe(false);
    // Values outside the marked range: negative, fractional, huge.
    expect(fewDistinct([-7, 0.5, 2 ** 30, -7, 0.5, 2 ** 30, 3], 4)).toBe(true);
    expect(fewDistinct([-7, 0.5, 2 ** 30, -7, 0.5, 2 ** 30, 3], 3)).toBe(false);
    // Past the first marks: the array grows and keeps the values already marked.
    expect(fewDistinct([1, 5000, 1, 5000, 100_000, 1], 3)).toBe(true);
    expect(fewDistinct([1, 5000, 1, 5000, 100_000, 2], 3)).toBe(false);
  });
});

describe('splitFactsIndexes', () => {
  const many = Int32Array.from({ length: PRE_INDEX_MAX_KEYS + 1 }, (_, i) => i);
  const atLimit = Int32Array.from(
    { length: 3 * PRE_INDEX_MAX_KEYS },
    (_, i) => i % PRE_INDEX_MAX_KEYS,
  );
  const few = Int32Array.from([200, 200, 404, 500, -1]);

  /** Indexes over columns of every kind (the schema itself now has only two). */
  const indexes = [
    'CREATE UNIQUE INDEX facts_request ON keyed_facts (request_id)',
    'CREATE INDEX facts_ip ON keyed_facts (ip, key_id)',
    'CREATE INDEX facts_status ON keyed_facts (status, key_id)',
    'CREATE INDEX facts_user ON keyed_facts (user, key_id) WHERE user IS NOT NULL',
    'CREATE INDEX facts_role ON keyed_facts (role, key_id) WHERE role IS NOT NULL',
    'CREATE INDEX facts_outlier ON keyed_facts (key_id) WHERE outlier != 0',
  ];

  function split(keys: Record<string, FactsColumnKeys>) {
    const { before, after } = splitFactsIndexes(indexes, (c) => keys[c]);
    return { before: before.map(indexName), after: after.map(indexName) };
  }

  it('creates early the indexes led by the key or by a column with few values, the rest after', () => {
    expect(
      split({
        key_id: 'key',
        status: atLimit,
        ip: many,
        user: many,
        role: few,
      }),
    ).toEqual({
      before: ['facts_status', 'facts_role', 'facts_outlier'],
      after: ['facts_request', 'facts_ip', 'facts_user'],
    });
  });

  it('builds after every index whose column it knows nothing about', () => {
    expect(split({})).toEqual({ before: [], after: indexes.map(indexName) });
  });

  it('keeps every definition exactly once', () => {
    const { before, after } = splitFactsIndexes(keyedFactsTable.indexes, (c) =>
      c === 'endpoint_id' ? few : many,
    );
    expect([...before, ...after].sort()).toEqual([...keyedFactsTable.indexes].sort());
  });
});

describe('write step', () => {
  it('leaves every derived index as declared and consistent with its table', () => {
    const { rows } = groundTruthCapture();
    const db = ws.openCase();
    seedSource(db, 'truth', rows);
    rebuild(db);
    // Twice: the second rebuild drops tables whose indexes the first one built early.
    rebuild(db);
    for (const t of derivedTables) {
      const got = db
        .prepare(
          "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        )
        .pluck()
        .all(t.name);
      expect(got.sort()).toEqual([...t.indexes].sort());
    }
    // Checks that each index holds exactly one entry per (qualifying) row of its table.
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    for (const table of ['keyed_facts', 'request_facts']) {
      const n = db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
      expect([table, n]).toEqual([table, rows.length]);
    }
    for (const ix of keyedFactsTable.indexes) {
      const name = indexName(ix);
      const where = /WHERE (.*)$/.exec(ix)?.[1] ?? '1';
      const viaIndex = db
        .prepare(`SELECT count(*) FROM keyed_facts INDEXED BY ${name} WHERE ${where}`)
        .pluck()
        .get();
      const scanned = db
        .prepare(`SELECT count(*) FROM keyed_facts NOT INDEXED WHERE ${where}`)
        .pluck()
        .get();
      expect([name, viaIndex]).toEqual([name, scanned]);
    }
  });
});

describe('keyed facts across rebuilds', () => {
  /** Each request's session (by sid) and facts, as every query reads them. */
  const facts = (db: ReturnType<typeof ws.openCase>): unknown[] =>
    db
      .prepare(
        `SELECT s.sid, f.ts_us, f.request_id, f.endpoint_id, f.status, f.outlier, f.latency_z
         FROM request_facts f JOIN sessions s ON s.id = f.session_id ORDER BY f.request_id`,
      )
      .raw(true)
      .all();
  /** A mark no rebuild writes: it survives only while the rows are kept. */
  const MARK = 'UPDATE keyed_facts SET latency_z = 1234.5 WHERE request_id = 1';
  const marked = (db: ReturnType<typeof ws.openCase>): boolean =>
    db.prepare('SELECT latency_z FROM keyed_facts WHERE request_id = 1').pluck().get() === 1234.5;

  it('keeps the rows when only session boundaries move, and the view gives a fresh rebuild’s sessions', () => {
    const { rows } = groundTruthCapture();
    const db = ws.openCase('kept.sscase');
    seedSource(db, 'truth', rows);
    rebuild(db);
    db.exec(MARK);
    const s = readSettings(db);
    rebuildWithSettings(db, { ...s, inactivityTimeoutMin: 3, maxSessionHours: 1 });
    expect(marked(db)).toBe(true);
    const fresh = ws.openCase('fresh.sscase');
    seedSource(fresh, 'truth', rows);
    rebuildWithSettings(fresh, { ...s, inactivityTimeoutMin: 3, maxSessionHours: 1 });
    db.exec('UPDATE keyed_facts SET latency_z = NULL WHERE request_id = 1');
    fresh.exec('UPDATE keyed_facts SET latency_z = NULL WHERE request_id = 1');
    const got = facts(db);
    expect(got).toHaveLength(rows.length);
    expect(got).toEqual(facts(fresh));
    // More sessions than under the default timeout, each request in exactly one.
    expect(new Set(got.map((r) => (r as unknown[])[0])).size).toBe(
      db.prepare('SELECT count(*) FROM sessions').pluck().get(),
    );
  });

  it('rewrites them when what they hold changes', () => {
    const db = ws.openCase();
    seedSource(db, 'truth', groundTruthCapture().rows);
    rebuild(db);
    db.exec(MARK);
    const s = readSettings(db);
    // Fewer of the injected outliers are flagged.
    const outliers = (): number =>
      db.prepare('SELECT count(*) FROM keyed_facts WHERE outlier != 0').pluck().get() as number;
    const before = outliers();
    rebuildWithSettings(db, { ...s, outliers: { ...s.outliers, zThreshold: 999 } });
    expect(marked(db)).toBe(false);
    expect(outliers()).toBeLessThan(before);
    db.exec(MARK);
    seedSource(db, 'more', groundTruthCapture().rows.slice(0, 3));
    rebuild(db);
    expect(marked(db)).toBe(false);
  });
});

describe('BatchInsert', () => {
  it('still throws on a constraint error, and the caller’s transaction undoes every row', () => {
    const db = ws.openCase();
    db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT');
    const load = db.transaction(() => {
      const ins = new BatchInsert(db, 't', ['k', 'v']);
      for (let k = 0; k < 300; k++) ins.push(k, `v${k}`);
      ins.push(5, 'again');
      ins.flush();
    });
    expect(load).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
    const ok = db.transaction(() => {
      const ins = new BatchInsert(db, 't', ['k', 'v']);
      for (let k = 0; k < 300; k++) ins.push(k, `v${k}`);
      ins.flush();
    });
    ok();
    expect(db.prepare('SELECT count(*), sum(k) FROM t').raw().get()).toEqual([300, 299 * 150]);
  });
  it('writes rows put in place through values and rowStart, a partial last batch included', () => {
    const db = ws.openCase();
    db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT, w REAL) STRICT');
    const ins = new BatchInsert(db, 't', ['k', 'v', 'w']);
    const vals = ins.values;
    db.transaction(() => {
      for (let k = 0; k < 600; k++) {
        const at = ins.rowStart;
        vals[at] = k;
        vals[at + 1] = k % 7 === 0 ? null : `v${k}`;
        vals[at + 2] = k / 4;
        ins.endRow();
      }
      ins.flush();
    })();
    const got = db.prepare('SELECT k, v, w FROM t ORDER BY k').raw().all();
    expect(got).toEqual(
      Array.from({ length: 600 }, (_, k) => [k, k % 7 === 0 ? null : `v${k}`, k / 4]),
    );
  });
});
