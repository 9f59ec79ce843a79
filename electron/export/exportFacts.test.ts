import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import type { CaseDb } from '../store/openCase.js';
import { countExportRows, exportCsv } from './exportCsv.js';
import { EXPORT_FACTS_SQL, readExportFacts } from './exportFacts.js';
import { WHOLE_CASE_PARTS, wholeCaseRequestsSql } from './wholeCasePages.js';

const T0 = Date.UTC(2026, 4, 2, 8, 0, 0) * 1000;
const MIN = 60e6;

interface Seed {
  ts: number;
  ip: string;
  session: string | null;
  path: string;
  status: number;
  user: string | null;
}

/**
 * Three source session keys, each split in two sessions by a two-hour pause, and requests
 * without a key (ip + user agent); instants shared by several requests, some of them of
 * different keys, and some of one key, so pages end inside an instant; an attack probe; users on some requests.
 */
function seeds(): Seed[] {
  const out: Seed[] = [];
  for (let i = 0; i < 48; i++) {
    const key = i % 4;
    const late = i >= 24 ? 150 * MIN : 0;
    out.push({
      // Pairs of requests share an instant.
      ts: T0 + late + Math.floor(i / 2) * MIN,
      ip: `10.1.0.${1 + (i % 5)}`,
      session: key === 3 ? null : `sess-${key}`,
      path: i % 7 === 0 ? `/search/${i}` : i % 11 === 0 ? '/login' : `/items/${100 + i}`,
      status: i % 9 === 0 ? 500 : 200,
      user: i % 3 === 0 ? `user-${key}` : null,
    });
  }
  // Requests of one key at one instant: pages of facts end between them.
  for (const i of [8, 9, 30]) out.push({ ...out[i]!, path: `/items/${i}/again` });
  return out;
}

function insert(db: CaseDb, rows: Seed[], query: (i: number) => string | null): void {
  const src = db
    .prepare(
      `INSERT INTO sources (path_given, file_name, size_bytes, sha256, format, parser_options,
        tz_assumption, imported_at, status)
       VALUES ('seed.log', 'seed.log', 0, ?, 'seed', '{}', 'UTC', '2026-01-01T00:00:00Z', 'complete')`,
    )
    .run('0'.repeat(64)).lastInsertRowid;
  const ins = db.prepare(
    `INSERT INTO requests (source_id, line_no, ts_us, ip, method, host, path, query, status,
       user_agent, src_session, src_user)
     VALUES (?, ?, ?, ?, 'GET', 'shop.example', ?, ?, ?, 'agent', ?, ?)`,
  );
  db.transaction(() =>
    rows.forEach((r, i) =>
      ins.run(src, i + 1, r.ts, r.ip, r.path, query(i), r.status, r.session, r.user),
    ),
  )();
}

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;

beforeAll(() => {
  ws = tempWorkspace('ss-export-facts-');
  db = ws.openCase();
  insert(db, seeds(), (i) => (i === 5 ? "id=1' OR '1'='1" : null));
  rebuild(db);
  // Imported after the analysis: no facts yet, so no export lists them.
  insert(db, seeds().slice(0, 3), () => null);
});
afterAll(() => ws.cleanup());

const noPause = (): Promise<void> => Promise.resolve();

