import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/api/dispatch.js';
import type { CaseInfo, Page, RequestInfo } from '../../shared/contract/caseApi.js';
import { shot, useBrowserMode, type Driven } from './harness';

/**
 * A header-less CSV export: ip, CLF time without zone, request line, status, response size. The
 * size column is not recognisable from its values, and one row has a time that does not parse.
 */
const CSV =
  [
    '203.0.113.9,[10/Oct/2024:13:55:36,GET /a HTTP/1.1,200,4096',
    '203.0.113.10,[10/Oct/2024:13:55:37,GET /b HTTP/1.1,404,1043',
    '203.0.113.9,[10/Oct/2024:13:55:38,POST /c HTTP/1.1,500,88',
    '203.0.113.9,not-a-time,GET /d HTTP/1.1,200,7',
  ].join('\n') + '\n';

async function selectValues(driven: Driven): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < 5; i++) out.push(await driven.page.getByTestId(`csv-map-${i}`).inputValue());
  return out;
}

describe('CSV column mapping (browser mode)', () => {
  const app = useBrowserMode({});
  let file: string;

  beforeAll(() => {
    file = path.join(app.served.dir, 'export.csv');
    writeFileSync(file, CSV);
  });

  it('shows the mapping table for a header-less CSV, with the columns recognised by content', async () => {
    const { page } = app.driven;
    await page.goto(app.served.url);
    await page.getByTestId('import-path').fill(file);
    await page.getByRole('button', { name: 'Detect format' }).click();
    await page.getByTestId('csv-mapping').waitFor();
    expect(await selectValues(app.driven)).toEqual(['ip', 'timestamp', 'url', 'status', 'extra']);
    await page.getByTestId('csv-mapping').getByText('[10/Oct/2024:13:55:37').waitFor();
  });

  it('a mapping without a time column is refused before Start, and fixing it re-enables Start', async () => {
    const { page } = app.driven;
    const start = page.getByTestId('import-start');
    await page.getByTestId('csv-map-1').selectOption('extra');
    await page
      .getByTestId('csv-problem')
      .getByText(/No column gives the request time/)
      .waitFor();
    expect(await start.isDisabled()).toBe(true);

    await page.getByTestId('csv-map-1').selectOption('timestamp');
    await page.getByTestId('csv-map-4').selectOption('resp_bytes');
    await page.getByTestId('csv-problem').waitFor({ state: 'detached' });
    // The table and the free-text column map are one setting.
    expect(await page.getByPlaceholder(/client_ip=ip/).inputValue()).toBe(
      '1=timestamp\n4=resp_bytes',
    );
    await page.locator('[data-testid="import-start"]:enabled').waitFor({ timeout: 5_000 });
    // The backend's preview of the sample rows names the row it would reject.
    await page
      .getByTestId('csv-sample-rejects')
      .getByText(/1 of 4 sample rows/)
      .waitFor();
    await shot(page, '20-csv-mapping');
  });

  it('imports with that mapping: the summary counts, and the sizes land in resp_bytes', async () => {
    const { page } = app.driven;
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 30_000 });
    const cells = await page
      .getByTestId('import-summary')
      .locator('tbody tr')
      .first()
      .locator('td')
      .allInnerTexts();
    // file, format, lines, accepted, rejected
    expect(cells.slice(0, 5)).toEqual(['export.csv', 'csv', '4', '3', '1']);
    await page
      .getByTestId('rejects')
      .getByText(/not-a-time/)
      .first()
      .waitFor();
    await shot(page, '21-csv-import-summary');

    const r = await dispatch('listRequests', {}, app.served.mode.backend.ctx);
    if (!r.ok) throw new Error(r.error.message);
    const { items } = r.value as Page<RequestInfo>;
    expect(items.map((x) => [x.path, x.status, x.respBytes]).sort()).toEqual([
      ['/a', 200, 4096],
      ['/b', 404, 1043],
      ['/c', 500, 88],
    ]);
    expect(app.driven.errors.filter((e) => !/Unknown call/.test(e))).toEqual([]);
  });

  it('a file dropped on the form is uploaded and previewed like a chosen one', async () => {
    const { page } = app.driven;
    await page.getByRole('button', { name: 'Import another file' }).click();
    const zone = page.getByTestId('import-drop');
    await zone.waitFor();
    // Page-side code as text: this file is type-checked for Node, not the DOM.
    await page.evaluate(`(() => {
      const zone = document.querySelector('[data-testid="import-drop"]');
      const dt = new DataTransfer();
      dt.items.add(new File([${JSON.stringify(CSV)}], 'dropped.csv', { type: 'text/csv' }));
      zone.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
      zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    })()`);
    await page
      .getByTestId('import-preview')
      .getByText(/dropped\.csv/)
      .waitFor();
    await page.getByTestId('csv-mapping').waitFor();
    expect(await page.getByTestId('import-path').inputValue()).not.toBe(file);
  });

  it('several files uploaded at once are imported together, the first previewed', async () => {
    const { page } = app.driven;
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const log = (ip: string, day: number) =>
      `${ip} - - [${day}/Oct/2024:13:55:36 +0000] "GET /day/${day} HTTP/1.1" 200 5 "-" "curl/8"\n`;
    const files = [10, 11, 12].map((day) => {
      const p = path.join(app.served.dir, `access.log.${day}`);
      writeFileSync(p, log('198.51.100.7', day) + log('198.51.100.8', day));
      return p;
    });
    await page.getByTestId('import-upload').setInputFiles(files);
    const more = page.getByTestId('import-more');
    await more.waitFor();
    expect(await more.locator('li .mono').allTextContents()).toEqual([
      'access.log.11',
      'access.log.12',
    ]);
    await page
      .getByTestId('import-preview')
      .getByText(/access\.log\.10/)
      .waitFor();
    await page.getByTestId('import-start').click();
    const summary = page.getByRole('table');
    await summary.getByText('access.log.12').waitFor({ timeout: 60_000 });
    expect(await summary.locator('tbody tr').count()).toBe(3);
    const r = await dispatch('getCaseInfo', {}, app.served.mode.backend.ctx);
    if (!r.ok) throw new Error(r.error.message);
    const { sources } = r.value as CaseInfo;
    expect(
      sources
        .filter((x) => x.fileName.startsWith('access.log.'))
        .map((x) => [x.fileName, x.accepted]),
    ).toEqual([
      ['access.log.10', 2],
      ['access.log.11', 2],
      ['access.log.12', 2],
    ]);
    await shot(page, 'import-several-files');
  });
});
