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
import type { BuiltChunk } from '../store/requestColumns.js';
import { DetectColumnsMismatch, detectColumnsOf, scanFromColumns } from './detectColumns.js';
import { DETECT_SELECT, type DetectRow } from './detectRows.js';
import { scanRequests } from './scanStep.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-detectcolumns-');
});
afterEach(() => ws.cleanup());

function seeded(): CaseDb {
  const db = ws.openCase();
  seedSource(db, 'scan', scanCapture(700));
  // Nulls and empty strings everywhere, a second source with a dictionary of its own.
  seedSource(db, 'odd', oddRows());
  db.prepare(
    "UPDATE requests SET src_label = 'SQL Injection', referer = 'r' || id WHERE id % 7 = 0",
  ).run();
  return db;
}

function built(db: CaseDb): BuiltChunk[] {
  let chunks: BuiltChunk[] = [];
  scanRequests(ctxOf(db, DEFAULTS), { parallelMin: Infinity, columnsBuilt: (c) => (chunks = c) });
  return chunks;
}

function fromColumns(db: CaseDb, chunks: BuiltChunk[], batchSize = 50): DetectRow[] {
  const rows: DetectRow[] = [];
  scanFromColumns(
    db,
    detectColumnsOf(chunks)!,
    (r) => rows.push(r),
    () => true,
    batchSize,
  );
  return rows;
}

describe('attack detection’s read of the requests from the analysis columns', () => {
  it('gives every request as DETECT_SELECT reads it, value for value', () => {
    const db = seeded();
    const rows = db.prepare(DETECT_SELECT).raw(true).all(0, 1e9) as DetectRow[];
    expect(rows.some((r) => r[3] === '')).toBe(true);
    expect(rows.some((r) => r[8] !== null && r[10] !== null)).toBe(true);
    const chunks = built(db);
    expect(fromColumns(db, chunks)).toEqual(rows);
    expect(fromColumns(db, chunks, 1)).toEqual(rows);
    db.close();
  });

  it('refuses columns of other requests than the case holds', () => {
    const db = seeded();
    const chunks = built(db);
    expect(() => fromColumns(db, chunks.slice(0, -1))).toThrow(DetectColumnsMismatch);
    db.prepare('DELETE FROM requests WHERE id = (SELECT max(id) FROM requests)').run();
    expect(() => fromColumns(db, chunks)).toThrow(DetectColumnsMismatch);
    db.close();
  });

  it('hands over none from a chunk not of its size', () => {
    const db = seeded();
    const chunks = built(db);
    expect(detectColumnsOf(chunks)).not.toBeNull();
    expect(detectColumnsOf([{ ...chunks[0]!, data: chunks[0]!.data.subarray(1) }])).toBeNull();
    db.close();
  });
});
