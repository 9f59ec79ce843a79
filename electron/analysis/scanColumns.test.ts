import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalysisSettings } from '../../shared/analysis/settings.js';
import { fixture } from '../../test/corpus.js';
import {
  CUSTOM_KEY_SETTINGS as CUSTOM,
  DEFAULT_SETTINGS as DEFAULTS,
  scanCapture,
  scanContext as ctxOf,
  scanDump,
} from '../../test/fixtures/analysis/scanCapture.js';
import { oddRows } from '../../test/fixtures/analysis/oddRows.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { importSource } from '../ingest/importSource.js';
import { compactCase } from '../store/compactCase.js';
import type { CaseDb } from '../store/openCase.js';
import { writeColumnsFromRequests } from '../store/requestColumns.js';
import { lastScanRun, scanRequests } from './scanStep.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORKER = path.join(ROOT, 'dist/electron/scanWorker.mjs');

/** The scan as it runs (from the columns when they cover the requests), and how it read. */
function scan(db: CaseDb, settings: AnalysisSettings): { dump: unknown; fromColumns: boolean } {
  const dump = scanDump(scanRequests(ctxOf(db, settings), { parallelMin: Infinity }));
  return { dump, fromColumns: lastScanRun().fromColumns };
}

/** The reference: every request read from `requests`. */
function scanFromRequests(db: CaseDb, settings: AnalysisSettings): unknown {
  return scanDump(scanRequests(ctxOf(db, settings), { parallelMin: Infinity, columns: false }));
}

describe('the scan from request_columns', () => {
  const ws = tempWorkspace('ss-scancolumns-');
  afterAll(() => ws.cleanup());

  it('gives exactly the scan of `requests`, with default and custom key parameters', () => {
    const db = ws.openCase('capture.sscase');
    seedSource(db, 'scan', scanCapture(), { columns: true });
    seedSource(db, 'odd', oddRows(), { columns: true });
    for (const settings of [DEFAULTS, CUSTOM]) {
      const got = scan(db, settings);
      expect(got.fromColumns).toBe(true);
      expect(got.dump).toEqual(scanFromRequests(db, settings));
    }
    db.close();
  });

  it('reads small chunks and a dictionary that forgets, as the same scan', () => {
    const db = ws.openCase('chunks.sscase');
    const a = seedSource(db, 'scan', scanCapture(600));
    const b = seedSource(db, 'odd', oddRows());
    expect(scan(db, CUSTOM).fromColumns).toBe(false);
    db.transaction(() => {
      writeColumnsFromRequests(db, a, { chunkRows: 97, dictionaryMax: 50 });
      writeColumnsFromRequests(db, b, { chunkRows: 7, dictionaryMax: 3 });
    })();
    const chunks = db.prepare('SELECT count(*) AS n FROM request_columns').get() as { n: number };
    expect(chunks.n).toBeGreaterThan(40);
    for (const settings of [DEFAULTS, CUSTOM]) {
      const got = scan(db, settings);
      expect(got.fromColumns).toBe(true);
      expect(got.dump).toEqual(scanFromRequests(db, settings));
    }
    db.close();
  });

  it('shares the chunks with a worker (built), the later ones read there, as the same scan', () => {
    if (!existsSync(WORKER))
      execFileSync(process.execPath, ['scripts/build.mjs', '--node'], { cwd: ROOT, stdio: 'pipe' });
    const db = ws.openCase('worker.sscase');
    const a = seedSource(db, 'scan', scanCapture(600));
    const b = seedSource(db, 'odd', oddRows());
    db.transaction(() => {
      writeColumnsFromRequests(db, a, { chunkRows: 97 });
      writeColumnsFromRequests(db, b, { chunkRows: 31 });
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    for (const settings of [DEFAULTS, CUSTOM]) {
      const dump = scanDump(
        scanRequests(ctxOf(db, settings), { parallelMin: 1, workerFile: WORKER }),
      );
      const run = lastScanRun();
      expect(run.fromColumns).toBe(true);
      expect(run.inWorker).toBeGreaterThan(0);
      expect(dump).toEqual(scanFromRequests(db, settings));
    }
    db.close();
  });

  it('reads `requests` again once a request is changed, deleted or added outside an import', () => {
    const db = ws.openCase('changed.sscase');
    seedSource(db, 'scan', scanCapture(300), { columns: true });
    const odd = seedSource(db, 'odd', oddRows(), { columns: true });
    const columnsOf = (source: number): number =>
      (
        db.prepare('SELECT count(*) AS n FROM request_columns WHERE source_id = ?').get(source) as {
          n: number;
        }
      ).n;
    expect(scan(db, DEFAULTS).fromColumns).toBe(true);

    db.prepare(
      "UPDATE requests SET path = '/changed' WHERE id = (SELECT min(id) FROM requests WHERE source_id = ?)",
    ).run(odd);
    expect(columnsOf(odd)).toBe(0);
    let got = scan(db, DEFAULTS);
    expect(got.fromColumns).toBe(false);
    expect(got.dump).toEqual(scanFromRequests(db, DEFAULTS));
    expect(JSON.stringify(got.dump)).toContain('/changed');

    db.transaction(() => writeColumnsFromRequests(db, odd))();
    expect(scan(db, DEFAULTS).fromColumns).toBe(true);
    db.prepare('DELETE FROM requests WHERE id = (SELECT max(id) FROM requests)').run();
    expect(columnsOf(odd)).toBe(0);
    got = scan(db, DEFAULTS);
    expect(got.fromColumns).toBe(false);
    expect(got.dump).toEqual(scanFromRequests(db, DEFAULTS));

    db.transaction(() => writeColumnsFromRequests(db, odd))();
    db.prepare(
      `INSERT INTO requests (source_id, line_no, ts_us, path) VALUES (?, 99999, 1, '/added')`,
    ).run(odd);
    got = scan(db, DEFAULTS);
    expect(got.fromColumns).toBe(false);
    expect(JSON.stringify(got.dump)).toContain('/added');
    db.close();
  });

  it('is written by compact for the sources imported without it, for every format', async () => {
    const db = ws.openCase('import.sscase');
    for (const f of ['access/small-combined.log', 'har/edge-cases.har', 'alb/edge.log']) {
      await importSource(db, fixture(f));
    }
    expect(scan(db, DEFAULTS).fromColumns).toBe(false);
    expect(compactCase(db).columnSources).toBe(3);
    const sums = db
      .prepare(
        `SELECT (SELECT count(*) FROM requests) AS requests,
          (SELECT sum(count) FROM request_columns) AS columns,
          (SELECT count(DISTINCT source_id) FROM request_columns) AS sources`,
      )
      .get() as { requests: number; columns: number; sources: number };
    expect(sums.requests).toBeGreaterThan(0);
    expect(sums.columns).toBe(sums.requests);
    expect(sums.sources).toBe(3);
    for (const settings of [DEFAULTS, CUSTOM]) {
      const got = scan(db, settings);
      expect(got.fromColumns).toBe(true);
      expect(got.dump).toEqual(scanFromRequests(db, settings));
    }
    // Once written, a second compact has none to write.
    expect(compactCase(db).columnSources).toBe(0);
    db.close();
  });
});
