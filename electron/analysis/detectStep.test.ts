import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDb } from '../store/openCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { detectStep } from './detectStep.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

interface Req {
  path?: string;
  query?: string;
  reqBody?: string;
  cookies?: string;
  userAgent?: string;
  srcLabel?: string;
}

function seed(db: CaseDb, records: Req[]): void {
  const src = db
    .prepare(
      `INSERT INTO sources (path_given, file_name, size_bytes, sha256, format, parser_options,
        imported_at, status) VALUES ('x', 'x', 0, 'x', 'test', '{}', '2026-01-01', 'complete')`,
    )
    .run().lastInsertRowid as number;
  const insert = db.prepare(`INSERT INTO requests (source_id, line_no, ts_us, path, query,
      req_body, cookies, user_agent, src_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  records.forEach((r, i) =>
    insert.run(
      src,
      i + 1,
      i,
      r.path ?? null,
      r.query ?? null,
      r.reqBody ?? null,
      r.cookies ?? null,
      r.userAgent ?? null,
      r.srcLabel ?? null,
    ),
  );
}

interface DetRow {
  requestId: number;
  type: string;
  ruleId: string;
  location: string | null;
  param: string | null;
  start: number | null;
  end: number | null;
  basis: string | null;
  fragment: string;
  source: string;
}

function rows(db: CaseDb): DetRow[] {
  return db
    .prepare(
      `SELECT request_id AS requestId, type, rule_id AS ruleId, location, param,
        frag_start AS start, frag_end AS "end", basis, fragment, source
       FROM detections ORDER BY id`,
    )
    .all() as DetRow[];
}

describe('detectStep', () => {
  it('stores engine findings with offsets into the text they name', () => {
    const db = ws.openCase();
    seed(db, [
      { path: '/products', query: 'id=12&sort=name' },
      { path: '/item', query: 'id=1%27%20or%20%271%27%3D%271' },
      { path: '/a/../../etc/passwd', userAgent: 'sqlmap/1.7' },
    ]);
    const r = detectStep(db, { batchSize: 2 });
    expect(r).toMatchObject({ requests: 3, flaggedRequests: 2 });
    const all = rows(db);
    expect(all.some((d) => d.requestId === 1)).toBe(false);

    const sqli = all.find((d) => d.ruleId === 'sqli.tautology')!;
    expect(sqli).toMatchObject({ requestId: 2, location: 'query', param: 'id', basis: 'decoded' });
    // The decoded value is "1' or '1'='1": the fragment sits at the stored offsets.
    expect("1' or '1'='1".slice(sqli.start!, sqli.end!)).toBe(sqli.fragment);

    const trav = all.find((d) => d.ruleId === 'ptrav.dot-dot-slash')!;
    expect(trav).toMatchObject({ requestId: 3, location: 'path', basis: 'raw' });
    expect('/a/../../etc/passwd'.slice(trav.start!, trav.end!)).toBe(trav.fragment);
    expect(all.find((d) => d.ruleId === 'scanner.tool-ua')).toMatchObject({
      requestId: 3,
      location: 'ua',
      fragment: 'sqlmap',
    });
  });

  it('keeps source labels beside engine findings and skips benign labels', () => {
    const db = ws.openCase();
    seed(db, [
      { path: '/x', query: 'q=%3Cscript%3E', srcLabel: 'XSS' },
      { path: '/y', srcLabel: 'anomalous' },
      { path: '/z', srcLabel: 'normal' },
    ]);
    const r = detectStep(db);
    expect(r.sourceLabels).toBe(2);
    const all = rows(db);
    expect(all.filter((d) => d.requestId === 1).map((d) => [d.source, d.type])).toEqual([
      ['engine', 'xss'],
      ['source-label', 'xss'],
    ]);
    expect(all.find((d) => d.requestId === 2)).toMatchObject({
      source: 'source-label',
      type: 'labelled',
      fragment: 'anomalous',
      location: null,
    });
    expect(all.some((d) => d.requestId === 3)).toBe(false);
  });

  it('is idempotent and deterministic', () => {
    const db = ws.openCase();
    seed(db, [
      { path: '/x', query: 'a=%252e%252e%252f%252e%252e%252fetc' },
      { path: '/y', cookies: 'id=1 union select 1', srcLabel: 'sqli' },
    ]);
    detectStep(db);
    const first = rows(db);
    detectStep(db);
    expect(rows(db)).toEqual(first);
    expect(first.length).toBeGreaterThan(2);
  });

  it('survives hostile and malformed rows', () => {
    const db = ws.openCase();
    seed(db, [
      { path: '%E0%A4%A', query: '%%%&=&==&' + 'a'.repeat(100_000) },
      { path: '/j', reqBody: '{"a": [1, {"$where": "sleep(100)"}]' },
    ]);
    db.prepare('UPDATE requests SET headers = ? WHERE id = 1').run('{not json');
    const r = detectStep(db);
    expect(r.requests).toBe(2);
    expect(r.undecodable).toBeGreaterThan(0);
  });

  it('is removed with its request', () => {
    const db = ws.openCase();
    seed(db, [{ path: '/x', query: 'q=%3Cscript%3E' }]);
    detectStep(db);
    expect(rows(db).length).toBe(1);
    db.prepare('DELETE FROM requests').run();
    expect(rows(db).length).toBe(0);
  });
});
