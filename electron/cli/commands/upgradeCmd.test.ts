import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groundTruthCapture } from '../../../test/fixtures/analysis/groundTruth.js';
import { factsAsV14 } from '../../../test/fixtures/analysis/factsV14.js';
import { seedSource } from '../../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { rebuild } from '../../analysis/rebuild.js';
import { SCHEMA_VERSION } from '../../store/migrations/index.js';
import { asSchemaVersion } from '../../../test/caseSchema.js';
import { cli } from '../../../test/runCliCapture.js';

const ws = tempWorkspace('ss-cli-upgrade-');
afterAll(() => ws.cleanup());

describe('a case made by the previous version', () => {
  let file = '';
  let sessionsBefore: unknown;
  beforeAll(() => {
    const db = ws.openCase('old.sscase');
    seedSource(db, 'truth', groundTruthCapture().rows);
    rebuild(db);
    sessionsBefore = db.prepare('SELECT sid, request_count FROM sessions ORDER BY sid').all();
    // As version 14 left an analysed case.
    factsAsV14(db);
    asSchemaVersion(db, 14);
    file = db.name;
    db.close();
  });

  it('is refused by the read-only commands with what to run, not a query error', async () => {
    const bytes = (): string => createHash('sha256').update(readFileSync(file)).digest('hex');
    const before = bytes();
    for (const argv of [
      ['sessions', file],
      ['endpoints', file, '--json'],
      ['attacks', file],
      // Reading the trail, the rejects or the requests never changes the case file.
      ['audit', file],
      ['rejects', file, '--json'],
      ['requests', file],
      ['info', file, '--json'],
    ]) {
      const r = await cli(...argv);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`schema version 14`);
      expect(r.err).toContain(`sessionscope upgrade ${file}`);
      expect(r.err).not.toMatch(/internal error|SqliteError/);
    }
    expect(bytes()).toBe(before);
  });

  it('is upgraded by `upgrade`, which the audit trail records, and then reads as before', async () => {
    const r = await cli('upgrade', file, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      fromVersion: 14,
      toVersion: SCHEMA_VERSION,
      upgraded: true,
    });

    const audit = await cli('audit', file, '--action', 'case.upgrade', '--json');
    const entries = (JSON.parse(audit.out) as { entries: { details: unknown }[] }).entries;
    expect(entries.map((e) => e.details)).toEqual([
      { fromVersion: 14, toVersion: SCHEMA_VERSION, toolVersion: expect.any(String) as unknown },
    ]);

    const sessions = await cli('sessions', file, '--json', '--limit', '1000');
    expect(sessions.code).toBe(0);
    const listed = (
      JSON.parse(sessions.out) as { sessions: { id: string; requestCount: number }[] }
    ).sessions;
    expect(
      listed
        .map((s) => ({ sid: s.id, request_count: s.requestCount }))
        .sort((a, b) => a.sid.localeCompare(b.sid)),
    ).toEqual(sessionsBefore);

    // Once is enough: a second run changes nothing and says so.
    const again = await cli('upgrade', file);
    expect(again.out).toContain(`already at schema version ${SCHEMA_VERSION}`);
    const audit2 = await cli('audit', file, '--action', 'case.upgrade', '--json');
    expect((JSON.parse(audit2.out) as { entries: unknown[] }).entries).toHaveLength(1);
  });

  it('refuses what is not a case', async () => {
    const r = await cli('upgrade', ws.file('notes.txt', 'not a database'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not a Sessionscope case/i);
  });
});
