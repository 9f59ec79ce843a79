import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { SessionDetail } from '../../shared/contract/analysisApi.js';
import { ENDPOINT_EXPORT_HEADER } from '../../shared/export/endpointColumns.js';
import { EXPORT_HEADER } from '../../shared/export/exportColumns.js';
import { dispatch } from '../../electron/api/dispatch.js';
import { clfTime, shot, useBrowserMode } from './harness';

/** Spreadsheet formulas in the user agent and the user name: hostile text from the log. */
const FORMULA_UA = "=cmd|' /C calc'!A0";
const FORMULA_USER = '@SUM(A1)';

function capture(): string {
  const base = Date.UTC(2026, 10, 20, 9, 0, 0);
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const hostile = i % 2 === 0;
    const t = new Date(base + i * 15_000);
    const status = i % 4 === 0 ? 200 : 500;
    lines.push(
      hostile
        ? `10.0.0.5 - ${FORMULA_USER} [${clfTime(t)}] "GET /api/items/${i}?q=-1+1 HTTP/1.1" ${status} 512 "-" "${FORMULA_UA}"`
        : `10.0.0.9 - - [${clfTime(t)}] "GET /static/app.js HTTP/1.1" 200 99 "-" "curl/8.5.0"`,
    );
  }
  return lines.join('\n') + '\n';
}

// "Download CSV" in browser mode: the session's requests arrive as a real browser download,
// streamed from /api/export, every row there and every formula neutralized. The download is
// let through by a single-use ticket (exportTicket), never by a cookie: the browser holds none.
describe('Download CSV (browser mode)', () => {
  const app = useBrowserMode({ 'access.log': capture() });

  it('downloads the open session as CSV with every row and no live formula', async () => {
    const { page } = app.driven;
    await page.goto(app.served.url);
    await page.getByTestId('overview').waitFor();
    await page.getByRole('button', { name: 'Sessions', exact: true }).click();
    await page.getByTestId('sessions').locator('.vtable-row[role="row"]').first().waitFor();
    await page.getByTestId('sessions').locator('.vtable-scroll').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('session-header').waitFor();
    // The address bar follows the view once the page is idle (hashWriter.ts).
    const sessionOf = async (): Promise<string> => {
      const h = String(await page.evaluate('decodeURIComponent(location.hash)'));
      return /session=(s[0-9a-f]{16})/.exec(h)?.[1] ?? '';
    };
    await expect.poll(sessionOf).toMatch(/^s[0-9a-f]{16}$/);
    const sessionId = await sessionOf();
    const detail = await dispatch('getSession', { id: sessionId }, app.served.mode.backend.ctx);
    if (!detail.ok) throw new Error(detail.error.message);
    const expected = (detail.value as SessionDetail).session.matchedRequests;
    expect(expected).toBe(20);

    const box = page.getByTestId('session-detail').getByTestId('download-csv');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      box.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`case-session-${sessionId}.csv`);
    const file = await download.path();
    expect(await download.failure()).toBeNull();
    await box.getByRole('status').getByText(`${expected} rows downloaded`).waitFor();
    await shot(page, 'download-csv-session');
    // Cookies are not port-scoped: one would reach every other server on 127.0.0.1.
    expect(await page.context().cookies()).toEqual([]);
    // The download's URL carried a ticket, spent by the download: it opens nothing again.
    const used = new URL(download.url());
    expect(used.searchParams.get('ticket')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(used.searchParams.has('token')).toBe(false);
    expect((await fetch(download.url())).status).toBe(401);

    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(false);
    const parsed = Papa.parse<string[]>(text, { newline: '\r\n', skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const [header, ...rows] = parsed.data;
    expect(header).toEqual(EXPORT_HEADER);
    expect(rows).toHaveLength(expected);
    const col = (name: string): number => EXPORT_HEADER.indexOf(name);
    for (const r of rows) {
      expect(r[col('analysis_session')]).toBe(sessionId);
      expect(r[col('user_agent')]).toBe(`'${FORMULA_UA}`);
      expect(r[col('user')]).toBe(`'${FORMULA_USER}`);
      // No cell a spreadsheet would evaluate.
      for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    const times = rows.map((r) => r[col('time')]!);
    expect([...times].sort()).toEqual(times);
    expect(times[0]).toMatch(/^2026-11-20T09:00:00\.000\+00:00$/);
    expect(app.driven.errors).toEqual([]);
  });

  it('the BOM option and the in-session filter shape the download', async () => {
    const { page } = app.driven;
    const box = page.getByTestId('session-detail').getByTestId('download-csv');
    await page.getByRole('button', { name: /^Show only 500$/ }).click();
    await page.getByTestId('filter-chips').getByText('Status: 500').waitFor();
    await box.getByRole('checkbox', { name: 'BOM (for Excel)' }).check();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      box.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const text = readFileSync(await download.path(), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = Papa.parse<string[]>(text.slice(1), {
      newline: '\r\n',
      skipEmptyLines: true,
    }).data.slice(1);
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r[EXPORT_HEADER.indexOf('status')] === '500')).toBe(true);
    await box.getByRole('status').getByText('10 rows downloaded').waitFor();
    expect(app.driven.errors).toEqual([]);
  });

  it('the sessions list downloads every matching request of every matching session', async () => {
    const { page } = app.driven;
    await page.getByRole('button', { name: 'Sessions', exact: true }).click();
    const list = page.getByTestId('sessions');
    await list.locator('.vtable-row[role="row"]').first().waitFor();
    const box = list.getByTestId('download-csv');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      box.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('case-requests.csv');
    const rows = Papa.parse<string[]>(readFileSync(await download.path(), 'utf8'), {
      newline: '\r\n',
      skipEmptyLines: true,
    }).data.slice(1);
    // Both actors' sessions, all 40 requests, in time order.
    expect(rows).toHaveLength(40);
    const sessions = new Set(rows.map((r) => r[EXPORT_HEADER.indexOf('analysis_session')]));
    expect(sessions.size).toBe(2);
    const times = rows.map((r) => r[EXPORT_HEADER.indexOf('time')]!);
    expect([...times].sort()).toEqual(times);
    await box.getByRole('status').getByText('40 rows downloaded').waitFor();
    expect(app.driven.errors).toEqual([]);
  });

  it('the Endpoints view downloads the inventory it lists, searched', async () => {
    const { page } = app.driven;
    await page.getByRole('button', { name: 'Endpoints', exact: true }).click();
    const view = page.getByTestId('endpoints');
    await view.locator('.vtable-row[role="row"]').first().waitFor();
    // Two endpoints (the items and the script): the search keeps one.
    await page.getByRole('searchbox', { name: /Find endpoints/ }).fill('items');
    await expect.poll(() => view.locator('.vtable-row[role="row"]').count()).toBe(1);
    const box = view.getByTestId('download-csv');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      box.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    // Searched: the search's hash in the name (electron/export/exportFileName.ts).
    expect(download.suggestedFilename()).toMatch(/^case-endpoints-f[0-9a-f]{8}\.csv$/);
    const [header, ...rows] = Papa.parse<string[]>(readFileSync(await download.path(), 'utf8'), {
      newline: '\r\n',
      skipEmptyLines: true,
    }).data;
    expect(header).toEqual([...ENDPOINT_EXPORT_HEADER]);
    expect(rows.map((r) => `${r[1]} ${r[3]} ${r[4]}`)).toEqual(['GET /api/items/{id} 20']);
    await box.getByRole('status').getByText('1 rows downloaded').waitFor();
    await shot(page, 'download-csv-endpoints');
    expect(app.driven.errors).toEqual([]);
  });
});
