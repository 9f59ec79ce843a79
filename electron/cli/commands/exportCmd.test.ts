import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENDPOINT_EXPORT_HEADER } from '../../../shared/export/endpointColumns.js';
import { EXPORT_HEADER } from '../../../shared/export/exportColumns.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { cli } from '../../../test/runCliCapture.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-cli-export-');
});
afterEach(() => ws.cleanup());

function rowsOf(file: string): string[][] {
  const text = readFileSync(file, 'utf8');
  const r = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    delimiter: ',',
    newline: '\r\n',
    skipEmptyLines: true,
  });
  expect(r.errors).toEqual([]);
  return r.data;
}

const LOG =
  [
    '10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] "GET /login HTTP/1.1" 200 512 "-" "=cmd|\' /C calc\'!A0"',
    '10.0.0.1 - - [01/Mar/2024:10:00:05 +0000] "POST /login HTTP/1.1" 302 0 "-" "=cmd|\' /C calc\'!A0"',
    '10.0.0.2 - - [01/Mar/2024:10:00:07 +0000] "GET /admin/users/42 HTTP/1.1" 403 10 "-" "curl/8"',
  ].join('\n') + '\n';

describe('export command', () => {
  it('writes the filtered requests or one session; --json reports rows, bytes and path', async () => {
    const casePath = `${ws.dir}/c.sscase`;
    expect((await cli('import', casePath, ws.file('access.log', LOG), '--json')).code).toBe(0);

    const all = `${ws.dir}/all.csv`;
    const r = await cli('export', casePath, '--out', all, '--json');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.out) as { rows: number; bytes: number; path: string };
    expect(res).toEqual({ rows: 3, bytes: readFileSync(all).length, path: all });
    const rows = rowsOf(all);
    expect(rows[0]).toEqual(EXPORT_HEADER);
    const ua = rows[0]!.indexOf('user_agent');
    expect(rows[1]![ua]).toBe("'=cmd|' /C calc'!A0");

    const some = `${ws.dir}/some.csv`;
    const f = await cli('export', casePath, '--ip', '10.0.0.1', '--status', '3xx', '--out', some);
    expect(f.code).toBe(0);
    expect(f.out).toContain('1 requests');
    expect(rowsOf(some)).toHaveLength(2);

    const sid = rows[1]![rows[0]!.indexOf('analysis_session')]!;
    const one = `${ws.dir}/one.csv`;
    expect((await cli('export', casePath, '--session', sid, '--bom', '--out', one)).code).toBe(0);
    expect(readFileSync(one).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(rowsOf(one)).toHaveLength(3);
  });

  it('writes the endpoint inventory with --endpoints, and refuses a session or filters with it', async () => {
    const casePath = `${ws.dir}/c.sscase`;
    expect((await cli('import', casePath, ws.file('access.log', LOG))).code).toBe(0);
    const out = `${ws.dir}/endpoints.csv`;
    const r = await cli('export', casePath, '--endpoints', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^3 endpoints, \d+ bytes → /);
    const rows = rowsOf(out);
    expect(rows[0]).toEqual([...ENDPOINT_EXPORT_HEADER]);
    // GET /login, POST /login, GET /admin/users/{id}: the admin one (bola 6) first.
    expect(rows.slice(1).map((row) => `${row[1]} ${row[3]} ${row[15]} ${row[16]}`)).toEqual([
      'GET /admin/users/{id} 6 Medium',
      'GET /login 5 Medium',
      'POST /login 5 Medium',
    ]);
    for (const [flag, value] of [
      ['--session', 's0000000000000000'],
      ['--status', '4xx'],
    ]) {
      const bad = await cli('export', casePath, '--endpoints', flag!, value!, '--out', out);
      expect(bad.code).toBe(1);
      expect(bad.err).toContain(
        `--endpoints exports the endpoint inventory: ${flag} filters requests`,
      );
    }
  });

  it("filters the inventory by the endpoints view's --text, --risk, --spec and --flow", async () => {
    const casePath = `${ws.dir}/c.sscase`;
    expect((await cli('import', casePath, ws.file('access.log', LOG))).code).toBe(0);
    const out = `${ws.dir}/endpoints.csv`;
    const templates = async (...flags: string[]): Promise<string[]> => {
      const r = await cli('export', casePath, '--endpoints', ...flags, '--out', out);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      return rowsOf(out)
        .slice(1)
        .map((row) => `${row[1]} ${row[3]}`);
    };
    expect(await templates('--text', 'admin')).toEqual(['GET /admin/users/{id}']);
    expect(await templates('--flow', 'Auth')).toEqual(['GET /login', 'POST /login']);
    expect(await templates('--flow', 'Auth', '--text', 'post')).toEqual(['POST /login']);
    expect(await templates('--risk', 'high')).toEqual([]);
    expect(await templates('--risk', 'Medium,Low')).toHaveLength(3);

    const badLevel = await cli('export', casePath, '--endpoints', '--risk', 'severe', '--out', out);
    expect(badLevel.code).toBe(1);
    expect(badLevel.err).toContain('--risk');
    // The inventory's own filters mean nothing to a requests export: refused, not ignored.
    for (const flag of ['--risk', '--spec']) {
      const bad = await cli('export', casePath, flag, 'x', '--out', out);
      expect(bad.code).toBe(1);
      expect(bad.err).toContain(`${flag} filters the endpoint inventory: use it with --endpoints`);
    }
  });

  it('refuses a missing --out, a bad session id and a bad filter with exit code 1', async () => {
    const casePath = `${ws.dir}/c.sscase`;
    expect((await cli('import', casePath, ws.file('access.log', LOG))).code).toBe(0);
    expect((await cli('export', casePath)).code).toBe(1);
    expect((await cli('export', casePath, '--session', 'x', '--out', `${ws.dir}/x.csv`)).code).toBe(
      1,
    );
    const missing = await cli(
      'export',
      casePath,
      '--session',
      's0000000000000000',
      '--out',
      `${ws.dir}/x.csv`,
    );
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/No session/);
    expect(
      (await cli('export', casePath, '--status', 'abc', '--out', `${ws.dir}/x.csv`)).code,
    ).toBe(1);
  });
});
