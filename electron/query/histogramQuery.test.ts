import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filtersSchema } from '../../shared/query/filterModel.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { api } from '../../shared/contract/api.js';
import { analysisDbHandlers } from '../api/analysisHandlers.js';
import type { CaseDb } from '../store/openCase.js';
import { factsWhere } from './filterSql.js';
import {
  CASE_SPAN_SQL,
  histogramWidthUs,
  requestHistogram,
  sessionBucketSql,
} from './histogramQuery.js';

const T0 = Date.UTC(2024, 4, 1) * 1000; // on a whole minute
const S = 1e6;

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;

beforeAll(() => {
  ws = tempWorkspace('ss-hist-');
  db = ws.openCase();
  // Hand-placed: minute 0 has 200/404/500, minute 1 has 302 and a status-less line,
  // minutes 2–4 are empty, minute 5 has one 200.
  seedSource(db, 'h', [
    { tsUs: T0, status: 200, ip: '10.0.0.1' },
    { tsUs: T0 + 10 * S, status: 404, ip: '10.0.0.1' },
    { tsUs: T0 + 59 * S, status: 500, ip: '10.0.0.2' },
    { tsUs: T0 + 60 * S, status: 302, ip: '10.0.0.2' },
    { tsUs: T0 + 61 * S, status: null, ip: '10.0.0.1' },
    { tsUs: T0 + 300 * S, status: 200, ip: '10.0.0.2' },
  ]);
  rebuild(db);
});
afterAll(() => ws.cleanup());

const zero = { s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0, other: 0 };
const minute = (i: number) => ({ startUs: T0 + i * 60 * S, endUs: T0 + (i + 1) * 60 * S });

