import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuild } from '../../analysis/rebuild.js';
import { listSessionRequests } from '../../query/sessionRequests.js';
import { groundTruthCapture } from '../../../test/fixtures/analysis/groundTruth.js';
import { seedSource } from '../../../test/fixtures/analysis/seedCase.js';
import { factsAsV14 } from '../../../test/fixtures/analysis/factsV14.js';
import { filterAnswers } from '../../../test/fixtures/query/sessionFilterChecks.js';
import { asSchemaVersion, indexNames } from '../../../test/caseSchema.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import type { Filters } from '../../../shared/query/filterModel.js';
import { openCase, type CaseDb } from '../openCase.js';
import { SCHEMA_VERSION } from './index.js';

const ws = tempWorkspace('ss-m015-');
afterAll(() => ws.cleanup());

/** Every request with its session's sid, and what the filters and a session's pages answer. */
function answers(db: CaseDb): unknown {
  const facts = db
    .prepare(
      `SELECT s.sid, f.ts_us, f.request_id, f.endpoint_id, f.ip, f.status, f.outlier, f.size_z
       FROM request_facts f JOIN sessions s ON s.id = f.session_id ORDER BY f.request_id`,
    )
    .raw(true)
    .all();
  const biggest = db
    .prepare('SELECT sid FROM sessions ORDER BY request_count DESC, sid LIMIT 1')
    .pluck()
    .get() as string;
  const filters: Filters[] = [{}, { statuses: ['4xx'] }, { outliersOnly: true }, { text: 'login' }];
  return {
    facts,
    filters: filterAnswers(db, filters),
    requests: listSessionRequests(db, biggest, {}, undefined, 20),
  };
}

describe('migration 15: keyed facts', () => {
  let file = '';
  let before: { answers: unknown; rows: number };
  beforeAll(() => {
    const db = ws.openCase('old.sscase');
    seedSource(db, 'truth', groundTruthCapture().rows);
    rebuild(db);
    before = {
      answers: answers(db),
      rows: db.prepare('SELECT count(*) FROM request_facts').pluck().get() as number,
    };
    // As a case analysed by the previous version has it.
    factsAsV14(db);
    asSchemaVersion(db, 14);
    file = db.name;
    db.close();
  });

  it('moves the facts to keyed_facts under a key per session, every answer unchanged', () => {
    const db = openCase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(
      db.prepare("SELECT type FROM sqlite_master WHERE name = 'request_facts'").pluck().get(),
    ).toBe('view');
    expect(db.prepare('SELECT count(*) FROM keyed_facts').pluck().get()).toBe(before.rows);
    expect(db.prepare('SELECT count(*) FROM sessions WHERE key_id != id').pluck().get()).toBe(0);
    expect(answers(db)).toEqual(before.answers);
    db.close();
  });

  it('gives the same indexes and answers as a rebuild does, which writes the real keys', () => {
    const db = openCase(file);
    const migrated = { indexes: indexNames(db), answers: answers(db) };
    rebuild(db);
    expect({ indexes: indexNames(db), answers: answers(db) }).toEqual(migrated);
    // Sessions sharing a key (ip+ua fallback) share its id again.
    expect(db.prepare('SELECT count(DISTINCT key_id) < count(*) FROM sessions').pluck().get()).toBe(
      1,
    );
    db.close();
  });
});
