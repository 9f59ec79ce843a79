import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groundTruthCapture } from '../../test/fixtures/analysis/groundTruth.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import {
  SESSION_VALUES_CREATE,
  SESSION_VALUES_FILL,
  VALUE_SESSIONS_CREATE,
  VALUE_SESSIONS_FILL,
} from '../store/migrations/011_session_values.js';
import type { CaseDb } from '../store/openCase.js';
import { rebuild } from './rebuild.js';

const ws = tempWorkspace('ss-session-values-');
let db: CaseDb;
beforeAll(() => {
  db = ws.openCase();
  seedSource(db, 'truth', groundTruthCapture().rows);
  // Codes beyond the dense range, missing values, one client over several IPs.
  seedSource(
    db,
    'odd',
    Array.from({ length: 12 }, (_, i) => ({
      tsUs: Date.UTC(2024, 0, 2) * 1000 + i * 1e6,
      ip: i % 4 === 0 ? null : `203.0.113.${i % 3}`,
      srcSession: 'odd',
      status: [200, 2_000_000_000, null, 404][i % 4]!,
    })),
  );
  rebuild(db);
});
afterAll(() => ws.cleanup());

const rows = (table: string): unknown[] =>
  db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).raw(true).all();

describe('session values', () => {
  it('the rebuild writes what SQL over the stored facts gives', () => {
    const written = { values: rows('session_values'), sessions: rows('value_sessions') };
    expect(written.values.length).toBe(
      db.prepare('SELECT count(*) FROM sessions').pluck().get() as number,
    );
    db.exec(`DROP TABLE session_values; ${SESSION_VALUES_CREATE}; ${SESSION_VALUES_FILL};
      DROP TABLE value_sessions; ${VALUE_SESSIONS_CREATE}; ${VALUE_SESSIONS_FILL};`);
    expect(written).toEqual({ values: rows('session_values'), sessions: rows('value_sessions') });
    // Sessions with several values of a column, so the order within a row is tested.
    expect(written.values.some((r) => ((r as string[])[1] ?? '').includes(','))).toBe(true);
  });
});

describe('role members', () => {
  const roleWs = tempWorkspace('ss-role-members-');
  afterAll(() => roleWs.cleanup());

  /** The roles each stored role value holds, after a rebuild of one session per value. */
  function membersOf(values: readonly string[]): Record<string, string[]> {
    const rdb = roleWs.openCase(`r${values.length}.sscase`);
    seedSource(
      rdb,
      'roles',
      values.map((v, k) => ({
        tsUs: Date.UTC(2024, 0, 3) * 1000 + k * 1e6,
        srcSession: `s${k}`,
        srcRole: v,
      })),
    );
    rebuild(rdb);
    const out: Record<string, string[]> = {};
    for (const [member, value] of rdb
      .prepare(
        `SELECT rm.member, fv.value FROM role_members rm JOIN fact_values fv ON fv.id = rm.role
         ORDER BY rm.role, rm.member`,
      )
      .raw(true)
      .all() as [string, string][])
      (out[value] ??= []).push(member);
    rdb.close();
    return out;
  }

  it('splits a value at its commas, trims spaces and tabs, keeps the value as written', () => {
    expect(
      membersOf([
        'admin',
        'admin,billing',
        ' ops ,\taudit\t',
        ',lead,,lead,',
        'say "hi",back\\slash,ünï',
        'a b, c',
      ]),
    ).toEqual({
      admin: ['admin'],
      'admin,billing': ['admin', 'admin,billing', 'billing'],
      ' ops ,\taudit\t': [' ops ,\taudit\t', 'audit', 'ops'],
      ',lead,,lead,': [',lead,,lead,', 'lead'],
      'say "hi",back\\slash,ünï': ['back\\slash', 'say "hi"', 'say "hi",back\\slash,ünï', 'ünï'],
      'a b, c': ['a b', 'a b, c', 'c'],
    });
  });

  it('splits a hostile value of many commas in linear time', () => {
    const parts = Array.from({ length: 100_000 }, (_, i) => `r${i % 1000}`);
    const started = performance.now();
    const m = membersOf([parts.join(',')]);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(Object.values(m)[0]).toHaveLength(1001);
  });
});
