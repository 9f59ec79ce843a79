import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { writeState } from '../analysis/settingsRepo.js';
import type { CaseDb } from '../store/openCase.js';
import type { Filters } from '../../shared/query/filterModel.js';
import { factsWhereWithMaps } from '../query/filterSql.js';
import { countExportRows, exportCsv } from './exportCsv.js';
import { exportFactsSql, readExportFacts, type ExportFacts } from './exportFacts.js';
import { EXPORT_ID_SQL, exportRowsByIdSql, wholeCasePages } from './wholeCasePages.js';

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

/** Filters of every kind the export takes, each matching some requests and not others. */
function filterCases(): Filters[] {
  return [
    {},
    { statuses: ['5xx'] },
    { ips: ['10.1.0.2'] },
    { users: ['user-1'] },
    { text: 'again' },
    { from: T0 + 5 * MIN, to: T0 + 160 * MIN },
    { methods: ['GET'], flows: ['Auth'] },
    { attackTypes: ['sqli'] },
    { users: ['nobody'] },
  ];
}

/** What readExportFacts must give: request_facts under the filter, by request id. */
function wantedFacts(filters: Filters): number[][] {
  const where = factsWhereWithMaps(db, filters);
  return db
    .prepare(
      `SELECT request_id, session_id, endpoint_id, user, role, outlier FROM request_facts f
       WHERE ${where.sql} ORDER BY request_id`,
    )
    .raw(true)
    .all(...where.params) as number[][];
}

function gotFacts(facts: ExportFacts, maxId: number): number[][] {
  const got: number[][] = [];
  for (let id = 0; id <= maxId; id++) {
    const session = facts.session[id]!;
    if (session < 0) continue;
    const nullable = (v: number): number | null => (v < 0 ? null : v);
    got.push([
      id,
      session,
      facts.endpoint[id]!,
      nullable(facts.user[id]!),
      nullable(facts.role[id]!),
      facts.outlier[id]!,
    ] as number[]);
  }
  return got;
}

const maxId = (): number => db.prepare('SELECT max(id) FROM requests').pluck().get() as number;

