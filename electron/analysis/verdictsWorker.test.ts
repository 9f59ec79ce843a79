import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { importSource } from '../ingest/importSource.js';
import type { CaseDb } from '../store/openCase.js';
import { rebuild, type RebuildOptions } from './rebuild.js';
import { verdictSteps } from './settingsRebuild.js';
import type { RebuildStep } from './rebuildContext.js';
import { rebuildSteps } from './rebuildSteps.js';
import { lastScanRun } from './scanStep.js';
import { lastVerdictsRun, lastVerdictsWorker, verdictsStartStepWith } from './verdictsStep.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORKER = path.join(ROOT, 'dist/electron/verdictsWorker.mjs');
const DEMO = path.join(ROOT, 'resources/demo/demo-capture.jsonl');

function verdicts(db: CaseDb): unknown[] {
  return db.prepare('SELECT * FROM session_verdicts ORDER BY session_id').raw(true).all();
}

// These run the built worker (`npm test` builds first), as the app, the CLI and the bench do.
describe('session verdicts judged in a worker (built)', () => {
  const ws = tempWorkspace('ss-verdictsworker-');
  let db: CaseDb;
  let here: unknown[] = [];
  beforeAll(async () => {
    if (!existsSync(WORKER))
      execFileSync(process.execPath, ['scripts/build.mjs', '--node'], { cwd: ROOT, stdio: 'pipe' });
    db = ws.openCase('demo.sscase');
    await importSource(db, DEMO);
    rebuild(db);
    here = verdicts(db);
  }, 240_000);
  afterAll(() => ws.cleanup());

  /** The verdicts' steps again, the judging offered to the worker at `workerFile`. */
  function judgeIn(workerFile: string, opts: RebuildOptions = {}): unknown[] {
    const start = verdictsStartStepWith({ parallelMin: 1, workerFile });
    rebuild(db, { ...opts, steps: [...verdictSteps, start], kind: 'verdicts' });
    return verdicts(db);
  }

  it('gives exactly the verdicts judged on the rebuild’s thread', () => {
    // The demo case is under the worker's threshold: the rebuild above judged here.
    expect(lastVerdictsRun().inWorker).toBe(false);
    // The demo's story: several kinds of bots, some judged together by IP.
    expect(here.length).toBeGreaterThan(3);
    db.exec('DELETE FROM session_verdicts');
    expect(judgeIn(WORKER)).toEqual(here);
    expect(lastVerdictsRun().inWorker).toBe(true);
  });

  it('takes the query strings from the columns the scan built, else from request_columns', () => {
    // A first analysis: no columns yet, the scan reads the rows and builds them.
    db.exec('DELETE FROM request_columns');
    db.exec('DELETE FROM session_verdicts');
    const start = verdictsStartStepWith({ parallelMin: 1, workerFile: WORKER });
    rebuild(db, { steps: rebuildSteps.map((s) => (s.order === start.order ? start : s)) });
    expect(lastScanRun().builtColumns).toBe(true);
    expect(lastVerdictsRun()).toMatchObject({ inWorker: true, querySource: 'built' });
    expect(verdicts(db)).toEqual(here);
    // A later rebuild, from the scan cache: the worker reads the committed columns.
    db.exec('DELETE FROM session_verdicts');
    expect(judgeIn(WORKER)).toEqual(here);
    expect(lastScanRun().fromCache).toBe(true);
    expect(lastVerdictsRun()).toMatchObject({ inWorker: true, querySource: 'columns' });
  });

  it('judges here when the worker’s snapshot lacks the rebuild’s requests (uncommitted)', () => {
    db.exec('SAVEPOINT late');
    try {
      seedSource(db, 'late', [{ tsUs: 1, path: '/late', cookies: 'JSESSIONID=LATE' }]);
      rebuild(db, { steps: verdictSteps, kind: 'verdicts' });
      const withLate = verdicts(db);
      db.exec('DELETE FROM session_verdicts');
      expect(judgeIn(WORKER)).toEqual(withLate);
      expect(lastVerdictsRun().inWorker).toBe(false);
    } finally {
      db.exec('ROLLBACK TO late; RELEASE late');
    }
    expect(verdicts(db)).toEqual(here);
  });

  it('judges here when the worker’s script fails to load', () => {
    db.exec('DELETE FROM session_verdicts');
    const broken = ws.file('broken-worker.mjs', "throw new Error('cannot load');\n");
    expect(judgeIn(broken)).toEqual(here);
    expect(lastVerdictsRun().inWorker).toBe(false);
  }, 30_000);

  it('passes a cancel on while it waits, the case unchanged', () => {
    const before = verdicts(db);
    let waiting = false;
    expect(() =>
      judgeIn(WORKER, {
        onStep: (name) => (waiting = name === 'session verdicts'),
        shouldCancel: () => waiting,
      }),
    ).toThrow(/cancelled/);
    expect(verdicts(db)).toEqual(before);
  });

  it('stops the worker when a step fails before its input is sent', async () => {
    const before = verdicts(db);
    const failing: RebuildStep = {
      name: 'failing',
      order: 52,
      run() {
        throw new Error('step failed');
      },
    };
    const start = verdictsStartStepWith({ parallelMin: 1, workerFile: WORKER });
    expect(() =>
      rebuild(db, { steps: [...verdictSteps, start, failing], kind: 'verdicts' }),
    ).toThrow(/step failed/);
    const p = lastVerdictsWorker();
    expect(p?.stopped).toBe(true);
    // It ends rather than waiting on for an input that never comes.
    await new Promise<void>((resolve) => {
      if (p!.worker.threadId === -1) resolve();
      else p!.worker.once('exit', () => resolve());
    });
    expect(verdicts(db)).toEqual(before);
  });
});
