import { afterAll, describe, expect, it } from 'vitest';
import { rebuild } from '../../analysis/rebuild.js';
import { factsWhere } from '../../query/filterSql.js';
import { listSessions, sessionsPageSql } from '../../query/sessionsQuery.js';
import { asSchemaVersion, indexNames } from '../../../test/caseSchema.js';
import { seedSource } from '../../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { openCase, type CaseDb } from '../openCase.js';
import { SCHEMA_VERSION } from './index.js';

const ws = tempWorkspace('ss-m019-');
afterAll(() => ws.cleanup());

/** Sessions of three clients, one of them attacking on two requests, one on one. */
function seeded(db: CaseDb): void {
  const t0 = Date.UTC(2024, 0, 1) * 1000;
  const attack = "id=1'%20union%20select%20password%20from%20users--";
  seedSource(
    db,
    'three',
    [0, 1, 2].flatMap((c) =>
      [0, 1, 2].map((k) => ({
        tsUs: t0 + c * 1e6 + k * 1e3,
        ip: `10.0.0.${c}`,
        path: '/search',
        query: k < c ? attack : 'q=shoes',
      })),
    ),
  );
  rebuild(db);
}

/** The plan of the session list's first page sorted by attacks. */
function plan(db: CaseDb): string {
  const q = sessionsPageSql('all', factsWhere(db, {}), 'attacks', true, false, {
    maxSessionUs: 24 * 3600e6,
  });
  return (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params, 50) as { detail: string }[])
    .map((r) => r.detail)
    .join(' | ');
}

describe('migration 19: sessions by attack count', () => {
  it('lists the sessions with the most attacks first, walking an index', () => {
    const db = ws.openCase('new.sscase');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    seeded(db);
    const page = listSessions(db, { sort: 'attacks', descending: true });
    expect(page.sessions.map((s) => s.attackCount)).toEqual([2, 1, 0]);
    expect(plan(db)).toMatch(/USING INDEX sessions_attacks/);
    expect(plan(db)).not.toMatch(/TEMP B-TREE/);
    db.close();
  });

  it('gives an analysed case of version 18 the index without a rebuild', () => {
    const db = ws.openCase('old.sscase');
    seeded(db);
    db.exec('DROP INDEX sessions_attacks');
    asSchemaVersion(db, 18);
    expect(indexNames(db)).not.toContain('sessions_attacks');
    const file = db.name;
    db.close();
    const reopened = openCase(file);
    expect(indexNames(reopened)).toContain('sessions_attacks');
    expect(plan(reopened)).toMatch(/USING INDEX sessions_attacks/);
    reopened.close();
  });
});
