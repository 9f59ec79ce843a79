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

const ws = tempWorkspace('ss-m011-');
afterAll(() => ws.cleanup());

/** The ip, status, user and role filters' answers (small pages, so both strategies run). */
function answers(db: CaseDb): unknown {
  const some = (col: 'ip' | 'user' | 'role'): string[] =>
    db
      .prepare(
        `SELECT value FROM fact_values WHERE id IN (SELECT ${col} FROM request_facts) ORDER BY id LIMIT 2`,
      )
      .pluck()
      .all() as string[];
  const filters: Filters[] = [
    { ips: some('ip').slice(0, 1) },
    { ips: some('ip') },
    { users: some('user').slice(0, 1) },
    { roles: some('role') },
    { statuses: ['200'] },
    { statuses: ['4xx', '503'] },
    { statuses: ['5xx'], roles: some('role').slice(0, 1) },
    { ips: ['203.0.113.250'] },
  ];
  return filterAnswers(db, filters);
}

describe('migration 11: session values', () => {
  let file = '';
  let before: unknown;
  beforeAll(() => {
    const db = ws.openCase('old.sscase');
    seedSource(db, 'truth', groundTruthCapture().rows);
    // Codes no server sends, one far beyond the others: listed the same both ways.
    seedSource(db, 'odd', [
      { tsUs: Date.UTC(2024, 0, 1) * 1000, ip: '203.0.113.7', status: 2_000_000_000 },
      { tsUs: Date.UTC(2024, 0, 1) * 1000 + 1e6, ip: '203.0.113.7', status: 0 },
      { tsUs: Date.UTC(2024, 0, 1) * 1000 + 2e6, ip: '203.0.113.7', status: 200 },
    ]);
    rebuild(db);
    before = answers(db);
    // As a case analysed by the previous version has it.
    factsAsV14(db);
    db.exec(`DROP TABLE session_values; DROP TABLE value_sessions;
      CREATE INDEX facts_ip ON request_facts (ip, session_id);
      CREATE INDEX facts_status ON request_facts (status, session_id);
      CREATE INDEX facts_user ON request_facts (user, session_id) WHERE user IS NOT NULL;
      CREATE INDEX facts_role ON request_facts (role, session_id) WHERE role IS NOT NULL;`);
    asSchemaVersion(db, 10);
    file = db.name;
    db.close();
  });

  it('trades the per-request ip, status, user and role indexes for per-session values, answers unchanged', () => {
    const db = openCase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    for (const ix of ['facts_ip', 'facts_status', 'facts_user', 'facts_role'])
      expect(indexNames(db)).not.toContain(ix);
    expect(answers(db)).toEqual(before);
    db.close();
  });

  it('gives the same indexes and values as a rebuild does', () => {
    const db = openCase(file);
    const state = (): unknown => ({
      indexes: indexNames(db),
      values: db.prepare('SELECT * FROM session_values ORDER BY 1').raw(true).all(),
      lists: db.prepare('SELECT * FROM value_sessions ORDER BY 1, 2').raw(true).all(),
    });
    const migrated = state();
    expect((migrated as { values: unknown[] }).values.length).toBeGreaterThan(0);
    rebuild(db);
    expect(state()).toEqual(migrated);
    db.close();
  });
});
