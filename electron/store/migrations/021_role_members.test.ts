import { afterAll, describe, expect, it } from 'vitest';
import { analysisIsCurrent, rebuild } from '../../analysis/rebuild.js';
import { listSessions } from '../../query/sessionsQuery.js';
import { asSchemaVersion } from '../../../test/caseSchema.js';
import { fakeJwt, seedSource } from '../../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { openCase, type CaseDb } from '../openCase.js';
import { SCHEMA_VERSION } from './index.js';

const ws = tempWorkspace('ss-m021-');
afterAll(() => ws.cleanup());

/** Three sessions: a token listing admin and billing, one listing billing, a viewer's header. */
function seeded(db: CaseDb, more: Record<string, string>[] = []): void {
  const t0 = Date.UTC(2024, 0, 1) * 1000;
  const headers = [
    { authorization: `Bearer ${fakeJwt({ sub: 'a', roles: ['admin', 'billing'] })}` },
    { authorization: `Bearer ${fakeJwt({ sub: 'b', roles: ['billing'] })}` },
    { 'x-role': 'viewer' },
    ...more,
  ];
  seedSource(
    db,
    'roles',
    headers.map((h, k) => ({ tsUs: t0 + k * 1e6, cookies: `JSESSIONID=S${k}`, headers: h })),
  );
  rebuild(db);
}

/** Each role's sessions, by key. */
function found(db: CaseDb, roles: readonly string[]): Record<string, (string | null)[]> {
  return Object.fromEntries(
    roles.map((r) => [
      r,
      listSessions(db, { filters: { roles: [r] } })
        .sessions.map((s) => s.keyValue)
        .sort(),
    ]),
  );
}

const ROLES = ['admin', 'billing', 'admin,billing', 'viewer', 'adm'];

/** As a case analysed by version 20 has it: its role values whole, no role_members. */
function asV20(db: CaseDb, edit = ''): string {
  if (edit) db.exec(edit);
  asSchemaVersion(db, 20);
  const file = db.name;
  db.close();
  return file;
}

describe("migration 21: each of a role value's roles", () => {
  it('finds a role of a token list in a case analysed before, without a rebuild', () => {
    const fresh = ws.openCase('new.sscase');
    expect(fresh.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    seeded(fresh);
    const want = found(fresh, ROLES);
    expect(want).toEqual({
      admin: ['S0'],
      billing: ['S0', 'S1'],
      'admin,billing': ['S0'],
      viewer: ['S2'],
      adm: [],
    });
    const members = (db: CaseDb): unknown =>
      db.prepare('SELECT * FROM role_members ORDER BY 1, 2').raw(true).all();
    const rebuilt = members(fresh);

    const old = ws.openCase('old.sscase');
    seeded(old);
    const migrated = openCase(asV20(old));
    expect(migrated.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(found(migrated, ROLES)).toEqual(want);
    expect(members(migrated)).toEqual(rebuilt);
    expect(analysisIsCurrent(migrated)).toBe(true);
    migrated.close();
  });

  it('makes a case stale when a role holds a space, as a scope stored whole did: --role read finds it after the rebuild', () => {
    const scope = { authorization: `Bearer ${fakeJwt({ sub: 'c', scope: 'read write' })}` };
    const old = ws.openCase('scope.sscase');
    seeded(old, [scope]);
    // The previous version stored the scope as written (and its digest of the facts was of that).
    const migrated = openCase(
      asV20(
        old,
        `UPDATE fact_values SET value = 'read write' WHERE value = 'read,write';
         DELETE FROM analysis_state WHERE key = 'keyed_facts_digest'`,
      ),
    );
    expect(analysisIsCurrent(migrated)).toBe(false);
    expect(found(migrated, ['read'])).toEqual({ read: [] });
    rebuild(migrated);
    expect(analysisIsCurrent(migrated)).toBe(true);
    expect(found(migrated, ['read', 'write', 'admin'])).toEqual({
      read: ['S3'],
      write: ['S3'],
      admin: ['S0'],
    });
    migrated.close();
  });
});
