import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { baselineOf } from '../../shared/analysis/robustStats.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import {
  BIG_NOT_FOUND_BYTES,
  HUGE_PAGE_BYTES,
  sizeGroupsCapture,
  TIMEOUT_MS,
} from '../../test/fixtures/analysis/sizeGroupsCapture.js';
import { dumpDerived } from '../../test/derivedDump.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { CaseDb } from '../store/openCase.js';
import { mergeSortedRuns, STATUS_CLASSES, statusClass, statusClassSql } from './outliersGroups.js';
import { OUTLIER_LATENCY, OUTLIER_SIZE } from './outliersStep.js';
import { rebuild } from './rebuild.js';

const ws = tempWorkspace('ss-outliergroups-');
afterAll(() => ws.cleanup());

interface Fact {
  path: string;
  status: number;
  latencyMs: number;
  respBytes: number;
  outlier: number;
  latencyZ: number | null;
  sizeZ: number | null;
}

function facts(db: CaseDb): Fact[] {
  return db
    .prepare(
      `SELECT r.path, r.status, r.latency_ms AS latencyMs, r.resp_bytes AS respBytes, f.outlier,
         f.latency_z AS latencyZ, f.size_z AS sizeZ
       FROM request_facts f JOIN requests r ON r.id = f.request_id ORDER BY r.line_no`,
    )
    .all() as Fact[];
}

function sizeBaselines(db: CaseDb, path: string): Record<number, unknown> {
  const rows = db
    .prepare(
      `SELECT b.status_class AS c, b.size_count AS count, b.size_median AS median,
         b.size_p95 AS p95, b.size_mad AS mad
       FROM endpoint_size_baselines b JOIN endpoints e ON e.id = b.endpoint_id
       WHERE e.template = ? ORDER BY b.status_class`,
    )
    .all(path) as { c: number; count: number; median: number; p95: number; mad: number }[];
  return Object.fromEntries(rows.map(({ c, ...b }) => [c, b]));
}

function baselineOfSizes(rows: readonly Fact[]): Record<string, number> {
  const b = baselineOf(Float64Array.from(rows, (r) => r.respBytes));
  return { count: b.count, median: b.median, p95: b.p95, mad: b.mad };
}

function analysed(name: string): CaseDb {
  const db = ws.openCase(name);
  seedSource(db, 'shop', sizeGroupsCapture());
  rebuild(db);
  return db;
}

