import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuild } from '../../analysis/rebuild.js';
import { groundTruthCapture } from '../../../test/fixtures/analysis/groundTruth.js';
import { seedSource } from '../../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { asSchemaVersion, indexNames } from '../../../test/caseSchema.js';
import { factsAsV14 } from '../../../test/fixtures/analysis/factsV14.js';
import type { Filters } from '../../../shared/query/filterModel.js';
import { openCase, type CaseDb } from '../openCase.js';
import { SCHEMA_VERSION } from './index.js';
import { filterAnswers } from '../../../test/fixtures/query/sessionFilterChecks.js';

const ws = tempWorkspace('ss-m010-');
afterAll(() => ws.cleanup());

/** The endpoint, host and flow filters' answers: lists (small pages, so both strategies run). */
function answers(db: CaseDb): unknown {
  const endpoints = db.prepare('SELECT eid, host FROM endpoints ORDER BY id').all() as {
    eid: string;
    host: string;
  }[];
  const filters: Filters[] = [
    { endpoints: [endpoints[0]!.eid] },
    { endpoints: endpoints.slice(1, 4).map((e) => e.eid) },
    { hosts: [endpoints[0]!.host] },
    { flows: ['Auth'] },
    { flows: ['Auth'], statuses: ['4xx'] },
    { endpoints: ['no-such-endpoint'] },
  ];
  return filterAnswers(db, filters);
}

describe('migration 10: endpoint sessions', () => {
  let file = '';
  let before: unknown;
  beforeAll(() => {
    const db = ws.openCase('old.sscase');
    seedSource(db, 'truth', groundTruthCapture().rows);
    rebuild(db);
    before = answers(db);
    // As a case analysed by the previous version has it.
    factsAsV14(db);
    db.exec(`DROP TABLE endpoint_sessions;
      CREATE INDEX facts_endpoint ON request_facts (endpoint_id, session_id)`);
    asSchemaVersion(db, 9);
    file = db.name;
    db.close();
  });

  it('trades the per-request endpoint index for sessions listed per endpoint, answers unchanged', () => {
    const db = openCase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(indexNames(db)).not.toContain('facts_endpoint');
    expect(answers(db)).toEqual(before);
    db.close();
  });

  it('gives the same indexes and lists as a rebuild does', () => {
    const db = openCase(file);
    const state = (): unknown => ({
      indexes: indexNames(db),
      lists: db.prepare('SELECT * FROM endpoint_sessions ORDER BY 1').raw(true).all(),
    });
    const migrated = state();
    rebuild(db);
    expect(state()).toEqual(migrated);
    db.close();
  });
});
