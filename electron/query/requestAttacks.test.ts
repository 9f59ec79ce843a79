import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CaseDb } from '../store/openCase.js';
import { ATTACK_TYPES_SQL, attackTypesOf } from './detectionsLink.js';
import { getRequestDetail } from './requestDetail.js';
import { listSessionRequests } from './sessionRequests.js';
import { listSessions } from './sessionsQuery.js';

const T0 = Date.UTC(2024, 4, 1) * 1000;

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;

/** One client: plain requests, SQL injection probes, and probes carrying XSS as well. */
function capture(): SeedRequest[] {
  return Array.from({ length: 12 }, (_, i) => ({
    tsUs: T0 + i * 1e6,
    ip: '10.0.0.9',
    userAgent: 'ua',
    path: '/api/items',
    query:
      i % 4 === 1
        ? "id=1' OR '1'='1"
        : i % 4 === 2
          ? "id=1' UNION SELECT password FROM users--&x=<script>alert(1)</script>"
          : `id=${i}`,
    status: 200,
  }));
}

beforeAll(() => {
  ws = tempWorkspace('ss-req-attacks-');
  db = ws.openCase();
  seedSource(db, 'attacks', capture());
  rebuild(db, {});
});
afterAll(() => ws.cleanup());

/** What the detections table says per request: distinct types, sorted. */
function stored(): Map<number, string[]> {
  const rows = db
    .prepare('SELECT DISTINCT request_id AS id, type FROM detections ORDER BY id, type')
    .all() as { id: number; type: string }[];
  const m = new Map<number, string[]>();
  for (const r of rows) m.set(r.id, [...(m.get(r.id) ?? []), r.type]);
  return m;
}

describe("a request's attack types travel with it", () => {
  it('each row of a session page carries the types detected on it, and only those', () => {
    const expected = stored();
    // The capture's probes were detected, some with two types: the test has something to see.
    expect(expected.size).toBe(6);
    expect([...expected.values()].some((types) => types.length > 1)).toBe(true);
    const sid = listSessions(db, {}).sessions[0]!.id;
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = listSessionRequests(db, sid, {}, cursor, 5);
      for (const r of page.requests) {
        expect(r.attacks, `request ${r.id}`).toEqual(expected.get(r.id) ?? []);
        seen.push(r.id);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(12);
  });

  it("a request's detail carries them too", () => {
    for (const [id, types] of stored()) expect(getRequestDetail(db, id).attacks).toEqual(types);
    const clean = db
      .prepare('SELECT id FROM requests WHERE id NOT IN (SELECT request_id FROM detections)')
      .get() as { id: number };
    expect(getRequestDetail(db, clean.id).attacks).toEqual([]);
  });

  it('counts one type once however many findings name it', () => {
    const [id, types] = [...stored()][0]!;
    db.prepare(
      `INSERT INTO detections (request_id, type, rule_id, source) VALUES (?, ?, 'again', 'source-label')`,
    ).run(id, types[0]);
    try {
      expect(attackTypesOf(db, [id]).get(id)).toEqual(types);
    } finally {
      db.prepare("DELETE FROM detections WHERE rule_id = 'again'").run();
    }
  });

  it('looks the page up through the detections index', () => {
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${ATTACK_TYPES_SQL}`).all('[1,2,3]') as { detail: string }[]
    ).map((r) => r.detail);
    expect(plan.join(' | ')).toMatch(/SEARCH d USING (COVERING )?INDEX detections_request/);
    expect(plan.filter((d) => /^SCAN d\b/.test(d))).toEqual([]);
  });
});
