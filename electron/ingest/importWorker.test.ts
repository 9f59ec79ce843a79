import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors.js';
import { writeCapture } from '../../bench/generateCapture.js';
import { fixture } from '../../test/corpus.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { openCase, type CaseDb } from '../store/openCase.js';
import { importSource, type ImportProgress } from './importSource.js';
import { runImportInWorker } from './importWorker.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORKER = path.join(ROOT, 'dist/electron/importWorker.mjs');
const CLI = path.join(ROOT, 'dist/electron/cli.mjs');
const N = 120_000;

function rows(db: CaseDb): unknown[] {
  return db
    .prepare(
      `SELECT line_no, ts_us, ip, xff, method, path, query, status, latency_ms, resp_bytes,
        user_agent, referer, src_user, extra FROM requests ORDER BY line_no`,
    )
    .all();
}

function rejects(db: CaseDb): unknown[] {
  return db.prepare('SELECT line_no, reason, raw, raw_length FROM rejects ORDER BY line_no').all();
}

// These run the built worker and CLI, as the app and users do.
describe('import on worker threads (built)', () => {
  const ws = tempWorkspace();
  let big = '';
  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--node'], { cwd: ROOT, stdio: 'pipe' });
    big = path.join(ws.dir, 'big.log');
    await writeCapture(big, N, 'combined', 7);
  }, 240_000);
  afterAll(() => ws.cleanup());

  it('the parse worker stores exactly what parsing on this thread stores', async () => {
    const mixed = ws.file(
      'mixed.log',
      Buffer.concat([
        Buffer.from('\uFEFF'),
        Buffer.from(`${'x'.repeat(20)}\r\n`),
        Buffer.from(
          '1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] "GET /\xff HTTP/1.1" 200 1\n',
          'latin1',
        ),
        readFileSync(fixture('access/small-combined.log')),
      ]),
    );
    // A HAR cut off in its second entry: the part not read is counted on either thread.
    const entry =
      '{"startedDateTime":"2024-05-01T10:00:00Z","request":{"method":"GET","url":"/a"}}';
    const cut = ws.file('cut.har', `{"log":{"entries":[${entry},${entry.slice(0, 30)}`);
    for (const file of [mixed, fixture('access/small-combined.log'), cut]) {
      const a = ws.openCase(`a-${path.basename(file)}.sscase`);
      const b = ws.openCase(`b-${path.basename(file)}.sscase`);
      const ra = await importSource(a, file, {}, { workerFile: false });
      const rb = await importSource(b, file, {}, { workerFile: WORKER });
      expect({ ...rb, sourceId: 0 }).toEqual({ ...ra, sourceId: 0 });
      expect(rb.unreadableParts).toBe(file === cut ? 1 : 0);
      expect(rows(b)).toEqual(rows(a));
      expect(rejects(b)).toEqual(rejects(a));
    }
  });

  it('the assumed host crosses to the parse worker and to the import worker', async () => {
    const log = ws.file(
      'hostless.log',
      '1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 1\n' +
        '1.1.1.1 - - [01/Jan/2024:00:00:01 +0000] "GET http://own.example/x HTTP/1.1" 200 1\n',
    );
    const hosts = (db: CaseDb): unknown[] =>
      db.prepare('SELECT host FROM requests ORDER BY line_no').pluck().all();
    const parsed = ws.openCase('assume-parse.sscase');
    await importSource(parsed, log, { assumeHost: 'Site.Example' }, { workerFile: WORKER });
    expect(hosts(parsed)).toEqual(['site.example', 'own.example']);
    const casePath = path.join(ws.dir, 'assume-import.sscase');
    openCase(casePath).close();
    await runImportInWorker(casePath, log, { assumeHost: 'site.example' }, { workerFile: WORKER });
    const db = openCase(casePath);
    expect(hosts(db)).toEqual(['site.example', 'own.example']);
    db.close();
  });

  it('runImportInWorker reports progress and returns the result', async () => {
    const casePath = path.join(ws.dir, 'w.sscase');
    openCase(casePath).close();
    const seen: ImportProgress[] = [];
    const r = await runImportInWorker(
      casePath,
      big,
      {},
      { workerFile: WORKER, progressIntervalMs: 0, onProgress: (p) => seen.push(p) },
    );
    expect(r).toMatchObject({ status: 'complete', lines: N, accepted: N });
    expect(seen.some((p) => p.phase === 'parsing' && p.lines > 0 && p.lines < N)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ phase: 'done', lines: N });
    const db = openCase(casePath);
    expect(db.prepare('SELECT count(*) FROM requests').pluck().get()).toBe(N);
    db.close();
  }, 120_000);

  it('runImportInWorker cancelled mid-import leaves the case unchanged', async () => {
    // The cancel is sent at the first progress event; on a machine busy enough to deliver that
    // event late, the import may finish first (then nothing was cancelled, and the case is
    // not the one to check): each such run is made again, fresh, on a larger file.
    for (const [attempt, lines] of [5 * N, 20 * N].entries()) {
      const casePath = path.join(ws.dir, `wc${attempt}.sscase`);
      const db = openCase(casePath);
      await importSource(db, fixture('access/small-combined.log'));
      db.close();
      const huge = path.join(ws.dir, `huge${attempt}.log`);
      await writeCapture(huge, lines, 'combined', 7);
      const controller = new AbortController();
      const err = await runImportInWorker(
        casePath,
        huge,
        { force: true },
        {
          workerFile: WORKER,
          progressIntervalMs: 0,
          signal: controller.signal,
          onProgress: (p) => {
            if (p.phase === 'parsing' && p.lines > 0) controller.abort();
          },
        },
      ).then(
        () => null,
        (e: unknown) => e,
      );
      rmSync(huge);
      if (err === null && attempt === 0) continue;
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('CANCELLED');
      const after = openCase(casePath);
      expect(after.prepare('SELECT count(*) FROM sources').pluck().get()).toBe(1);
      expect(after.prepare('SELECT count(*) FROM requests').pluck().get()).toBe(4);
      after.close();
      return;
    }
  }, 240_000);

  it('kill -9 mid-import: the case opens, shows no half source, and a re-run succeeds', async () => {
    // Mid-import = the uncommitted transaction has started spilling rows into the WAL. Rows
    // spill only once the 64 MiB page cache is full, so the file is large enough for that to
    // happen well before its COMMIT; and a reader checks, before the kill, that no source is
    // visible yet. A machine busy enough to let the import finish first runs it again, on a
    // larger file (a kill during the analysis that follows is not the case under test).
    for (const [attempt, lines] of [5 * N, 15 * N].entries()) {
      const casePath = path.join(ws.dir, `crash${attempt}.sscase`);
      const log = path.join(ws.dir, `crash${attempt}.log`);
      await writeCapture(log, lines, 'combined', 7);
      const child = spawn(process.execPath, [CLI, 'import', casePath, log], { stdio: 'ignore' });
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      const deadline = Date.now() + 120_000;
      const wal = casePath + '-wal';
      while (Date.now() < deadline && !(existsSync(wal) && statSync(wal).size > 4 << 20)) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const peek = openCase(casePath, { create: false, readonly: true });
      const committed = peek.prepare('SELECT count(*) FROM sources').pluck().get();
      peek.close();
      expect(child.exitCode).toBeNull(); // still running when killed
      child.kill('SIGKILL');
      await exited;
      if (committed !== 0 && attempt === 0) {
        rmSync(log);
        continue;
      }
      expect(committed).toBe(0);

      const db = openCase(casePath, { create: false });
      expect(db.prepare('SELECT count(*) FROM sources').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM requests').pluck().get()).toBe(0);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();

      const out = execFileSync(process.execPath, [CLI, 'import', casePath, log, '--json'], {
        encoding: 'utf8',
      });
      rmSync(log);
      expect(JSON.parse(out)).toMatchObject({
        sources: [{ status: 'complete', lines, accepted: lines, rejected: 0 }],
        requests: lines,
      });
      return;
    }
  }, 240_000);
});