describe('outliers: sizes per endpoint and status class, latency per endpoint', () => {
  it('classes a status alike in the rebuild and in SQL', () => {
    // Bound as a REAL by better-sqlite3: the class is an integer all the same.
    const mem = new Database(':memory:');
    const sql = mem.prepare(`SELECT ${statusClassSql('s')} FROM (SELECT ? AS s)`).pluck();
    for (const status of [null, 0, 1, 99, 100, 101, 199, 200, 204, 302, 404, 499, 500, 599, 600])
      expect(sql.get(status), String(status)).toBe(statusClass(status ?? -1));
    expect([200, 302, 404, 504, 101, 0, 999, -1].map(statusClass)).toEqual([
      2, 3, 4, 5, 1, 6, 6, 0,
    ]);
    mem.close();
  });

  it('merges sorted runs as one sort of them does', () => {
    const values = Float64Array.from([3, 9, 1, 1, 2, 4, 0, 7, 8]);
    const start = [0, 2, 2, 6, 6, 6, 6, 9];
    const out = new Float64Array(9);
    mergeSortedRuns(values, start, STATUS_CLASSES, out);
    expect([...out]).toEqual([0, 1, 1, 2, 3, 4, 7, 8, 9]);
  });

  it('flags none of the pages of an endpoint answered mostly by small redirects', () => {
    const db = analysed('redirects.sscase');
    const account = facts(db).filter((f) => f.path === '/account');
    const pages = account.filter((f) => f.status === 200);
    const redirects = account.filter((f) => f.status === 302);
    expect([pages.length, redirects.length]).toEqual([53, 127]);
    // Judged against the redirects' 178 bytes, every page was a size outlier.
    const sized = account.filter((f) => (f.outlier & OUTLIER_SIZE) !== 0);
    expect(sized.map((f) => [f.status, f.respBytes])).toEqual([[200, HUGE_PAGE_BYTES]]);
    const huge = sized[0]!;
    const b = baselineOfSizes(pages);
    expect(b.median).toBeGreaterThan(12_000);
    expect(huge.sizeZ).toBeCloseTo(
      Math.round(((0.6745 * (HUGE_PAGE_BYTES - b.median!)) / b.mad!) * 100) / 100,
      2,
    );
    for (const p of pages) if (p !== huge) expect(Math.abs(p.sizeZ!)).toBeLessThan(3.5);
    // The baselines they were judged by are kept, one per class with a size.
    expect(sizeBaselines(db, '/account')).toEqual({
      2: b,
      3: baselineOfSizes(redirects),
      4: baselineOfSizes(account.filter((f) => f.status === 404)),
    });
    // The inventory still describes the endpoint as a whole: mostly redirects.
    const endpoint = db
      .prepare(
        `SELECT size_count AS count, size_median AS median, size_p95 AS p95, size_mad AS mad,
           outlier_count AS outliers FROM endpoints WHERE template = '/account'`,
      )
      .get() as Record<string, number>;
    expect(endpoint).toEqual({ ...baselineOfSizes(account), outliers: 1 });
    expect(endpoint['median']).toBeLessThan(200);
  });

  it('judges no size in a status class with fewer requests than the minimum', () => {
    const db = analysed('small.sscase');
    const notFound = facts(db).filter((f) => f.status === 404);
    expect(notFound).toHaveLength(5);
    // 500 KB against the 404s' 150 bytes, but five are no baseline: not judged, as an endpoint
    // with too few requests is not.
    for (const f of notFound) expect([f.outlier, f.sizeZ]).toEqual([0, null]);
    expect(notFound.map((f) => f.respBytes)).toContain(BIG_NOT_FOUND_BYTES);
    expect(sizeBaselines(db, '/account')[4]).toMatchObject({ count: 5, median: 150 });
  });

  it('still flags a 504 after 30 s among fast 200s, against the endpoint', () => {
    const db = analysed('timeout.sscase');
    const search = facts(db).filter((f) => f.path === '/api/search');
    const flagged = search.filter((f) => f.outlier !== 0);
    expect(flagged.map((f) => [f.status, f.latencyMs, f.outlier])).toEqual([
      [504, TIMEOUT_MS, OUTLIER_LATENCY],
    ]);
    const b = baselineOf(Float64Array.from(search, (f) => f.latencyMs));
    expect(flagged[0]!.latencyZ).toBeCloseTo(
      Math.round(((0.6745 * (TIMEOUT_MS - b.median)) / b.mad) * 100) / 100,
      2,
    );
    // The endpoint's latency baseline is of all its requests; the 504 alone is its 5xx group.
    const endpoint = db
      .prepare(
        `SELECT latency_count AS count, latency_median AS median FROM endpoints
         WHERE template = '/api/search'`,
      )
      .get();
    expect(endpoint).toEqual({ count: 61, median: b.median });
    expect(sizeBaselines(db, '/api/search')[5]).toMatchObject({ count: 1, median: 160 });
  });

  it('gives the same outliers and baselines on every rebuild', () => {
    const db = analysed('again.sscase');
    const first = dumpDerived(db);
    rebuild(db);
    expect(dumpDerived(db)).toEqual(first);
    // In another order of the same requests.
    const other = ws.openCase('reversed.sscase');
    seedSource(
      other,
      'shop',
      sizeGroupsCapture()
        .map((r, i) => ({ ...r, lineNo: i + 1 }))
        .reverse(),
    );
    rebuild(other);
    for (const path of ['/account', '/api/search'])
      expect(sizeBaselines(other, path)).toEqual(sizeBaselines(db, path));
    expect(facts(other)).toEqual(facts(db));
  });
});
