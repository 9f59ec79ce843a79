import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { effectiveParams, type AnalysisSettings } from '../../shared/analysis/settings.js';
import { oddRows } from '../../test/fixtures/analysis/oddRows.js';
import {
  CUSTOM_KEY_SETTINGS as CUSTOM,
  DEFAULT_SETTINGS as DEFAULTS,
  scanCapture,
  scanContext as ctxOf,
  scanDump,
} from '../../test/fixtures/analysis/scanCapture.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { CaseDb } from '../store/openCase.js';
import { replaceColumns, writeColumnsFromRequests } from '../store/requestColumns.js';
import { buildColumns, joinColumns, scanRowsBuilding, type BuiltColumns } from './scanBuild.js';
import { appendPart, finishScan, posted, sourceShas } from './scanJoin.js';
import type { ScanResult } from './scanResult.js';
import type { ScanRange } from './scanRows.js';
import { lastScanRun, scanRequests } from './scanStep.js';
import { queryStrings } from './verdictsQueries.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-scanbuild-');
});
afterEach(() => ws.cleanup());

function ids(db: CaseDb): number[] {
  return db.prepare('SELECT id FROM requests ORDER BY id').pluck().all() as number[];
}

function seeded(): CaseDb {
  const db = ws.openCase();
  seedSource(db, 'scan', scanCapture(700));
  seedSource(db, 'odd', oddRows());
  return db;
}

/** The rows' scan, read in consecutive ranges ending after the given counts, and its columns. */
function builtInParts(
  db: CaseDb,
  settings: AnalysisSettings,
  cuts: number[],
): { scan: ScanResult; columns: BuiltColumns } {
  const all = ids(db);
  const ends = [...cuts, all.length];
  const params = effectiveParams(settings);
  const range = (from: number, to: number): ScanRange => ({
    after: from === 0 ? -Infinity : all[from - 1]!,
    upTo: all[to - 1]!,
    count: to - from,
  });
  const first = scanRowsBuilding(db, params, range(0, ends[0]!), all.length);
  let columns = first.columns!;
  for (let k = 1; k < ends.length; k++) {
    const next = scanRowsBuilding(db, params, range(ends[k - 1]!, ends[k]!));
    appendPart(first.part, posted(next.part));
    columns = joinColumns(columns, next.columns!);
  }
  return { scan: finishScan(first.part, sourceShas(db)), columns };
}

/** The reference: every request read from `requests` by scanRows. */
function rowScan(db: CaseDb, settings: AnalysisSettings): unknown {
  return scanDump(scanRequests(ctxOf(db, settings), { parallelMin: Infinity, columns: false }));
}

describe('the scan that builds the analysis columns from the rows', () => {
  it('gives the rows’ scan, and the columns compact writes', () => {
    const db = seeded();
    for (const settings of [DEFAULTS, CUSTOM]) {
      const { scan, columns } = builtInParts(db, settings, []);
      expect(scanDump(scan)).toEqual(rowScan(db, settings));
      db.transaction(() => {
        for (const s of db.prepare('SELECT id FROM sources ORDER BY id').pluck().all() as number[])
          writeColumnsFromRequests(db, s);
      })();
      const compact = db
        .prepare(
          'SELECT source_id, first_id, count, strings, data FROM request_columns ORDER BY id',
        )
        .raw(true)
        .all() as [number, number, number, string, Uint8Array][];
      expect(
        columns.chunks.map((c) => [c.sourceId, c.firstId, c.count, c.strings, Buffer.from(c.data)]),
      ).toEqual(compact);
      db.prepare('DELETE FROM request_columns').run();
    }
    db.close();
  });

  it('joins the columns of consecutive ranges into columns that read as the rows', () => {
    const db = seeded();
    const n = ids(db).length;
    for (const settings of [DEFAULTS, CUSTOM]) {
      const rows = rowScan(db, settings);
      for (const cuts of [[1], [Math.floor(n / 2)], [n - 1], [17, Math.floor(n / 2), n - 30]]) {
        const { scan, columns } = builtInParts(db, settings, cuts);
        expect(scanDump(scan), `cuts ${cuts.join(',')}`).toEqual(rows);
        // The query strings the verdicts take from the joined columns are the scan's.
        expect(queryStrings(columns.queries)).toEqual(scan.query.slice(0, scan.n));
        // A string on both sides of a cut has an id on each: the later ones follow the earlier.
        db.transaction(() => expect(replaceColumns(db, columns.chunks, n)).toBe(true))();
        const read = scanDump(scanRequests(ctxOf(db, settings), { parallelMin: Infinity }));
        expect(lastScanRun().fromColumns).toBe(true);
        expect(read, `cuts ${cuts.join(',')}`).toEqual(rows);
        db.prepare('DELETE FROM request_columns').run();
      }
    }
    db.close();
  });

  it('keeps one dictionary per source when sources interleave', () => {
    const db = ws.openCase();
    const a = seedSource(db, 'a', scanCapture(60));
    const b = seedSource(db, 'b', oddRows());
    // Requests of `a` after those of `b` (not as an import writes them).
    db.prepare(
      `INSERT INTO requests (source_id, line_no, ts_us, ip, path, user_agent)
       SELECT ?, line_no + 100000, ts_us, ip, path, user_agent FROM requests
       WHERE source_id = ? ORDER BY id LIMIT 30`,
    ).run(a, a);
    const n = ids(db).length;
    const { columns } = builtInParts(db, DEFAULTS, []);
    expect(new Set(columns.chunks.map((c) => c.sourceId))).toEqual(new Set([a, b]));
    db.transaction(() => expect(replaceColumns(db, columns.chunks, n)).toBe(true))();
    const read = scanDump(scanRequests(ctxOf(db, DEFAULTS), { parallelMin: Infinity }));
    expect(lastScanRun().fromColumns).toBe(true);
    expect(read).toEqual(rowScan(db, DEFAULTS));
    db.close();
  });

  it('refuses a range that does not hold the requests it was told to expect', () => {
    const db = seeded();
    const n = ids(db).length;
    for (const count of [n - 1, n + 1])
      expect(() => buildColumns(db, { after: -Infinity, upTo: Infinity, count })).toThrow(
        /requests changed/,
      );
    db.close();
  });
});
