import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumLaunchOptions } from './chromium';

const CSS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../renderer/styles/app.css',
);

// A scanner's query of ./././… has no letters to break between: `word-break: break-all` alone
// left the request page's fields 11,000 px wide, under the Detections panel.
describe('log values wrap inside their panel in Chromium', () => {
  it('breaks a long run of punctuation in fields and detection evidence', async () => {
    const { executablePath, args } = chromiumLaunchOptions();
    const browser = await chromium.launch({ executablePath, args });
    try {
      const page = await browser.newPage();
      const value = '/index.php?link=' + './'.repeat(800) + '&amp;tmpl=component';
      await page.setContent(
        `<style>${readFileSync(CSS, 'utf8')}</style><div style="width:600px">` +
          `<table class="kv"><tr><th>query</th><td class="mono">${value}</td></tr></table>` +
          `<div class="mono small muted highlighted">${value}</div></div>`,
      );
      const widths = await page.evaluate(
        '[document.querySelector("table").scrollWidth, document.querySelector(".highlighted").scrollWidth]',
      );
      expect(widths).toEqual([600, 600]);
    } finally {
      await browser.close();
    }
  });

  // A header name from the log, hundreds of characters long: unwrapped (the names' column is
  // `nowrap`) it pushed the table out of its panel and squeezed each value to a letter a line.
  it('wraps a long name past its cap and leaves its value the rest of the row', async () => {
    const { executablePath, args } = chromiumLaunchOptions();
    const browser = await chromium.launch({ executablePath, args });
    try {
      const page = await browser.newPage();
      // As KeyValueTable draws a row.
      const row = (name: string, value: string): string =>
        `<tr><th scope="row" class="mono"><span class="kv-key">${name}</span></th>` +
        `<td class="mono">${value}</td></tr>`;
      await page.setContent(
        `<style>${readFileSync(CSS, 'utf8')}</style><div style="width:600px"><table class="kv">` +
          row('x-' + 'very-long-hostile-header-name-'.repeat(10) + 'end', 'first value') +
          row('X'.repeat(400), 'second value') +
          row('request bytes', '5,287') +
          row('x', '1') +
          `</table></div>`,
      );
      const sizes = (await page.evaluate(`(() => {
        const rows = [...document.querySelectorAll('tr')];
        return {
          table: document.querySelector('table').scrollWidth,
          names: rows.map((r) => r.querySelector('th').getBoundingClientRect().width),
          values: rows.map((r) => r.querySelector('td').getBoundingClientRect().width),
          keyHeights: rows.map((r) => r.querySelector('.kv-key').getBoundingClientRect().height),
        };
      })()`)) as { table: number; names: number[]; values: number[]; keyHeights: number[] };
      expect(sizes.table).toBe(600);
      // The names' column stops at its cap (24 monospace letters and the padding), and each
      // value has the rest of the row, not a letter's width.
      for (const w of sizes.names) expect(w).toBeLessThan(220);
      for (const w of sizes.values) expect(w).toBeGreaterThan(380);
      // A short name stays on one line, as tall as a one-letter one; the long ones wrap.
      expect(sizes.keyHeights[2]).toBe(sizes.keyHeights[3]);
      expect(sizes.keyHeights[0]).toBeGreaterThan(5 * sizes.keyHeights[3]!);
      expect(sizes.keyHeights[1]).toBeGreaterThan(5 * sizes.keyHeights[3]!);
    } finally {
      await browser.close();
    }
  });
});
