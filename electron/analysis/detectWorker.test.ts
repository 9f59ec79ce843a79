import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors.js';
import { RULES } from '../../shared/detect/rules/index.js';
import { benchRequests } from '../../bench/analysisBench.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { openCase, type CaseDb } from '../store/openCase.js';
import { collectDetections, detectStep } from './detectStep.js';
import { detectJobFor, startDetectionWorker } from './detectWorker.js';
import { detectColumnsOf, type DetectColumns } from './detectColumns.js';
import type { BuiltChunk } from '../store/requestColumns.js';
import { scanRequests } from './scanStep.js';
import { DEFAULT_SETTINGS, scanContext } from '../../test/fixtures/analysis/scanCapture.js';
import { rebuild } from './rebuild.js';
import { runRebuildInWorker } from './rebuildWorker.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORKER = path.join(ROOT, 'dist/electron/detectWorker.mjs');
const REBUILD_WORKER = path.join(ROOT, 'dist/electron/rebuildWorker.mjs');
const NOW = '2026-01-01T00:00:00.000Z';

/** Benign bench traffic with every rule's matching examples spread over each location. */
function* traffic(): Generator<SeedRequest> {
  const benign = benchRequests(6000);
  let i = 0;
  for (const r of benign) {
    yield { ...r, srcRole: null };
    const rule = RULES[i % RULES.length]!;
    const value = rule.examples.match[i % rule.examples.match.length];
    const param = rule.examples.param ?? 'q';
    if (value !== undefined && i % 3 === 0) {
      const where = i % 5;
      yield {
        tsUs: r.tsUs,
        ip: r.ip ?? null,
        host: 'shop.example',
        path: where === 0 ? `/x/${value}` : '/search',
        query: where === 1 ? `${param}=${value}&page=2` : null,
        cookies: where === 2 ? `${param}=${value}; theme=dark` : null,
        headers: where === 3 ? { 'X-Forwarded-Host': value, referer: value } : null,
        userAgent: where === 4 ? value : (r.userAgent ?? null),
        respBody: i % 7 === 0 ? `Traceback (most recent call last):\n  File "x.py"` : null,
      };
    }
    // Scanner agents on their own (the suppress rule's signature), however the rules above
    // fall over the locations as rules are added.
    if (i % 500 === 0) yield { ...r, srcRole: null, userAgent: SCANNER_UA };
    i++;
  }
}

const SCANNER_UA = RULES.find((r) => r.id === 'scanner.tool-ua')!.examples.match[0]!;

function seeded(db: CaseDb): void {
  seedSource(db, 'mixed', traffic());
  db.prepare("UPDATE requests SET src_label = 'SQL Injection' WHERE id % 97 = 0").run();
  db.prepare(
    `INSERT INTO rules (kind, field, match, pattern, type, created_at, updated_at)
     VALUES ('detect', 'query', 'literal', 'page=2', 'paging', ?, ?)`,
  ).run(NOW, NOW);
  db.prepare(
    `INSERT INTO rules (kind, scope, rule_id, created_at, updated_at)
     VALUES ('suppress', 'signature', 'scanner.tool-ua', ?, ?)`,
  ).run(NOW, NOW);
  const first = db
    .prepare("SELECT min(id) AS id FROM requests WHERE query LIKE '%page=2%'")
    .get() as {
    id: number;
  };
  db.prepare(
    `INSERT INTO detection_marks (request_id, rule_id, param, verdict, created_at)
     VALUES (?, 'custom.1', NULL, 'false_positive', ?)`,
  ).run(first.id, NOW);
}

function dump(db: CaseDb): unknown[] {
  return [
    db.prepare('SELECT * FROM detections ORDER BY id').raw(true).all(),
    db.prepare('SELECT * FROM fp_detections ORDER BY id').raw(true).all(),
  ];
}

