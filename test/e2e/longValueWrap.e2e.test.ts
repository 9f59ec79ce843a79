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
});
