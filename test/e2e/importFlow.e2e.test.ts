import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROGRESS_STARTED, clfTime, shot, useBrowserMode } from './harness';

/** A capture big enough that progress is reported several times before the end. */
function bigCapture(lines: number): string {
  const out: string[] = [];
  const base = Date.UTC(2026, 10, 21, 0, 0, 0);
  for (let i = 0; i < lines; i++) {
    const ip = `10.1.${(i >> 8) & 255}.${i & 255}`;
    out.push(
      `${ip} - - [${clfTime(new Date(base + i * 250))}] "POST /api/v1/orders/${i}/items?x=${'a'.repeat(i % 50)} HTTP/1.1" ${i % 17 === 0 ? 503 : 201} ${1000 + (i % 900)} "https://shop.example/cart" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"`,
    );
    if (i % 5000 === 4999) out.push('garbage line that is not a request');
  }
  return out.join('\n') + '\n';
}

describe('import flow (browser mode)', () => {
  const app = useBrowserMode({});
  let file: string;
  const LINES = 120_000;

  beforeAll(() => {
    file = path.join(app.served.dir, 'big-access.log');
    writeFileSync(file, bigCapture(LINES));
  });

  it('an empty served case opens on Import; the format is detected and shown', async () => {
    const { page } = app.driven;
    await page.goto(app.served.url);
    await page.getByTestId('import-path').fill(file);
    await page.getByRole('button', { name: 'Detect format' }).click();
    await page
      .getByTestId('import-preview')
      .getByText(/Detected: /)
      .waitFor();
    await shot(page, '10-import-form');
  });

  it('in browser mode, a file can be uploaded instead of named by path', async () => {
    const { page } = app.driven;
    await page.getByTestId('import-upload').setInputFiles({
      name: 'uploaded.log',
      mimeType: 'text/plain',
      buffer: Buffer.from(bigCapture(50)),
    });
    // Wait for this file's preview, not the previous one's.
    await page
      .getByTestId('import-preview')
      .getByText(/uploaded\.log/)
      .waitFor();
    await page
      .getByTestId('import-preview')
      .getByText(/Detected: /)
      .waitFor();
    expect(await page.getByTestId('import-path').inputValue()).not.toBe(file);
    // Back to the big file by path for the progress test.
    await page.getByTestId('import-path').fill(file);
  });

  it(
    'shows progress while importing and reaches the end with a summary and rejects',
    { timeout: 180_000 },
    async () => {
      const { page } = app.driven;
      // Record every value the progress bar shows, so a fast import cannot slip past the test.
      // (Page-side code is given as text: this file is type-checked for Node, not the DOM.)
      await page.evaluate(`
        window.__progress = [];
        new MutationObserver(() => {
          const v = document.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow');
          if (v) window.__progress.push(Number(v));
        }).observe(document.body, { subtree: true, childList: true, attributes: true });
      `);
      await page.getByTestId('import-start').click();
      await page
        .locator(PROGRESS_STARTED)
        .waitFor({ timeout: 20_000 })
        .then(() => shot(page, '11-import-progress'))
        .catch(() => undefined);
      await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });
      const summary = await page.getByTestId('import-summary').innerText();
      const rejected = Math.floor(LINES / 5000);
      expect(summary).toContain((LINES + rejected).toLocaleString('en-GB'));
      expect(summary).toContain(LINES.toLocaleString('en-GB'));
      await page
        .getByTestId('rejects')
        .getByText('garbage line that is not a request')
        .first()
        .waitFor();
      const seen = (await page.evaluate('window.__progress')) as number[];
      expect(seen.length).toBeGreaterThan(0);
      expect(Math.max(...seen)).toBeGreaterThan(50);
      // One file, parsed once (no duplicate-size hashing pass): the bar never goes backwards.
      for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!);
      await shot(page, '12-import-summary');
      expect(app.driven.errors.filter((e) => !/Unknown call/.test(e))).toEqual([]);
    },
  );

  it('goes to the case overview with the new counts', async () => {
    const { page } = app.driven;
    await page.getByTestId('go-to-case').click();
    await page.getByTestId('overview').waitFor();
    await page.getByTestId('sources').getByText('big-access.log').waitFor();
    await shot(page, '13-overview-after-import');
  });
});
