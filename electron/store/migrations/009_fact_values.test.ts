import { factValue } from '../../query/filterSql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuild } from '../../analysis/rebuild.js';
import { factsAsV8 } from '../../../test/fixtures/analysis/factsV8.js';
import { groundTruthCapture } from '../../../test/fixtures/analysis/groundTruth.js';
import { seedSource } from '../../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { asSchemaVersion } from '../../../test/caseSchema.js';
import { getSessionDetail } from '../../query/sessionDetail.js';
import { listSessionRequests } from '../../query/sessionRequests.js';
import { listSessions } from '../../query/sessionsQuery.js';
import { openCase, type CaseDb } from '../openCase.js';
import { SCHEMA_VERSION } from './index.js';

const ws = tempWorkspace('ss-m009-');
afterAll(() => ws.cleanup());

/** The facts with their strings, in key order: what the layout must not change. */
function namedFacts(db: CaseDb): unknown[] {
  return db
    .prepare(
      `SELECT f.session_id, f.ts_us, f.request_id, f.endpoint_id, ${factValue('f.ip')}, ${factValue('f.method')},
        f.status, ${factValue('f.user')}, ${factValue('f.role')}, f.outlier, f.latency_z, f.size_z
       FROM request_facts f ORDER BY 1, 2, 3`,
    )
    .raw(true)
    .all();
}

/** What the investigator sees through the filters on the converted columns. */
function answers(db: CaseDb): unknown {
  const all = listSessions(db, { limit: 500 }).sessions;
  const first = all.find((s) => s.user !== null)!;
  const filters = [
    { ips: [first.firstIp!] },
    { users: [first.user!] },
    { roles: ['admin'] },
    { methods: ['POST'] },
    { users: ['nobody-at-all'] },
  ];
  return {
    lists: filters.map((f) => listSessions(db, { filters: f, limit: 500 }).sessions),
    detail: getSessionDetail(db, first.id),
    requests: listSessionRequests(db, first.id, { methods: ['GET'] }).requests,
  };
}

describe('migration 9: fact values', () => {
  let file = '';
  let before: { facts: unknown[]; answers: unknown };
  beforeAll(() => {
    const db = ws.openCase('old.sscase');
    seedSource(db, 'truth', groundTruthCapture().rows);
    rebuild(db);
    before = { facts: namedFacts(db), answers: answers(db) };
    // As a case analysed by the previous version has it.
    factsAsV8(db);
    asSchemaVersion(db, 8);
    file = db.name;
    db.close();
  });

  it('converts an analysed case’s facts to ids, with the same strings and answers', () => {
    const db = openCase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const types = db.prepare('SELECT name, type FROM pragma_table_info(?)').all('keyed_facts');
    for (const c of ['ip', 'method', 'user', 'role'])
      expect(types).toContainEqual({ name: c, type: 'INTEGER' });
    expect(namedFacts(db)).toEqual(before.facts);
    expect((before.facts as unknown[][]).some((r) => r[7] !== null)).toBe(true);
    expect(answers(db)).toEqual(before.answers);
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'keyed_facts'")
      .all()
      .map((r) => (r as { name: string }).name);
    // The schema's indexes (migration 11 then drops those per ip, status, user and role;
    // 15 moves the facts to keyed_facts).
    expect(indexes.sort()).toEqual(['facts_outlier', 'facts_request']);
    expect(() => db.prepare('SELECT 1 FROM request_facts_v8')).toThrow(/no such table/);
    db.close();
  });
});