// These run the built worker, as the app, the CLI and the bench do.
describe('attack detection in a worker (built)', () => {
  const ws = tempWorkspace();
  let file = '';
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--node'], { cwd: ROOT, stdio: 'pipe' });
    const db = ws.openCase('seed.sscase');
    seeded(db);
    // Copies below take the file alone: everything must be in it, not in the WAL.
    db.pragma('wal_checkpoint(TRUNCATE)');
    file = db.name;
  }, 240_000);
  afterAll(() => ws.cleanup());

  function copy(name: string): CaseDb {
    const to = path.join(ws.dir, name);
    copyFileSync(file, to);
    return openCase(to);
  }

  it('writes the same rows, ids and counts as the scan on this thread', () => {
    const here = copy('here.sscase');
    const there = copy('there.sscase');
    const a = detectStep(here);
    const p = startDetectionWorker(there, WORKER);
    expect(p).not.toBeNull();
    const b = collectDetections(there, p!);
    expect(b).toEqual(a);
    expect(dump(there)).toEqual(dump(here));
    // The data exercise every part: engine, custom rule, source labels, marks, suppress rules.
    expect(a.detections).toBeGreaterThan(500);
    expect(a.custom).toBeGreaterThan(0);
    expect(a.sourceLabels).toBeGreaterThan(0);
    expect(a.suppressed).toBeGreaterThan(1);
    here.close();
    there.close();
  });

  /** The analysis columns the rebuild's scan builds from `db`'s rows, as it hands them over. */
  function builtColumns(db: CaseDb): DetectColumns {
    let chunks: BuiltChunk[] = [];
    scanRequests(scanContext(db, DEFAULT_SETTINGS), {
      parallelMin: Infinity,
      columnsBuilt: (c) => (chunks = c),
    });
    expect(chunks.length).toBeGreaterThan(0);
    return detectColumnsOf(chunks)!;
  }

  it('reads the requests from the columns the scan built and writes what the rows give', () => {
    const here = copy('cols-here.sscase');
    const there = copy('cols-there.sscase');
    const a = detectStep(here);
    const columns = builtColumns(there);
    // The texts the columns hold, blanked in the rows: only a read of the columns finds them.
    there.exec(`UPDATE requests SET host = NULL, path = '/', query = NULL, cookies = NULL,
      headers = NULL, user_agent = NULL`);
    const p = startDetectionWorker(there, WORKER, 0, columns);
    expect(p).not.toBeNull();
    expect(collectDetections(there, p!)).toEqual(a);
    expect(p!.fromColumns).toBe(true);
    expect(dump(there)).toEqual(dump(here));
    here.close();
    there.close();
  });

  it('gives up on columns of other requests than its snapshot holds', () => {
    const db = copy('cols-basis.sscase');
    db.transaction(() => {
      seedSource(db, 'late', [{ tsUs: 1, path: '/late', query: 'q=%3Cscript%3E' }]);
      // Built in the rebuild's transaction: the late request, which the worker cannot see.
      const p = startDetectionWorker(db, WORKER, 0, builtColumns(db))!;
      const before = dump(db);
      expect(collectDetections(db, p)).toBeNull();
      expect(dump(db)).toEqual(before);
    })();
    const fewer = builtColumns(db);
    fewer.chunks.pop();
    const p = startDetectionWorker(db, WORKER, 0, fewer)!;
    expect(collectDetections(db, p)).toBeNull();
    db.close();
  });

  it('hands the worker the native binding the rebuild’s connection was opened with', () => {
    const binding = createRequire(import.meta.url).resolve(
      'better-sqlite3/build/Release/better_sqlite3.node',
    );
    const here = copy('plain.sscase');
    const to = path.join(ws.dir, 'binding.sscase');
    copyFileSync(file, to);
    const bound = openCase(to, { nativeBinding: binding });
    const { port1, port2 } = new MessageChannel();
    const control = new Int32Array(2);
    expect(detectJobFor(bound, { control, port: port2 }).nativeBinding).toBe(binding);
    expect(detectJobFor(here, { control, port: port2 }).nativeBinding).toBeUndefined();
    port1.close();
    port2.close();
    // The worker opens its connection with it and scans as the plain one does.
    const a = detectStep(here);
    const p = startDetectionWorker(bound, WORKER);
    expect(p).not.toBeNull();
    expect(collectDetections(bound, p!)).toEqual(a);
    expect(dump(bound)).toEqual(dump(here));
    bound.close();
    here.close();
  });

  it('after an import, scans only its requests and gives what a scan of every request would', () => {
    // Requests a second log adds: attacks, a labelled one, one the suppress rule sets aside.
    const more = (db: CaseDb): number => {
      const last = db.prepare('SELECT max(id) FROM requests').pluck().get() as number;
      seedSource(db, 'more', [
        { tsUs: 5, path: '/search', query: "q=1'%20union%20select%20password%20from%20users--" },
        { tsUs: 6, path: '/x', query: 'page=2', userAgent: SCANNER_UA },
        { tsUs: 7, path: '/plain', srcRole: null },
      ]);
      db.prepare("UPDATE requests SET src_label = 'XSS' WHERE id = ?").run(last + 3);
      return last;
    };
    const whole = copy('append-whole.sscase');
    more(whole);
    const all = detectStep(whole);

    const worker = copy('append-worker.sscase');
    const here = copy('append-here.sscase');
    const counts = [];
    for (const db of [worker, here]) {
      detectStep(db);
      const after = more(db);
      if (db === worker) {
        const p = startDetectionWorker(db, WORKER, after);
        expect(p).not.toBeNull();
        counts.push(collectDetections(db, p!, undefined, undefined, after));
      } else counts.push(detectStep(db, { after }));
      expect(dump(db)).toEqual(dump(whole));
      db.close();
    }
    for (const c of counts) {
      // Three requests scanned; every other count is of all the findings.
      expect(c).toEqual({ ...all, requests: 3, undecodable: 0 });
    }
    expect(all.suppressed).toBeGreaterThan(1);
    whole.close();
  });

  it('gives up on a snapshot that differs from the caller’s (uncommitted requests)', () => {
    const db = copy('basis.sscase');
    db.transaction(() => {
      seedSource(db, 'late', [{ tsUs: 1, path: '/late', query: 'q=%3Cscript%3E' }]);
      const p = startDetectionWorker(db, WORKER)!;
      const before = dump(db);
      expect(collectDetections(db, p)).toBeNull();
      // Nothing the worker sent stays behind.
      expect(dump(db)).toEqual(before);
      expect(p.stopped).toBe(true);
    })();
    db.close();
  });

  it('stops the worker when cancelled while waiting, leaving the tables as they were', () => {
    const db = copy('cancel.sscase');
    detectStep(db);
    const before = dump(db);
    const p = startDetectionWorker(db, WORKER)!;
    let err: unknown;
    try {
      collectDetections(db, p, () => {
        throw new AppError('CANCELLED', 'Rebuild cancelled; the case is unchanged');
      });
    } catch (e) {
      err = e;
    }
    expect((err as AppError).code).toBe('CANCELLED');
    expect(p.stopped).toBe(true);
    expect(dump(db)).toEqual(before);
    db.close();
  });

  it('gives up on a worker whose script fails to load', () => {
    const db = copy('broken.sscase');
    const broken = path.join(ws.dir, 'broken-worker.mjs');
    writeFileSync(broken, "throw new Error('cannot load');\n");
    const p = startDetectionWorker(db, broken)!;
    const t0 = performance.now();
    expect(collectDetections(db, p)).toBeNull();
    // Told apart from a slow scan by never starting, well before the stall limit.
    expect(performance.now() - t0).toBeLessThan(15_000);
    expect(p.stopped).toBe(true);
    db.close();
  }, 30_000);

  it('a full rebuild on the rebuild worker (detection nested in its own worker) equals one here', async () => {
    const here = copy('full-here.sscase');
    const there = copy('full-there.sscase');
    const thereFile = there.name;
    there.close();
    rebuild(here);
    await runRebuildInWorker({ casePath: thereFile }, { workerFile: REBUILD_WORKER });
    const after = openCase(thereFile);
    expect(dump(after)).toEqual(dump(here));
    // What reads the findings too (sessions are keyed with a salt each case draws itself).
    for (const t of ['request_tags', 'endpoint_risk'])
      expect(after.prepare(`SELECT * FROM ${t} ORDER BY 1`).raw(true).all()).toEqual(
        here.prepare(`SELECT * FROM ${t} ORDER BY 1`).raw(true).all(),
      );
    here.close();
    after.close();
  }, 120_000);
});
