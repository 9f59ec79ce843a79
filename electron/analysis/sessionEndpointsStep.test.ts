import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import {
  m007SessionEndpoints,
  SESSION_ENDPOINTS_FILL,
} from '../store/migrations/007_session_endpoints.js';
import type { CaseDb } from '../store/openCase.js';
import { ENDPOINT_SESSIONS_FILL } from '../store/migrations/010_endpoint_sessions.js';
import { rebuild } from './rebuild.js';
import { factsAsV14 } from '../../test/fixtures/analysis/factsV14.js';

const T0 = Date.UTC(2024, 4, 1) * 1000;

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;

const STORED = 'SELECT session_id, endpoint_id, n FROM session_endpoints ORDER BY 1, 2';
const COUNTED = `SELECT session_id, endpoint_id, count(*) AS n FROM request_facts
  GROUP BY session_id, endpoint_id ORDER BY 1, 2`;

beforeAll(() => {
  ws = tempWorkspace('ss-sessep-');
  db = ws.openCase();
  const paths = ['/login', '/a', '/b', '/a', '/c', '/a'];
  seedSource(
    db,
    'sessep',
    Array.from({ length: 60 }, (_, i) => ({
      tsUs: T0 + i * 1e6,
      ip: `10.0.0.${i % 3}`,
      userAgent: 'ua',
      path: paths[i % paths.length]!,
    })),
  );
  rebuild(db);
});
afterAll(() => ws.cleanup());

describe('session endpoints step', () => {
  it('stores the request count of every (session, endpoint) pair', () => {
    const stored = db.prepare(STORED).all();
    expect(stored.length).toBeGreaterThan(3);
    expect(stored).toEqual(db.prepare(COUNTED).all());
    const total = db.prepare('SELECT sum(n) AS n FROM session_endpoints').get() as { n: number };
    expect(total.n).toBe(60);
  });

  it('is replaced, not appended to, by the next rebuild', () => {
    const before = db.prepare(STORED).all();
    const r = rebuild(db);
    expect(r.stepMs['session endpoints']).toBeGreaterThanOrEqual(0);
    expect(db.prepare(STORED).all()).toEqual(before);
  });

  it('is filled by the migration in one pass over the endpoint index such a case has', () => {
    // Cases analysed before version 10 have an index of every request by endpoint (migration 10
    // drops it after migration 7 has used it), and their facts in request_facts itself (15).
    db.exec('SAVEPOINT v9');
    try {
      factsAsV14(db);
      db.exec('CREATE INDEX facts_endpoint ON request_facts (endpoint_id, session_id)');
      const select = SESSION_ENDPOINTS_FILL.slice(SESSION_ENDPOINTS_FILL.indexOf('SELECT'));
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${select}`).all() as { detail: string }[]).map(
        (r) => r.detail,
      );
      expect(plan).toEqual(['SCAN request_facts USING COVERING INDEX facts_endpoint']);
    } finally {
      db.exec('ROLLBACK TO v9; RELEASE v9');
    }
  });

  it('lists per endpoint the sessions that requested it, as the SQL fill does', () => {
    const listed = (): unknown[] =>
      db
        .prepare('SELECT endpoint_id, n, sessions FROM endpoint_sessions ORDER BY 1')
        .raw(true)
        .all();
    const fromArrays = listed();
    expect(fromArrays.length).toBeGreaterThan(3);
    const pairs = db.prepare('SELECT count(*) AS n FROM session_endpoints').get() as { n: number };
    const total = db.prepare('SELECT sum(n) AS n FROM endpoint_sessions').get() as { n: number };
    expect(total.n).toBe(pairs.n);
    db.exec(`DELETE FROM endpoint_sessions; ${ENDPOINT_SESSIONS_FILL}`);
    expect(listed()).toEqual(fromArrays);
  });

  it('is filled by the migration for a case analysed before it', () => {
    const before = db.prepare(STORED).all();
    db.exec('DROP TABLE session_endpoints');
    db.exec(m007SessionEndpoints.sql);
    expect(db.prepare(STORED).all()).toEqual(before);
  });
});
