import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filters } from '../../shared/query/filterModel.js';
import { fakeJwt, seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import {
  expectFilterAnswers,
  expectStrategiesAgree,
} from '../../test/fixtures/query/sessionFilterChecks.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CaseDb } from '../store/openCase.js';
import { listSessions } from './sessionsQuery.js';

const T0 = Date.UTC(2024, 5, 1) * 1000;
/** More sessions than a filter lists (1000), so a common role is looked up session by session. */
const SESSIONS = 1100;

/** Per seeded request, its role as stored and the roles it holds. */
const roleOf = new WeakMap<SeedRequest, { stored: string; members: string[] }>();

/**
 * Sessions (one cookie each) whose role comes from a token's list, a token's scope, an X-Role
 * header that lists two, or a source column: most are viewers (one role); a few also sign in
 * with a token listing admin and billing, on a later request of the same session.
 */
function capture(): SeedRequest[] {
  const rows: SeedRequest[] = [];
  const bearer = (claims: Record<string, unknown>): Record<string, string> => ({
    authorization: `Bearer ${fakeJwt({ sub: 'u', ...claims })}`,
  });
  for (let k = 0; k < SESSIONS; k++) {
    const cookies = `JSESSIONID=S${k}`;
    const t = T0 + k * 60e6;
    const add = (
      at: number,
      over: Partial<SeedRequest>,
      stored: string,
      members: readonly string[],
    ): void => {
      const r: SeedRequest = { cookies, tsUs: t + at * 1e6, ip: '10.0.0.1', path: '/a', ...over };
      roleOf.set(r, { stored, members: [...members] });
      rows.push(r);
    };
    add(0, { headers: bearer({ roles: ['viewer'] }) }, 'viewer', ['viewer']);
    switch (k % 50) {
      case 7:
        add(1, { headers: bearer({ roles: ['admin', 'billing'] }) }, 'admin,billing', [
          'admin',
          'billing',
        ]);
        break;
      case 8:
        add(1, { headers: bearer({ groups: ['billing'] }) }, 'billing', ['billing']);
        break;
      case 9:
        add(1, { headers: { 'x-role': 'ops, audit' } }, 'ops, audit', ['ops', 'audit']);
        break;
      case 10:
        add(1, { headers: bearer({ scope: 'read  write' }) }, 'read,write', ['read', 'write']);
        break;
      case 11:
        add(1, { srcRole: 'CN=Admins,OU=Groups' }, 'CN=Admins,OU=Groups', [
          'CN=Admins',
          'OU=Groups',
        ]);
        break;
    }
  }
  return rows;
}

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
let rows: SeedRequest[];

beforeAll(() => {
  ws = tempWorkspace('ss-rolefilter-');
  db = ws.openCase();
  rows = capture();
  seedSource(db, 'roles', rows);
  rebuild(db);
});
afterAll(() => ws.cleanup());

/** A request has role `x`: its stored value is `x`, or it lists `x`. */
const has =
  (...xs: string[]) =>
  (r: SeedRequest): boolean => {
    const role = roleOf.get(r)!;
    return xs.some((x) => role.stored === x || role.members.includes(x));
  };

const cases: [string, Filters, (r: SeedRequest) => boolean, 'listed' | 'looked up'][] = [
  ["one of a token's roles", { roles: ['admin'] }, has('admin'), 'listed'],
  ["a token's other role, or a one-role list", { roles: ['billing'] }, has('billing'), 'listed'],
  ["a token's list as stored", { roles: ['admin,billing'] }, has('admin,billing'), 'listed'],
  ['a role in an X-Role list', { roles: ['audit'] }, has('audit'), 'listed'],
  ['an X-Role list as written', { roles: ['ops, audit'] }, has('ops, audit'), 'listed'],
  ["a token's scope item", { roles: ['write'] }, has('write'), 'listed'],
  [
    'a source role with a comma, whole',
    { roles: ['CN=Admins,OU=Groups'] },
    has('CN=Admins,OU=Groups'),
    'listed',
  ],
  ['a part of a source role with a comma', { roles: ['OU=Groups'] }, has('OU=Groups'), 'listed'],
  ['a role on most sessions', { roles: ['viewer'] }, has('viewer'), 'looked up'],
  [
    'a rare role or a common one',
    { roles: ['audit', 'viewer'] },
    has('audit', 'viewer'),
    'looked up',
  ],
  ['the start of a role', { roles: ['adm'] }, () => false, 'listed'],
  ['a role in another case', { roles: ['Admin'] }, () => false, 'listed'],
  ['two of the parts at once', { roles: ['admin billing'] }, () => false, 'listed'],
];

describe('the role filter finds each role a stored role lists', () => {
  it.each(cases)('%s: the sessions and their matching requests', (_n, filters, pred, how) =>
    expectFilterAnswers(db, rows, filters, pred, how),
  );

  it.each(cases)('%s: both strategies give the same page', (_n, filters) =>
    expectStrategiesAgree(db, filters),
  );

  it("shows the session's role as stored, found by either of its roles", () => {
    const ids = (role: string): string[] =>
      listSessions(db, { filters: { roles: [role] }, limit: 100 }).sessions.map((s) => s.id);
    const admins = listSessions(db, { filters: { roles: ['admin'] }, limit: 100 }).sessions;
    expect(admins.length).toBe(SESSIONS / 50);
    // The last role a session presented is its own: here the token listing two.
    expect(new Set(admins.map((s) => s.role))).toEqual(new Set(['admin,billing']));
    expect(ids('admin').every((id) => ids('billing').includes(id))).toBe(true);
  });

  it('lists each role value with the roles it holds, in order', () => {
    const members = db
      .prepare(
        `SELECT rm.member, fv.value FROM role_members rm JOIN fact_values fv ON fv.id = rm.role
         ORDER BY rm.member, rm.role`,
      )
      .raw(true)
      .all();
    expect(members).toEqual([
      ['CN=Admins', 'CN=Admins,OU=Groups'],
      ['CN=Admins,OU=Groups', 'CN=Admins,OU=Groups'],
      ['OU=Groups', 'CN=Admins,OU=Groups'],
      ['admin', 'admin,billing'],
      ['admin,billing', 'admin,billing'],
      ['audit', 'ops, audit'],
      ['billing', 'admin,billing'],
      ['billing', 'billing'],
      ['ops', 'ops, audit'],
      ['ops, audit', 'ops, audit'],
      ['read', 'read,write'],
      ['read,write', 'read,write'],
      ['viewer', 'viewer'],
      ['write', 'read,write'],
    ]);
  });
});
