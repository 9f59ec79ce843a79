import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filtersSchema } from '../../shared/query/filterModel.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CaseDb } from '../store/openCase.js';
import { getSessionDetail } from './sessionDetail.js';
import { SESSION_USERS_LISTED } from './sessionRow.js';
import { listSessions } from './sessionsQuery.js';

const T0 = Date.UTC(2024, 4, 1) * 1000;
const S = 1e6;

/**
 * Three ip+ua sessions: a credential-stuffing one that tries four accounts (zoe last), one
 * that tries 60 (more than a summary names, and a longer list of ids than it reads), and one without a user.
 */
function capture(): SeedRequest[] {
  const stuffing = ['yara', 'hugo', 'wen', 'hugo', 'zoe'].map((u, i) => ({
    tsUs: T0 + i * S,
    ip: '203.0.113.121',
    userAgent: 'stuffer',
    path: '/api/login',
    status: 401,
    headers: { 'x-user': u },
  }));
  const many = Array.from({ length: 60 }, (_, i) => ({
    tsUs: T0 + i * S,
    ip: '203.0.113.7',
    userAgent: 'spray',
    path: '/api/login',
    status: 401,
    headers: { 'x-user': `user${String(i).padStart(2, '0')}` },
  }));
  const anonymous = [0, 1].map((i) => ({
    tsUs: T0 + i * S,
    ip: '10.0.0.1',
    userAgent: 'browser',
    path: '/',
    status: 200,
  }));
  return [...stuffing, ...many, ...anonymous];
}

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;

beforeAll(() => {
  ws = tempWorkspace('ss-session-users-');
  db = ws.openCase();
  seedSource(db, 'users', capture());
  rebuild(db, {});
});
afterAll(() => ws.cleanup());

const byIp = (ip: string, filters = {}) =>
  listSessions(db, { filters: filtersSchema.parse(filters) }).sessions.find(
    (s) => s.firstIp === ip,
  )!;

describe('a session’s distinct users', () => {
  it('counts and names every user of the session, not only the last one', () => {
    const s = byIp('203.0.113.121');
    expect(s.user).toBe('zoe');
    expect(s.userCount).toBe(4);
    expect(s.users).toEqual(['hugo', 'wen', 'yara', 'zoe']);
    expect(getSessionDetail(db, s.id).session).toMatchObject({
      userCount: 4,
      users: ['hugo', 'wen', 'yara', 'zoe'],
    });
  });

  it('names at most SESSION_USERS_LISTED and counts them all', () => {
    const s = byIp('203.0.113.7');
    expect(s.userCount).toBe(60);
    // Longer than the head of the id list that the names are read from.
    const ids = db
      .prepare(
        'SELECT octet_length(user) FROM session_values WHERE session_id = (SELECT id FROM sessions WHERE sid = ?)',
      )
      .pluck()
      .get(s.id) as number;
    expect(ids).toBeGreaterThan(18 * SESSION_USERS_LISTED);
    expect(s.users).toHaveLength(SESSION_USERS_LISTED);
    // The first ones the case saw, by name.
    expect(s.users).toEqual(Array.from({ length: 10 }, (_, i) => `user0${i}`));
  });

  it('gives none for a session without a user', () => {
    expect(byIp('10.0.0.1')).toMatchObject({ user: null, userCount: 0, users: [] });
  });

  it('counts the whole session under a user filter, which finds it by any of its users', () => {
    const s = byIp('203.0.113.121', { users: ['hugo'] });
    expect(s.matchedRequests).toBe(2);
    expect(s).toMatchObject({ user: 'zoe', userCount: 4 });
    expect(
      getSessionDetail(db, s.id, filtersSchema.parse({ users: ['hugo'] })).session,
    ).toMatchObject({ userCount: 4, users: ['hugo', 'wen', 'yara', 'zoe'] });
  });
});