describe('requestHistogram', () => {
  it('picks the smallest round width for the target', () => {
    expect(histogramWidthUs(300 * S + 1, 10)).toBe(60 * S);
    expect(histogramWidthUs(60 * S, 2)).toBe(30 * S);
    expect(histogramWidthUs(3 * 86400 * S, 1)).toBe(3 * 86400 * S);
  });

  it('counts the whole case by minute and status class, empty minutes included', () => {
    const h = requestHistogram(db, {}, 10);
    expect(h.widthUs).toBe(60 * S);
    expect(h.total).toBe(6);
    expect([h.caseFirstUs, h.caseLastUs]).toEqual([T0, T0 + 300 * S]);
    // Each bucket that holds a request says when its first and last one are.
    const span = (first: number, last: number) => ({
      firstUs: T0 + first * S,
      lastUs: T0 + last * S,
    });
    expect(h.buckets).toEqual([
      { ...minute(0), ...zero, s2xx: 1, s4xx: 1, s5xx: 1, ...span(0, 59) },
      { ...minute(1), ...zero, s3xx: 1, other: 1, ...span(60, 61) },
      { ...minute(2), ...zero },
      { ...minute(3), ...zero },
      { ...minute(4), ...zero },
      { ...minute(5), ...zero, s2xx: 1, ...span(300, 300) },
    ]);
  });

  it('counts only matching requests, over the filter time range', () => {
    const classes = requestHistogram(db, filtersSchema.parse({ statuses: ['2xx'] }), 10);
    expect(classes.total).toBe(2);
    expect(classes.buckets.map((b) => b.s2xx)).toEqual([1, 0, 0, 0, 0, 1]);

    const ranged = requestHistogram(db, { from: T0 + 60 * S, to: T0 + 120 * S }, 2);
    expect(ranged.widthUs).toBe(30 * S);
    expect(ranged.buckets).toEqual([
      {
        startUs: T0 + 60 * S,
        endUs: T0 + 90 * S,
        ...zero,
        s3xx: 1,
        other: 1,
        firstUs: T0 + 60 * S,
        lastUs: T0 + 61 * S,
      },
      { startUs: T0 + 90 * S, endUs: T0 + 120 * S, ...zero },
    ]);
    expect(requestHistogram(db, { ips: ['10.0.0.2'] }, 10).total).toBe(3);
  });

  it('counts outliers and attacks per bucket when asked', () => {
    const plain = requestHistogram(db, {}, 10);
    expect(plain.buckets[0]).not.toHaveProperty('attacks');
    const marked = requestHistogram(db, {}, 10, true);
    const ids = db.prepare('SELECT id FROM requests ORDER BY ts_us').all() as { id: number }[];
    db.prepare('UPDATE keyed_facts SET outlier = 1 WHERE request_id = ?').run(ids[5]!.id);
    const ins = db.prepare(
      `INSERT INTO detections (request_id, type, rule_id, source) VALUES (?, 'sqli', 'r1', 'source-label')`,
    );
    // Two detections on one request count it once.
    ins.run(ids[1]!.id);
    ins.run(ids[1]!.id);
    ins.run(ids[3]!.id);
    // As the rebuild's session step would: the session histogram probes detections only for
    // sessions it counted attacks in.
    db.prepare(
      `UPDATE sessions SET attack_count = (SELECT count(DISTINCT d.request_id) FROM detections d
         JOIN request_facts f ON f.request_id = d.request_id WHERE f.session_id = sessions.id)`,
    ).run();
    const after = requestHistogram(db, {}, 10, true);
    expect(marked.buckets.map((b) => [b.attacks, b.outliers])).toEqual(Array(6).fill([0, 0]));
    expect(after.buckets.map((b) => [b.attacks, b.outliers])).toEqual([
      [1, 0],
      [1, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 1],
    ]);
  });

  it("spans one session's requests with a session filter", () => {
    const sid = (
      db.prepare("SELECT sid FROM sessions WHERE first_ip = '10.0.0.2'").get() as { sid: string }
    ).sid;
    // 10.0.0.2: 59 s (500), 60 s (302), 300 s (200): 241 s in 10 bars of 30 s from 30 s.
    const h = requestHistogram(db, { sessionId: sid }, 10);
    expect(h.total).toBe(3);
    expect(h.widthUs).toBe(30 * S);
    expect(h.buckets[0]).toMatchObject({ startUs: T0 + 30 * S, s5xx: 1, firstUs: T0 + 59 * S });
    expect(h.buckets[1]).toMatchObject({ startUs: T0 + 60 * S, s3xx: 1, lastUs: T0 + 60 * S });
    expect(h.buckets[2]).not.toHaveProperty('firstUs');
    expect(h.buckets.at(-1)).toMatchObject({ endUs: T0 + 330 * S, s2xx: 1 });
    expect(requestHistogram(db, { sessionId: 's0000000000000000' }).buckets).toEqual([]);
  });

  it('counts a session in SQL exactly as the streamed pass counts the same requests', () => {
    const sessions = db
      .prepare('SELECT sid, first_ip AS ip, first_us AS lo, last_us AS hi FROM sessions')
      .all() as { sid: string; ip: string; lo: number; hi: number }[];
    expect(sessions.length).toBe(2);
    for (const s of sessions) {
      for (const marks of [false, true]) {
        const grouped = requestHistogram(db, { sessionId: s.sid }, 10, marks);
        // The same requests by IP and time range go through the streamed pass.
        const streamed = requestHistogram(db, { ips: [s.ip], from: s.lo, to: s.hi + 1 }, 10, marks);
        expect(grouped.total).toBeGreaterThan(0);
        expect(grouped).toEqual(streamed);
      }
    }
  });

  it('counts the case grouped in SQL exactly as the streamed pass (with marks) counts it', () => {
    const unmarked = (h: ReturnType<typeof requestHistogram>) => ({
      ...h,
      buckets: h.buckets.map(({ outliers: _o, attacks: _a, ...b }) => b),
    });
    const filters = [
      {},
      { statuses: ['4xx'] },
      { ips: ['10.0.0.2'] },
      { from: T0 + 30 * S },
      { from: T0 + 60 * S, to: T0 + 61 * S },
      { methods: ['GET'] },
    ];
    for (const f of filters) {
      for (const n of [1, 3, 10, 1000]) {
        const grouped = requestHistogram(db, f, n);
        expect(grouped).toEqual(unmarked(requestHistogram(db, f, n, true)));
      }
    }
    // The status-less line is counted as other, as everywhere.
    expect(requestHistogram(db, {}, 1).buckets[0]).toMatchObject({ other: 1, s2xx: 2 });
  });

  it("reads the case's span from the time index, not by a scan", () => {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${CASE_SPAN_SQL}`).all() as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/requests_ts/);
    // A scan of the index (one statement with both) would read every entry; a search reads one.
    expect(plan).not.toMatch(/^SCAN requests\b/m);
  });

  it("reads a session's bucket as a range of the facts key, with no sort", () => {
    const where = factsWhere(db, { statuses: ['4xx'], methods: ['GET'] });
    const sql = sessionBucketSql(where.sql, true, 'f.outlier = 2');
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1, 1, 0, 1, ...where.params) as {
        detail: string;
      }[]
    )
      .map((r) => r.detail)
      .join('\n');
    // keyed_facts itself, the bucket's range of the session's key: not the request_facts view,
    // whose session range SQLite may take instead of the bucket's (reading the whole session
    // for every bucket).
    expect(plan).toMatch(/SEARCH k USING PRIMARY KEY \(key_id=\? AND ts_us>\? AND ts_us<\?\)/);
    expect(plan).not.toMatch(/\bfs\b/);
    // The status class's sessions are listed (a scan of that JSON list is fine), the facts
    // are never scanned.
    expect(plan).not.toMatch(/TEMP B-TREE|^SCAN (f|fs|k|request_facts|keyed_facts)\b/m);
  });

  it('leaves out the detections probe for a session the rebuild found no attack in', () => {
    const attacked = db
      .prepare('SELECT sid, attack_count AS n FROM sessions WHERE attack_count > 0 LIMIT 1')
      .get() as { sid: string; n: number };
    const marksOf = (): number =>
      requestHistogram(db, { sessionId: attacked.sid }, 10, true).buckets.reduce(
        (a, b) => a + (b.attacks ?? 0),
        0,
      );
    expect(marksOf()).toBe(attacked.n);
    // Its detections stay, but a count of 0 (the rebuild's word) means no probe is made.
    const setCount = db.prepare('UPDATE sessions SET attack_count = ? WHERE sid = ?');
    setCount.run(0, attacked.sid);
    try {
      expect(marksOf()).toBe(0);
    } finally {
      setCount.run(attacked.n, attacked.sid);
    }
  });

  it('is empty for a range outside the case', () => {
    expect(requestHistogram(db, { from: T0 + 3600 * S }).buckets).toEqual([]);
  });

  it('answers through the contract, with the input validated', () => {
    const input = api.requestHistogram.input.parse({ filters: { statuses: ['5xx'] }, buckets: 10 });
    expect(analysisDbHandlers.requestHistogram(db, input).total).toBe(1);
    expect(api.requestHistogram.input.safeParse({ buckets: 0 }).success).toBe(false);
    expect(api.requestHistogram.input.safeParse({ filters: { from: 'yesterday' } }).success).toBe(
      false,
    );
  });
});
