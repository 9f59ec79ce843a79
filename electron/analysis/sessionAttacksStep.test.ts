import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { CaseDb } from '../store/openCase.js';
import { rebuild } from './rebuild.js';
import { SESSION_ATTACK_COUNTS_SQL } from './sessionAttacksStep.js';

const T0 = Date.UTC(2024, 4, 1) * 1000;
const S = 1e6;
const SQLI = "id=1' OR '1'='1";
const SQLI_XSS = "id=1' UNION SELECT password FROM users--&x=<script>alert(1)</script>";

/**
 * Sessions named by a source column, each with its requests' queries: `a` three attacked
 * requests (one with two attack types) of six, `b` none, `c` one of two; `d` spans a second
 * key's time range (the key `a` again after a long pause, so a second session of it).
 */
const PLAN: Record<string, { at: number; query: string }[]> = {
  a: [
    { at: 0, query: 'p=1' },
    { at: 1, query: SQLI },
    { at: 2, query: SQLI_XSS },
    { at: 3, query: 'p=2' },
    { at: 4, query: SQLI },
    { at: 5, query: 'p=3' },
  ],
  b: [
    { at: 0, query: 'q=1' },
    { at: 2, query: 'q=2' },
  ],
  c: [
    { at: 1, query: SQLI_XSS },
    { at: 3, query: 'q=3' },
  ],
};
/** Session `a` again two hours later: a new session of the same key, with one attack. */
const LATER = [
  { at: 7200, query: SQLI },
  { at: 7201, query: 'p=4' },
];

function capture(): SeedRequest[] {
  const rows: SeedRequest[] = [];
  for (const [session, reqs] of Object.entries(PLAN))
    for (const r of reqs)
      rows.push({ tsUs: T0 + r.at * S, srcSession: session, path: '/api/items', query: r.query });
  for (const r of LATER)
    rows.push({ tsUs: T0 + r.at * S, srcSession: 'a', path: '/api/items', query: r.query });
  return rows.sort((x, y) => x.tsUs - y.tsUs);
}

const ws = tempWorkspace('ss-session-attacks-');
let db: CaseDb;
beforeAll(() => {
  db = ws.openCase();
  seedSource(db, 'attacks', capture());
  rebuild(db);
});
afterAll(() => ws.cleanup());

describe('session attack counts', () => {
  it('counts each session’s requests with a detection once, whatever their types', () => {
    // The detections must be there for the counts to mean anything.
    expect(db.prepare('SELECT count(DISTINCT request_id) FROM detections').pluck().get()).toBe(5);
    const rows = db
      .prepare(
        'SELECT key_display AS session, first_us AS firstUs, attack_count AS n FROM sessions ORDER BY first_us, key_display',
      )
      .all();
    expect(rows).toEqual([
      { session: 'a', firstUs: T0, n: 3 },
      { session: 'b', firstUs: T0, n: 0 },
      { session: 'c', firstUs: T0 + S, n: 1 },
      { session: 'a', firstUs: T0 + 7200 * S, n: 1 },
    ]);
  });

  it('goes from the detected requests to their sessions, not a probe per session', () => {
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${SESSION_ATTACK_COUNTS_SQL}`).all() as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    expect(plan.join(' | ')).not.toMatch(/CORRELATED/);
    expect(plan.join(' | ')).toMatch(
      /SEARCH f USING COVERING INDEX facts_request \(request_id=\?\)/,
    );
    // Only the detections (their index) and the grouped counts are walked.
    expect(
      plan.filter(
        (p) => /^SCAN /.test(p) && !/^SCAN (d|hit|detections USING COVERING INDEX)\b/.test(p),
      ),
    ).toEqual([]);
  });
});
