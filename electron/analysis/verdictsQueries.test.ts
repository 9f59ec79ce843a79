import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oddRows } from '../../test/fixtures/analysis/oddRows.js';
import {
  DEFAULT_SETTINGS as DEFAULTS,
  scanCapture,
  scanContext as ctxOf,
} from '../../test/fixtures/analysis/scanCapture.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { CaseDb } from '../store/openCase.js';
import { replaceColumns, writeColumnsFromRequests } from '../store/requestColumns.js';
import { readQueries } from './requestQueries.js';
import { queriesOf, type BuiltQueries } from './scanBuild.js';
import type { ColumnsCover } from './scanColumns.js';
import { scanRequests } from './scanStep.js';
import {
  postableQueries,
  BUILT_QUERIES_MAX,
  queryStrings,
  readColumnQueries,
  verdictQueries,
} from './verdictsQueries.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-verdictsqueries-');
});
afterEach(() => ws.cleanup());

function seeded(): CaseDb {
  const db = ws.openCase();
  seedSource(db, 'scan', scanCapture(700));
  // Empty queries ('' reads as none), nulls, and a second source with a dictionary of its own.
  seedSource(db, 'odd', oddRows());
  return db;
}

function requestIds(db: CaseDb): Float64Array {
  return Float64Array.from(
    db.prepare('SELECT id FROM requests ORDER BY id').pluck().all() as number[],
  );
}

/** The scan of the rows, building the columns, and the query strings those hold. */
function scanBuilding(db: CaseDb): { scanned: (string | null)[]; built: BuiltQueries } {
  let built: BuiltQueries | undefined;
  const scan = scanRequests(ctxOf(db, DEFAULTS), {
    parallelMin: Infinity,
    columnsBuilt: (_chunks, queries) => (built = queries),
  });
  return { scanned: scan.query.slice(0, scan.n), built: built! };
}

/** Built chunks as the scan reads them from memory (one dictionary per source). */
function coverOfChunks(
  chunks: readonly {
    sourceId: number;
    firstId: number;
    count: number;
    strings: string;
    data: Uint8Array;
  }[],
): ColumnsCover {
  const dictionaries = new Map<number, string[]>();
  const refs = chunks.map((c) => {
    dictionaries.set(c.sourceId, [
      ...(dictionaries.get(c.sourceId) ?? []),
      ...(JSON.parse(c.strings) as string[]),
    ]);
    return { rowid: -1, sourceId: c.sourceId, firstId: c.firstId, count: c.count, data: c.data };
  });
  refs.sort((a, b) => a.firstId - b.firstId);
  return { chunks: refs, dictionaries };
}

describe('the query strings the session verdicts judge from', () => {
  it('are the same from the built columns, from request_columns and from the rows', () => {
    const db = seeded();
    const ids = requestIds(db);
    const rows = readQueries(db, ids);
    expect(rows).toContain(null);
    expect(rows.some((q) => q !== null)).toBe(true);
    const { scanned, built } = scanBuilding(db);
    expect(scanned).toEqual(rows);
    expect(queryStrings(built)).toEqual(rows);
    // Each distinct query of a source is listed once.
    expect(built.values.length).toBeLessThan(rows.filter((q) => q !== null).length);
    expect(verdictQueries(db, ids, built)).toEqual({ query: rows, source: 'built' });

    expect(readColumnQueries(db, ids)).toBeNull();
    expect(verdictQueries(db, ids, null)).toEqual({ query: rows, source: 'rows' });
    db.transaction(() => {
      for (const s of db.prepare('SELECT id FROM sources ORDER BY id').pluck().all() as number[])
        writeColumnsFromRequests(db, s);
    })();
    expect(readColumnQueries(db, ids)).toEqual(rows);
    expect(verdictQueries(db, ids, null)).toEqual({ query: rows, source: 'columns' });
    db.close();
  });

  it('are not taken from request_columns that hold other requests', () => {
    const db = seeded();
    const ids = requestIds(db);
    const { built } = scanBuilding(db);
    const rows = readQueries(db, ids);
    const sources = db.prepare('SELECT id FROM sources ORDER BY id').pluck().all() as number[];
    // Columns of only the first source: fewer requests than scanned.
    db.transaction(() => writeColumnsFromRequests(db, sources[0]!))();
    expect(readColumnQueries(db, ids)).toBeNull();
    // Columns of as many requests, but one id differs from the scanned ones.
    const moved = ids.slice();
    moved[moved.length - 1] = moved[moved.length - 1]! + 1000;
    db.prepare('DELETE FROM request_columns').run();
    db.transaction(() => {
      for (const s of sources) writeColumnsFromRequests(db, s);
    })();
    expect(readColumnQueries(db, moved)).toBeNull();
    expect(readColumnQueries(db, ids)).toEqual(rows);
    // Built for other requests than the scan's: refused, not misread.
    expect(() => verdictQueries(db, ids.subarray(1), built)).toThrow(/other requests/);
    db.close();
  });

  it('reads a query id beyond its dictionary as columns that do not describe the requests', () => {
    const db = seeded();
    const ids = requestIds(db);
    let chunks: Parameters<typeof replaceColumns>[1] = [];
    scanRequests(ctxOf(db, DEFAULTS), {
      parallelMin: Infinity,
      columnsBuilt: (c) => (chunks = c),
    });
    // Each source's dictionary cut to nothing: every string id points past its end.
    const bare = chunks.map((c) => ({ ...c, strings: '[]' }));
    db.transaction(() => expect(replaceColumns(db, bare, ids.length)).toBe(true))();
    expect(readColumnQueries(db, ids)).toBeNull();
    expect(verdictQueries(db, ids, null).source).toBe('rows');
    // A chunk's data one byte short.
    const short = chunks.map((c, k) => (k === 0 ? { ...c, data: c.data.subarray(1) } : c));
    db.transaction(() => expect(replaceColumns(db, short, ids.length)).toBe(true))();
    expect(readColumnQueries(db, ids)).toBeNull();
    db.close();
  });

  it('reads a chunk whose data is not aligned for its ids as one that is', () => {
    const db = seeded();
    let chunks: Parameters<typeof replaceColumns>[1] = [];
    const { built } = scanBuilding(db);
    scanRequests(ctxOf(db, DEFAULTS), {
      parallelMin: Infinity,
      columnsBuilt: (c) => (chunks = c),
    });
    const cover = coverOfChunks(chunks);
    const unaligned = (data: Uint8Array): Uint8Array => {
      const at = new Uint8Array(data.length + 1);
      at.set(data, 1);
      return at.subarray(1);
    };
    const n = built.ids.length;
    expect(queriesOf(cover, n, (ref) => unaligned(ref.data!))).toEqual(built);
    expect(queriesOf(cover, n)).toEqual(built);
    db.close();
  });

  it('are posted to the worker only when few enough are distinct', () => {
    const few: BuiltQueries = { ids: Int32Array.of(0, -1, 0), values: ['a=1'] };
    expect(postableQueries(few)).toBe(few);
    expect(postableQueries(undefined)).toBeNull();
    const many: BuiltQueries = {
      ids: new Int32Array(1),
      values: Array.from({ length: BUILT_QUERIES_MAX + 1 }, (_, k) => `q=${k}`),
    };
    expect(postableQueries(many)).toBeNull();
  });
});