describe('an export of the whole case', () => {
  it('reads the matching requests’ facts and sessions as request_facts gives them', async () => {
    for (const filters of filterCases()) {
      const want = wantedFacts(filters);
      // Ranges of one session and of a few, and all at once.
      for (const chunk of [1, 3, 7, 1000]) {
        const where = factsWhereWithMaps(db, filters);
        const facts = (await readExportFacts(db, where, maxId(), noPause, () => false, chunk))!;
        const label = `${JSON.stringify(filters)}, chunk ${chunk}`;
        expect(gotFacts(facts, maxId()), label).toEqual(want);
        const sessions = new Set(want.map((w) => w[1]!));
        const sids = db.prepare('SELECT id, sid FROM sessions ORDER BY id').raw(true).all() as [
          number,
          string,
        ][];
        expect(
          [...facts.sid.entries()].sort((a, b) => a[0] - b[0]),
          label,
        ).toEqual(sids.filter(([id]) => sessions.has(id)));
      }
    }
    // Every key holds two sessions, and three requests have no facts: the test is not trivial.
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBeGreaterThanOrEqual(8);
    expect(wantedFacts({})).toHaveLength(51);
    // Each filter but the first and last matches some requests and leaves others out.
    const counts = filterCases().map((f) => wantedFacts(f).length);
    expect(counts[0]).toBe(51);
    expect(counts.at(-1)).toBe(0);
    for (const n of counts.slice(1, -1)) expect(n > 0 && n < 51, `${counts}`).toBe(true);
  });

  it('writes the same file as the per-row join, under any filter, whatever the page size', async () => {
    for (const filters of filterCases()) {
      for (const pageSize of [1, 2, 5, 2000]) {
        const fast = path.join(ws.dir, `fast.csv`);
        const joined = path.join(ws.dir, `joined.csv`);
        const a = await exportCsv(db, fast, { filters, pageSize });
        const b = await exportCsv(db, joined, { filters, pageSize, factsById: false });
        const label = `${JSON.stringify(filters)}, page ${pageSize}`;
        expect(readFileSync(fast, 'utf8'), label).toBe(readFileSync(joined, 'utf8'));
        expect(a.rows, label).toBe(b.rows);
        expect(a.rows, label).toBe(countExportRows(db, { filters }));
      }
    }
    // The analysis's columns are filled: sessions, users, endpoints, flows and the attack.
    await exportCsv(db, path.join(ws.dir, 'all.csv'));
    const text = readFileSync(path.join(ws.dir, 'all.csv'), 'utf8');
    expect(text).toMatch(/,s[0-9a-f]{16},user-0,/);
    expect(text).toMatch(/,Auth,/);
    expect(text).toMatch(/,sqli,/i);
  });

  it('pages under a filter few requests match: a page may hold none, and the next goes on', async () => {
    const where = factsWhereWithMaps(db, { statuses: ['5xx'] });
    const facts = (await readExportFacts(db, where, maxId(), noPause, () => false))!;
    const pages = wholeCasePages(db, facts, 2, 3);
    const ids: number[] = [];
    let empty = 0;
    for (let page = pages(); ; page = pages()) {
      if (page.rows.length === 0) empty++;
      expect(page.rows.length).toBeLessThanOrEqual(2);
      ids.push(...page.rows.map((r) => r.id));
      if (page.done) break;
    }
    const want = db
      .prepare(
        `SELECT r.id FROM requests r JOIN request_facts f ON f.request_id = r.id
         WHERE ${where.sql} ORDER BY r.ts_us, r.id`,
      )
      .pluck()
      .all(...where.params);
    expect(ids).toEqual(want);
    expect(empty).toBeGreaterThan(0);
  });

  it('reads the facts, not request_facts row by row, when the whole case is exported', async () => {
    const other = ws.openCase('other.sscase');
    insert(other, seeds(), () => null);
    rebuild(other);
    const full = await exportCsv(other, path.join(ws.dir, 'other-full.csv'));
    // Each request's facts found by its id (as the join does) now find nothing.
    other.exec('DROP INDEX facts_request');
    other.exec('CREATE INDEX facts_request ON keyed_facts (request_id) WHERE request_id < 0');
    const fast = await exportCsv(other, path.join(ws.dir, 'other-fast.csv'));
    const joined = await exportCsv(other, path.join(ws.dir, 'other-joined.csv'), {
      factsById: false,
    });
    expect(fast.rows).toBe(full.rows);
    expect(readFileSync(path.join(ws.dir, 'other-fast.csv'), 'utf8')).toBe(
      readFileSync(path.join(ws.dir, 'other-full.csv'), 'utf8'),
    );
    expect(joined.rows).toBe(full.rows);
  });

  it('reads one analysis: a rebuild that ends meanwhile starts the reading over', async () => {
    const other = ws.openCase('rebuilt.sscase');
    insert(other, seeds(), () => null);
    rebuild(other);
    const where = factsWhereWithMaps(other, {});
    const top = other.prepare('SELECT max(id) FROM requests').pluck().get() as number;
    // A request of the first range read (the first session's).
    const early = other
      .prepare(
        'SELECT request_id FROM request_facts WHERE session_id = (SELECT min(id) FROM sessions)',
      )
      .pluck()
      .get() as number;
    let pauses = 0;
    const rebuildOnce = (): Promise<void> => {
      // As a rebuild committing on another connection would: new facts, a new rebuilt_at.
      if (++pauses === 1) {
        other.prepare('UPDATE keyed_facts SET outlier = 3 WHERE request_id = ?').run(early);
        writeState(other, 'rebuilt_at', '2099-01-01T00:00:00.000Z');
      }
      return Promise.resolve();
    };
    const facts = (await readExportFacts(other, where, top, rebuildOnce, () => false, 3))!;
    expect(facts.outlier[early]).toBe(3);
    expect(pauses).toBeGreaterThan(2);

    let n = 0;
    const rebuildAlways = (): Promise<void> => {
      writeState(other, 'rebuilt_at', `2099-01-01T00:00:00.${String(++n).padStart(3, '0')}Z`);
      return Promise.resolve();
    };
    // Once the facts are read, a rebuild ends the export: its rows would mix two analyses.
    const pages = wholeCasePages(other, facts, 4);
    expect(pages().rows).toHaveLength(4);
    writeState(other, 'rebuilt_at', '2099-01-02T00:00:00.000Z');
    expect(() => pages()).toThrow(expect.objectContaining({ code: 'BUSY' }));

    await expect(
      readExportFacts(other, where, top, rebuildAlways, () => false, 3),
    ).rejects.toMatchObject({
      code: 'BUSY',
    });
    expect(n).toBe(3);
  });

  it('stops reading the facts when cancelled', async () => {
    let asked = 0;
    const where = factsWhereWithMaps(db, {});
    const facts = await readExportFacts(db, where, maxId(), noPause, () => ++asked > 2, 4);
    expect(facts).toBeNull();
    expect(asked).toBe(3);
  });

  it('reads the ids, the rows and the facts by index, never sorting', () => {
    const plan = (sql: string, params: unknown[]): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    const ids = {
      first: plan(EXPORT_ID_SQL.first, [10]),
      sameInstant: plan(EXPORT_ID_SQL.sameInstant, [0, 0, 10]),
      later: plan(EXPORT_ID_SQL.later, [0, 10]),
    };
    for (const [part, p] of Object.entries(ids)) {
      expect(p, part).toMatch(/COVERING INDEX requests_ts/);
      expect(p, part).not.toMatch(/TEMP B-TREE/);
    }
    expect(plan(exportRowsByIdSql(db), ['[1,2]'])).toMatch(
      /SEARCH r USING INTEGER PRIMARY KEY \(rowid=\?\)/,
    );
    const where = factsWhereWithMaps(db, { statuses: ['5xx'] });
    const facts = plan(exportFactsSql(where.sql), [1, 5, ...where.params]);
    // Sessions sought by id (in the range, or among those the filter names), never all read
    // for every range; their facts by key and time.
    expect(facts).toMatch(/SEARCH fs USING INTEGER PRIMARY KEY \(rowid/);
    expect(facts).toMatch(/SEARCH f USING PRIMARY KEY \(key_id=\?/);
    expect(facts).not.toMatch(/\bSCAN (fs|f|sessions|keyed_facts)\b|TEMP B-TREE/);
    const all = factsWhereWithMaps(db, {});
    expect(plan(exportFactsSql(all.sql), [1, 5, ...all.params])).toMatch(
      /SEARCH fs USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/,
    );
  });
});