describe('an export of the whole case', () => {
  it('reads every analysed request’s facts and session as request_facts gives them', async () => {
    const want = db
      .prepare(
        `SELECT request_id, session_id, endpoint_id, user, role, outlier FROM request_facts
         ORDER BY request_id`,
      )
      .raw(true)
      .all() as number[][];
    const maxId = db.prepare('SELECT max(id) FROM requests').pluck().get() as number;
    // Pages of one fact end inside a key, inside an instant and on a session's edge.
    for (const page of [1, 2, 3, 7, 1000]) {
      const facts = await readExportFacts(db, maxId, noPause, () => false, page);
      const got: number[][] = [];
      for (let id = 0; id <= maxId; id++) {
        if (facts!.session[id]! < 0) continue;
        const user = facts!.user[id]!;
        const role = facts!.role[id]!;
        got.push([
          id,
          facts!.session[id]!,
          facts!.endpoint[id]!,
          ...[user, role].map((v) => (v < 0 ? null : v)),
          facts!.outlier[id]!,
        ] as number[]);
      }
      expect(got, `page ${page}`).toEqual(want);
      const sids = db.prepare('SELECT id, sid FROM sessions ORDER BY id').raw(true).all() as [
        number,
        string,
      ][];
      expect([...facts!.sid.entries()].sort((a, b) => a[0] - b[0])).toEqual(sids);
    }
    // Every key holds two sessions, and three requests have no facts: the test is not trivial.
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBeGreaterThanOrEqual(8);
    expect(want.length).toBe(51);
  });

  it('writes the same file as the per-row join, whatever the page size', async () => {
    for (const pageSize of [1, 2, 3, 5, 2000]) {
      const fast = path.join(ws.dir, `fast-${pageSize}.csv`);
      const joined = path.join(ws.dir, `joined-${pageSize}.csv`);
      const a = await exportCsv(db, fast, { pageSize });
      const b = await exportCsv(db, joined, { pageSize, factsById: false });
      expect(readFileSync(fast, 'utf8'), `page ${pageSize}`).toBe(readFileSync(joined, 'utf8'));
      expect(a.rows).toBe(51);
      expect(b.rows).toBe(51);
    }
    expect(countExportRows(db, {})).toBe(51);
    // The analysis's columns are filled: sessions, users, endpoints, flows and the attack.
    const text = readFileSync(path.join(ws.dir, 'fast-2000.csv'), 'utf8');
    expect(text).toMatch(/,s[0-9a-f]{16},user-0,/);
    expect(text).toMatch(/,Auth,/);
    expect(text).toMatch(/,sqli,/i);
  });

  it('reads the facts, not request_facts, when the whole case is exported', async () => {
    const other = ws.openCase('other.sscase');
    insert(other, seeds(), () => null);
    rebuild(other);
    const full = await exportCsv(other, path.join(ws.dir, 'other-full.csv'));
    // With the view emptied, only a reader that does not use it still writes every request.
    other.exec(`DROP VIEW request_facts; CREATE VIEW request_facts AS
      SELECT 0 AS session_id, ts_us, request_id, endpoint_id, ip, method, status, user, role,
        outlier, latency_z, size_z FROM keyed_facts WHERE 0`);
    const fast = await exportCsv(other, path.join(ws.dir, 'other-fast.csv'));
    const joined = await exportCsv(other, path.join(ws.dir, 'other-joined.csv'), {
      factsById: false,
    });
    expect(fast.rows).toBe(full.rows);
    expect(joined.rows).toBe(0);
  });

  it('stops reading the facts when cancelled', async () => {
    let asked = 0;
    const facts = await readExportFacts(db, 60, noPause, () => ++asked > 2, 4);
    expect(facts).toBeNull();
    expect(asked).toBe(3);
  });

  it('reads the requests and the facts by index, never sorting', () => {
    const plan = (sql: string, params: number[]): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    const params = { first: [10], sameInstant: [0, 0, 10], later: [0, 10] };
    for (const part of WHOLE_CASE_PARTS) {
      const p = plan(wholeCaseRequestsSql(db, part), params[part]);
      expect(p, part).toMatch(/requests_ts/);
      expect(p, part).not.toMatch(/\bSCAN r(?! USING INDEX requests_ts)|TEMP B-TREE FOR ORDER BY/);
    }
    for (const [table, index] of [
      ['facts', 'PRIMARY KEY'],
      ['sessions', 'INDEX sessions_key'],
    ] as const) {
      EXPORT_FACTS_SQL[table].forEach((sql, i) => {
        const p = plan(sql, [0, 0, 0, 10].slice(-1 - (sql.match(/\?/g)!.length - 1)));
        expect(p, `${table} ${i}`).not.toMatch(/TEMP B-TREE/);
        // After a cursor, each part seeks its start.
        if (i > 0) expect(p, `${table} ${i}`).toMatch(new RegExp(`SEARCH .*${index}`));
      });
    }
  });
});
