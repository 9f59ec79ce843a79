import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisSettingsSchema, effectiveParams } from '../../shared/analysis/settings.js';
import { AppError } from '../../shared/contract/errors.js';
import { scanCapture, scanDump } from '../../test/fixtures/analysis/scanCapture.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { openCase, type CaseDb } from '../store/openCase.js';
import type { RebuildContext } from './rebuildContext.js';
import { lastScanRun, scanRequests } from './scanStep.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORKER = path.join(ROOT, 'dist/electron/scanWorker.mjs');

function ctxOf(db: CaseDb, cancelPoint?: () => void): RebuildContext {
  const settings = analysisSettingsSchema.parse({});
  return {
    db,
    settings,
    params: effectiveParams(settings),
    salt: 'x',
    stats: {},
    ...(cancelPoint ? { cancelPoint } : {}),
  };
}

/** The scan on this thread alone: the reference. */
function scanHere(db: CaseDb): unknown {
  return scanDump(scanRequests(ctxOf(db), { parallelMin: Infinity }));
}

// These run the built worker (`npm test` builds first), as the app, the CLI and the bench do.
describe('the request scan shared with a worker (built)', () => {
  const ws = tempWorkspace('ss-scanworker-');
  let file = '';
  let n = 0;
  beforeAll(() => {
    if (!existsSync(WORKER))
      execFileSync(process.execPath, ['scripts/build.mjs', '--node'], { cwd: ROOT, stdio: 'pipe' });
    const db = ws.openCase('seed.sscase');
    seedSource(db, 'scan', scanCapture());
    n = (db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n;
    db.pragma('wal_checkpoint(TRUNCATE)');
    file = db.name;
  }, 240_000);
  afterAll(() => ws.cleanup());

  function copy(name: string): CaseDb {
    const to = path.join(ws.dir, name);
    copyFileSync(file, to);
    return openCase(to);
  }

  it('gives exactly the scan of one thread, with the later requests read by the worker', () => {
    const db = copy('shared.sscase');
    const here = scanHere(db);
    const r = scanRequests(ctxOf(db), { parallelMin: 1, workerFile: WORKER });
    expect(lastScanRun().inWorker).toBeGreaterThan(n / 3);
    expect(lastScanRun().inWorker).toBeLessThan(n / 2);
    expect(scanDump(r)).toEqual(here);
    db.close();
  });

  it('splits at the same request when ids have gaps (requests deleted)', () => {
    const db = copy('gaps.sscase');
    // Gaps before and after the cut: the cut is counted, not computed from the id range.
    db.prepare('DELETE FROM requests WHERE id % 5 = 0 OR id BETWEEN ? AND ?').run(10, 40);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const left = (db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n;
    expect(left).toBeLessThan(n * 0.85);
    const here = scanHere(db);
    const r = scanRequests(ctxOf(db), { parallelMin: 1, workerFile: WORKER });
    expect(lastScanRun().inWorker).toBeGreaterThan(left / 3);
    expect(r.n).toBe(left);
    expect(scanDump(r)).toEqual(here);
    db.close();
  });

  it('reads the worker’s half here when the worker’s snapshot differs (uncommitted requests)', () => {
    const db = copy('basis.sscase');
    db.transaction(() => {
      seedSource(db, 'late', [{ tsUs: 1, path: '/late', cookies: 'JSESSIONID=LATE' }]);
      const here = scanHere(db);
      const r = scanRequests(ctxOf(db), { parallelMin: 1, workerFile: WORKER });
      expect(lastScanRun().inWorker).toBe(0);
      expect(r.n).toBe(n + 1);
      expect(scanDump(r)).toEqual(here);
    })();
    db.close();
  });

  it('reads the worker’s half here when the worker’s script fails to load', () => {
    const db = copy('broken.sscase');
    const broken = ws.file('broken-worker.mjs', "throw new Error('cannot load');\n");
    const here = scanHere(db);
    const r = scanRequests(ctxOf(db), { parallelMin: 1, workerFile: broken });
    expect(lastScanRun().inWorker).toBe(0);
    expect(scanDump(r)).toEqual(here);
    db.close();
  }, 30_000);

  it('passes a cancel on, whether it comes while this thread reads or while it waits', () => {
    const db = copy('cancel.sscase');
    for (const at of [1, 3]) {
      let calls = 0;
      const cancel = (): void => {
        if (++calls >= at) throw new AppError('CANCELLED', 'Rebuild cancelled');
      };
      expect(() => scanRequests(ctxOf(db, cancel), { parallelMin: 1, workerFile: WORKER })).toThrow(
        /cancelled/,
      );
    }
    db.close();
  });
});
