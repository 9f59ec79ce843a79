import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oddRows } from '../../test/fixtures/analysis/oddRows.js';
import { scanCapture } from '../../test/fixtures/analysis/scanCapture.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { CaseDb } from '../store/openCase.js';
import { writeColumnsFromRequests } from '../store/requestColumns.js';
import { collectDetections } from './detectStep.js';
import { startDetectionWorker } from './detectWorker.js';
import { rebuild } from './rebuild.js';
import { completeColumns, lastScanRun } from './scanStep.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORKER = path.join(ROOT, 'dist/electron/detectWorker.mjs');

/** Every derived row a rebuild writes that the scan feeds, in a fixed order. */
function derived(db: CaseDb): unknown {
  const all = (sql: string): unknown[] => db.prepare(sql).raw(true).all();
  return {
    sessions: all('SELECT * FROM sessions ORDER BY id'),
    endpoints: all('SELECT * FROM endpoints ORDER BY id'),
    facts: all('SELECT * FROM request_facts ORDER BY session_id, ts_us, request_id'),
    values: all('SELECT * FROM fact_values ORDER BY id'),
    detections: all('SELECT * FROM detections ORDER BY id'),
  };
}

function columns(db: CaseDb): { chunks: number; requests: number; requestsThere: number } {
  return db
    .prepare(
      `SELECT count(*) AS chunks, coalesce(sum(count), 0) AS requests,
         (SELECT count(*) FROM requests) AS requestsThere FROM request_columns`,
    )
    .get() as { chunks: number; requests: number; requestsThere: number };
}

// The detection worker is the built one (`npm test` builds first), as in the app.
describe('analysis columns from the detection worker', () => {
  const ws = tempWorkspace('ss-rebuildcolumns-');
  beforeAll(() => {
    if (!existsSync(WORKER))
      execFileSync(process.execPath, ['scripts/build.mjs', '--node'], { cwd: ROOT, stdio: 'pipe' });
  }, 240_000);
  afterAll(() => ws.cleanup());

  it('are built by the detection worker as it reads every request, as compact writes them', () => {
    const db = ws.openCase('case.sscase');
    seedSource(db, 'scan', scanCapture(400));
    seedSource(db, 'odd', oddRows());
    db.pragma('wal_checkpoint(TRUNCATE)');
    rebuild(db);
    expect(lastScanRun().fromColumns).toBe(false);
    const fromRows = derived(db);

    const p = startDetectionWorker(db, WORKER, true);
    expect(p).not.toBeNull();
    const n = columns(db).requestsThere;
    expect(db.transaction(() => collectDetections(db, p!, undefined, n))()).not.toBeNull();
    const built = columns(db);
    expect(built.chunks).toBeGreaterThan(1);
    expect(built.requests).toBe(n);
    const chunks = db
      .prepare('SELECT source_id, first_id, count, strings, data FROM request_columns ORDER BY id')
      .raw(true)
      .all();

    // The same chunks as compact's, which reads each source's requests itself.
    db.transaction(() => {
      for (const s of db.prepare('SELECT id FROM sources ORDER BY id').pluck().all() as number[])
        writeColumnsFromRequests(db, s);
    })();
    expect(
      db
        .prepare(
          'SELECT source_id, first_id, count, strings, data FROM request_columns ORDER BY id',
        )
        .raw(true)
        .all(),
    ).toEqual(chunks);

    // The next rebuild reads them and derives the same.
    rebuild(db);
    expect(lastScanRun().fromColumns).toBe(true);
    expect(derived(db)).toEqual(fromRows);
    db.close();
  });

  it('are not built when the worker was not asked to, or its snapshot differs', () => {
    const db = ws.openCase('other.sscase');
    seedSource(db, 'scan', scanCapture(50));
    db.pragma('wal_checkpoint(TRUNCATE)');
    let p = startDetectionWorker(db, WORKER, false);
    expect(db.transaction(() => collectDetections(db, p!))()).not.toBeNull();
    expect(columns(db).chunks).toBe(0);
    // Requests the worker's snapshot lacks (uncommitted here): its scan and columns are dropped.
    p = startDetectionWorker(db, WORKER, true);
    db.transaction(() => {
      seedSource(db, 'late', [{ tsUs: 9e15, path: '/late' }]);
      expect(collectDetections(db, p!)).toBeNull();
    })();
    expect(columns(db).chunks).toBe(0);
    db.close();
  });
});

describe('analysis columns of an import into an analysed case', () => {
  const ws = tempWorkspace('ss-appendcolumns-');
  afterAll(() => ws.cleanup());

  it('are written before the scan, which reads the columns and derives what the rows give', () => {
    // One salt for both cases: secret key values are kept as salted digests.
    const salted = (name: string): CaseDb => {
      const c = ws.openCase(name);
      c.prepare("INSERT OR REPLACE INTO analysis_state (key, value) VALUES ('salt', 'x')").run();
      return c;
    };
    const db = salted('append.sscase');
    seedSource(db, 'scan', scanCapture(400), { columns: true });
    rebuild(db);
    expect(lastScanRun().fromColumns).toBe(true);
    const kept = columns(db).requests;
    seedSource(db, 'odd', oddRows());
    // The same clients again (their secret keys among them): their sessions join the earlier.
    seedSource(db, 'again', scanCapture(100));
    expect(columns(db).requests).toBe(kept);
    const steps: string[] = [];
    rebuild(db, { onStep: (name) => steps.push(name) });
    // Progress names the scan while its columns are written, before the rebuild begins.
    expect(steps.slice(0, 2)).toEqual(['scan requests', 'scan requests']);
    // The earlier requests read back from the scan kept, the added ones scanned.
    expect(lastScanRun()).toMatchObject({
      fromColumns: true,
      added: columns(db).requestsThere - kept,
    });
    const { requests, requestsThere } = columns(db);
    expect(requests).toBe(requestsThere);

    // The same requests scanned from their rows, in a case analysed once.
    const cold = salted('cold.sscase');
    seedSource(cold, 'scan', scanCapture(400));
    seedSource(cold, 'odd', oddRows());
    seedSource(cold, 'again', scanCapture(100));
    rebuild(cold);
    expect(lastScanRun().added).toBeUndefined();
    expect(derived(db)).toEqual(derived(cold));
    // The query strings the session verdicts and the text index read, as the rows give them.
    for (const sql of [
      'SELECT * FROM session_verdicts ORDER BY session_id',
      'SELECT * FROM requests_text_common_query ORDER BY 1',
      'SELECT col, value, ids FROM requests_text_common_ids ORDER BY col, value, batch',
    ])
      expect(db.prepare(sql).raw(true).all()).toEqual(cold.prepare(sql).raw(true).all());
    db.close();
    cold.close();
  });

  it('are left to the detection worker while most requests have none', () => {
    const db = ws.openCase('few.sscase');
    seedSource(db, 'odd', oddRows(), { columns: true });
    seedSource(db, 'scan', scanCapture(400));
    const before = columns(db);
    expect(before.requests).toBeGreaterThan(0);
    completeColumns(db);
    expect(columns(db)).toEqual(before);
    // Once most have theirs, the others are written.
    db.prepare("DELETE FROM sources WHERE file_name = 'odd'").run();
    seedSource(db, 'odd again', oddRows());
    writeColumnsFromRequests(
      db,
      db.prepare("SELECT id FROM sources WHERE file_name = 'scan'").pluck().get() as number,
    );
    completeColumns(db);
    expect(columns(db).requests).toBe(columns(db).requestsThere);
    db.close();
  });
});
