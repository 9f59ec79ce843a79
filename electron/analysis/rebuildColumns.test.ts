import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oddRows } from '../../test/fixtures/analysis/oddRows.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import {
  CUSTOM_KEY_SETTINGS as CUSTOM,
  DEFAULT_SETTINGS as DEFAULTS,
  scanCapture,
  scanContext as ctxOf,
  scanDump,
} from '../../test/fixtures/analysis/scanCapture.js';
import type { CaseDb } from '../store/openCase.js';
import {
  replaceColumns,
  writeColumnsFromRequests,
  type BuiltChunk,
} from '../store/requestColumns.js';
import { lastDetectionRun } from './detectStep.js';
import { rebuild } from './rebuild.js';
import { completeColumns, lastScanRun, scanRequests } from './scanStep.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCAN_WORKER = path.join(ROOT, 'dist/electron/scanWorker.mjs');

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

// The scan worker is the built one (`npm test` builds first), as in the app.
describe('analysis columns built by the first analysis', () => {
  const ws = tempWorkspace('ss-rebuildcolumns-');
  beforeAll(() => {
    if (!existsSync(SCAN_WORKER))
      execFileSync(process.execPath, ['scripts/build.mjs', '--node'], { cwd: ROOT, stdio: 'pipe' });
  }, 240_000);
  afterAll(() => ws.cleanup());

  it('are built by the scan as it reads every request, as compact writes them', () => {
    const db = ws.openCase('case.sscase');
    seedSource(db, 'scan', scanCapture(400));
    seedSource(db, 'odd', oddRows());
    db.pragma('wal_checkpoint(TRUNCATE)');
    rebuild(db);
    expect(lastScanRun()).toMatchObject({ fromColumns: false, builtColumns: true });
    // Detection read every request for its findings alone.
    expect(lastDetectionRun()).toMatchObject({ scannedFrom: 0, reused: false });
    const fromRows = derived(db);
    const built = columns(db);
    expect(built.chunks).toBeGreaterThan(1);
    expect(built.requests).toBe(built.requestsThere);
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
    db.prepare('DELETE FROM analysis_cache').run();
    rebuild(db);
    expect(lastScanRun()).toMatchObject({ fromColumns: true, fromCache: false });
    expect(derived(db)).toEqual(fromRows);
    db.close();
  });

  it('are built on both threads when a worker scans the later requests, and read as the rows', () => {
    const db = ws.openCase('shared.sscase');
    // The cut falls inside the first source: its dictionary continues across it.
    seedSource(db, 'scan', scanCapture(600));
    seedSource(db, 'odd', oddRows());
    db.pragma('wal_checkpoint(TRUNCATE)');
    const n = columns(db).requestsThere;
    for (const settings of [DEFAULTS, CUSTOM]) {
      let chunks: BuiltChunk[] = [];
      const built = scanDump(
        scanRequests(ctxOf(db, settings), {
          parallelMin: 1,
          workerFile: SCAN_WORKER,
          columnsBuilt: (c) => (chunks = c),
        }),
      );
      expect(lastScanRun()).toMatchObject({ fromColumns: false, builtColumns: true });
      expect(lastScanRun().inWorker).toBeGreaterThan(n / 3);
      const rows = scanDump(
        scanRequests(ctxOf(db, settings), { parallelMin: Infinity, columns: false }),
      );
      expect(built).toEqual(rows);
      db.transaction(() => expect(replaceColumns(db, chunks, n)).toBe(true))();
      expect(columns(db)).toMatchObject({ requests: n });
      const read = scanDump(scanRequests(ctxOf(db, settings), { parallelMin: Infinity }));
      expect(lastScanRun().fromColumns).toBe(true);
      expect(read).toEqual(rows);
      db.prepare('DELETE FROM request_columns').run();
    }
    db.close();
  });

  it('cover requests the worker’s snapshot lacks, read here (uncommitted requests)', () => {
    const db = ws.openCase('late.sscase');
    seedSource(db, 'scan', scanCapture(300));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.transaction(() => {
      seedSource(db, 'late', [{ tsUs: 1, path: '/late', cookies: 'JSESSIONID=LATE' }]);
      const n = columns(db).requestsThere;
      let chunks: BuiltChunk[] = [];
      const r = scanRequests(ctxOf(db, DEFAULTS), {
        parallelMin: 1,
        workerFile: SCAN_WORKER,
        columnsBuilt: (c) => (chunks = c),
      });
      expect(lastScanRun()).toMatchObject({ inWorker: 0, builtColumns: true });
      expect(r.n).toBe(n);
      expect(replaceColumns(db, chunks, n)).toBe(true);
      expect(scanDump(scanRequests(ctxOf(db, DEFAULTS), { parallelMin: Infinity }))).toEqual(
        scanDump(r),
      );
      expect(lastScanRun().fromColumns).toBe(true);
    })();
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

  it('are built by the scan while most requests have none, detection scanning the added only', () => {
    const db = ws.openCase('built-append.sscase');
    db.prepare("INSERT OR REPLACE INTO analysis_state (key, value) VALUES ('salt', 'x')").run();
    seedSource(db, 'scan', scanCapture(300));
    rebuild(db);
    // A case analysed before its first rebuild built them (or whose columns were dropped).
    db.prepare('DELETE FROM request_columns').run();
    seedSource(db, 'odd', oddRows());
    rebuild(db);
    expect(lastScanRun()).toMatchObject({ fromColumns: false, builtColumns: true });
    expect(columns(db).requests).toBe(columns(db).requestsThere);
    const first = db
      .prepare(
        "SELECT min(id) FROM requests WHERE source_id = (SELECT id FROM sources WHERE file_name = 'odd')",
      )
      .pluck()
      .get() as number;
    expect(lastDetectionRun()).toMatchObject({ reused: false, scannedFrom: first - 1 });

    const cold = ws.openCase('built-append-cold.sscase');
    cold.prepare("INSERT OR REPLACE INTO analysis_state (key, value) VALUES ('salt', 'x')").run();
    seedSource(cold, 'scan', scanCapture(300));
    seedSource(cold, 'odd', oddRows());
    rebuild(cold);
    expect(derived(db)).toEqual(derived(cold));
    db.close();
    cold.close();
  });

  it('are left to the scan while most requests have none', () => {
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
