import { afterAll, describe, expect, it } from 'vitest';
import { filtersSchema } from '../../shared/query/filterModel.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { factsWhere } from '../query/filterSql.js';
import type { CaseDb } from '../store/openCase.js';
import { importSource } from './importSource.js';

// Request lines whose payload used to be thrown away (after '#') or left unparsed (a target
// with spaces), and a URL whose credentials used to become part of the host.
const LINES = [
  `"GET /a?x=1#<script>alert(1)</script> HTTP/1.1"`,
  `"GET /search?q=' OR 1=1-- HTTP/1.1"`,
  `"GET /p?q=<script>alert(1)</script> x HTTP/1.1"`,
  `"GET /b#' UNION SELECT password FROM users-- HTTP/1.1"`,
  `"GET https://user:pass@x.example/cred HTTP/1.1"`,
  `"GET /plain HTTP/1.1"`,
].map(
  (req, i) => `203.0.113.7 - - [10/Oct/2024:13:55:3${i} +0200] ${req} 200 512 "-" "Mozilla/5.0"`,
);

/** Line numbers of the requests the free-text filter finds for `text`. */
function found(db: CaseDb, text: string): number[] {
  const where = factsWhere(db, filtersSchema.parse({ text }));
  return (
    db
      .prepare(
        `SELECT r.line_no AS l FROM request_facts f JOIN requests r ON r.id = f.request_id
         WHERE ${where.sql} ORDER BY 1`,
      )
      .all(...where.params) as { l: number }[]
  ).map((r) => r.l);
}

describe('a request target’s payload, imported and analysed', () => {
  const ws = tempWorkspace('ss-targets-');
  afterAll(() => ws.cleanup());

  it('is detected, found by the free-text filter, and kept out of endpoint names', async () => {
    const db = ws.openCase();
    const r = await importSource(
      db,
      ws.file('access.log', LINES.join('\n') + '\n'),
      {},
      {
        workerFile: false,
      },
    );
    expect([r.accepted, r.rejected]).toEqual([LINES.length, 0]);
    rebuild(db);

    const types = (line: number): string[] =>
      (
        db
          .prepare(
            `SELECT DISTINCT d.type FROM detections d JOIN requests r ON r.id = d.request_id
             WHERE r.line_no = ? ORDER BY 1`,
          )
          .all(line) as { type: string }[]
      ).map((d) => d.type);
    expect(types(1)).toContain('xss'); // after '#', in the query
    expect(types(2)).toContain('sqli'); // a target with spaces
    expect(types(3)).toContain('xss');
    expect(types(4)).toContain('sqli'); // after '#', in the path
    expect(types(6)).toEqual([]);

    expect(found(db, '<script>alert(1)')).toEqual([1, 3]);
    expect(found(db, "' OR 1=1--")).toEqual([2]);
    expect(found(db, 'UNION SELECT password')).toEqual([4]);

    // The fragment is no part of an endpoint; the credentials are in no endpoint or host.
    const endpoints = db.prepare('SELECT method, host, template FROM endpoints').all() as {
      method: string;
      host: string;
      template: string;
    }[];
    expect(endpoints.map((e) => e.template)).toContain('/b');
    expect(endpoints.map((e) => e.template)).toContain('/a');
    expect(endpoints.find((e) => e.template === '/cred')?.host).toBe('x.example');
    expect(JSON.stringify(endpoints)).not.toContain('pass');
    expect(JSON.stringify(endpoints)).not.toContain('#');
    const cred = db.prepare('SELECT host, extra FROM requests WHERE line_no = 5').get() as {
      host: string;
      extra: string;
    };
    expect(cred.host).toBe('x.example');
    expect(JSON.parse(cred.extra)).toEqual({ userinfo: 'user:pass' });
    db.close();
  });
});
