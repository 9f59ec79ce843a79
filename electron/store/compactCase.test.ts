import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rebuild } from '../analysis/rebuild.js';
import { lastScanRun } from '../analysis/scanStep.js';
import { groundTruthCapture } from '../../test/fixtures/analysis/groundTruth.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { filterAnswers } from '../../test/fixtures/query/sessionFilterChecks.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { CliIO } from '../cli/command.js';
import { runCli } from '../cli/runCli.js';
import { listAudit } from './auditLog.js';
import { compactCase } from './compactCase.js';
import { NEW_CASE_PAGE_SIZE, openCase, type CaseDb } from './openCase.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-compact-');
});
afterEach(() => ws.cleanup());

/** An analysed case with 4 KiB pages, as Sessionscope made them before 16 KiB. */
function oldCase(): string {
  const db = ws.openCase('old.sscase');
  seedSource(db, 'truth', groundTruthCapture().rows);
  rebuild(db);
  db.pragma('journal_mode = DELETE');
  db.pragma('page_size = 4096');
  db.exec('VACUUM');
  db.pragma('journal_mode = WAL');
  rebuild(db);
  // Made before the analysis columns (a first analysis now builds them).
  db.exec('DELETE FROM request_columns');
  // Space left free, as dropped derived tables and removed sources leave it.
  db.exec('CREATE TABLE scratch AS SELECT * FROM requests; DROP TABLE scratch');
  const file = db.name;
  db.close();
  return file;
}

/** Every request as stored, the analysis' answers, and the audit trail. */
function contents(db: CaseDb): unknown {
  const requests = createHash('sha256');
  for (const r of db.prepare('SELECT * FROM requests ORDER BY id').raw(true).iterate())
    requests.update(JSON.stringify(r));
  return {
    requests: requests.digest('hex'),
    ids: db.prepare('SELECT min(id), max(id), count(*) FROM requests').raw(true).get(),
    answers: filterAnswers(db, [{}, { statuses: ['4xx'] }, { flows: ['Auth'] }, { text: 'login' }]),
    detections: db.prepare('SELECT * FROM detections ORDER BY id').raw(true).all(),
    audit: listAudit(db),
  };
}

describe('compactCase', () => {
  it('rewrites an old case with 16 KiB pages and no free ones, every row and answer as before', () => {
    const file = oldCase();
    const db = openCase(file);
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.pragma('freelist_count', { simple: true })).toBeGreaterThan(0);
    const before = contents(db) as { audit: unknown[] };
    const r = compactCase(db);
    expect(r.before.pageSize).toBe(4096);
    expect(r.after).toMatchObject({ pageSize: NEW_CASE_PAGE_SIZE, freePages: 0 });
    expect(r.columnSources).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const after = contents(db) as { audit: { action: string; details: unknown }[] };
    expect(after.audit.at(-1)).toMatchObject({ action: 'case.compact', details: r });
    expect({ ...after, audit: after.audit.slice(0, -1) }).toEqual(before);
    db.close();
    // Still a case, as it was, when opened again.
    const again = openCase(file);
    expect(again.pragma('page_size', { simple: true })).toBe(NEW_CASE_PAGE_SIZE);
    expect(contents(again)).toEqual(after);
    // Its rebuild now reads the analysis columns compact wrote, and answers as before.
    const answers = (contents(again) as { answers: unknown }).answers;
    rebuild(again);
    expect(lastScanRun().fromColumns).toBe(true);
    expect((contents(again) as { answers: unknown }).answers).toEqual(answers);
    again.close();
  });

  it('refuses while another connection has the case open, leaving it as it was', () => {
    const file = oldCase();
    const other = new Database(file, { readonly: true });
    other.prepare('SELECT count(*) FROM requests').get();
    const db = openCase(file);
    try {
      expect(() => compactCase(db)).toThrow(/open elsewhere/);
      expect(db.pragma('page_size', { simple: true })).toBe(4096);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(listAudit(db).map((e) => e.action)).not.toContain('case.compact');
    } finally {
      db.close();
      other.close();
    }
  });

  it('is a CLI command with a --json answer', async () => {
    const file = oldCase();
    let out = '';
    const io: CliIO = { out: (t) => (out += t + '\n'), err: () => undefined, errIsTty: false };
    expect(await runCli(['compact', file, '--json'], io)).toBe(0);
    const r = JSON.parse(out) as {
      before: { pageSize: number };
      after: { pageSize: number };
      columnSources: number;
    };
    expect([r.before.pageSize, r.after.pageSize, r.columnSources]).toEqual([
      4096,
      NEW_CASE_PAGE_SIZE,
      1,
    ]);
  });
});
