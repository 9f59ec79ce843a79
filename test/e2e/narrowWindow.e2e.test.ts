import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserMode } from '../../electron/server/serveBrowserMode.js';
import { clfTime, combinedFixture, launch, shot, useBrowserMode } from './harness';

/** Cells (or headers) whose text is cut: wider than the cell leaves it beside its padding. */
async function cutTexts(page: Page, selector: string): Promise<string[]> {
  // A string, evaluated in the page (this file is type-checked without the DOM's types).
  return (await page.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})]
    .filter((c) => {
      const range = document.createRange();
      range.selectNodeContents(c);
      const padding = parseFloat(getComputedStyle(c).paddingLeft) * 2;
      return range.getBoundingClientRect().width > c.clientWidth - padding + 0.5;
    })
    .map((c) => c.textContent)`)) as string[];
}

// The review's narrow windows: 1280 px (a laptop) and 1024 px, in both languages.
describe('narrow windows (browser mode)', () => {
  const app = useBrowserMode(() => {
    // A line dated years before the rest, and two that are not log lines.
    const old = `10.9.9.9 - - [${clfTime(new Date(Date.UTC(2019, 2, 1, 8)))}] "GET /old HTTP/1.1" 200 5 "-" "curl/7.0"`;
    return {
      'access.log': `${combinedFixture()}also not a log line\n`,
      'old.log': `${old}\n`,
    };
  });

  it('keeps the case name in the top bar at 1024 px', async () => {
    const { page } = app.driven;
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(app.served.url);
    await page.getByTestId('overview').waitFor();
    const name = page.getByTestId('case-name');
    const box = (await name.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(60);
    expect(await name.getAttribute('title')).toContain('case.sscase');
    await shot(page, '60-topbar-1024');
    expect(app.driven.errors).toEqual([]);
  });

  it('charts the busy range and says what lies far outside it', async () => {
    const { page } = app.driven;
    await page.setViewportSize({ width: 1280, height: 800 });
    const note = page.getByTestId('chart-outside');
    await note.waitFor();
    expect(await note.innerText()).toMatch(/left out of this chart: 1 before/);
    await page
      .getByTestId('requests-over-time')
      .locator('.recharts-bar-rectangle')
      .first()
      .waitFor();
    // The 60 requests over 20 minutes are more than a bar or two.
    expect(
      await page.getByTestId('requests-over-time').locator('.recharts-bar-rectangle').count(),
    ).toBeGreaterThan(20);
    await shot(page, '61-overview-outlier-1280');
  });

  it('focuses the rejected lines it opens: the arrow keys move at once', async () => {
    const { page } = app.driven;
    await page.getByRole('button', { name: /Rejected lines/ }).click();
    const detail = page.getByTestId('reject-detail');
    await detail.getByText(/^Line 61 /).waitFor();
    await page.keyboard.press('ArrowDown');
    await detail.getByText(/^Line 62 /).waitFor();
  });

  it('fits the sessions columns at 1280 px in English and Japanese', async () => {
    const { page } = app.driven;
    for (const locale of ['en', 'ja']) {
      if (locale === 'ja') await page.getByRole('combobox').nth(1).selectOption('ja');
      await page.locator('.tabs .tab').nth(1).click();
      const sessions = page.getByTestId('sessions');
      await sessions.locator('.vtable-row[role="row"]').first().waitFor();
      // No sideways scrolling: the grid is as wide as its view.
      const [scrollWidth, clientWidth] = (await page.evaluate(
        `(({ scrollWidth, clientWidth }) => [scrollWidth, clientWidth])(document.querySelector('[data-testid="sessions"] .vtable-scroll'))`,
      )) as [number, number];
      expect(scrollWidth, locale).toBeLessThanOrEqual(clientWidth);
      expect(await cutTexts(page, '[data-testid="sessions"] .vtable-th'), locale).toEqual([]);
      const verdicts = '[data-testid="sessions"] .vtable-row .vtable-cell:nth-child(3)';
      expect(await page.locator(verdicts).count()).toBeGreaterThan(0);
      expect(await cutTexts(page, verdicts), locale).toEqual([]);
      // Host and endpoints keep room to be read (they were 44 and 104 px: "a…", "G…"); the key
      // kind and the role give way, and the foot says so.
      const [host, endpoints] =
        locale === 'en' ? ['Host', 'Top endpoints'] : ['ホスト', 'エンドポイント'];
      const width = async (name: string): Promise<number> =>
        (await sessions.getByRole('columnheader', { name, exact: true }).boundingBox())!.width;
      expect(await width(host), locale).toBeGreaterThanOrEqual(128);
      expect(await width(endpoints), locale).toBeGreaterThanOrEqual(166);
      expect(await sessions.getByRole('columnheader').count(), locale).toBe(11);
      await sessions.getByTestId('hidden-columns').waitFor();
      await shot(page, `62-sessions-1280-${locale}`);
    }
    await page.getByRole('combobox').nth(1).selectOption('en');
    expect(app.driven.errors).toEqual([]);
  });
});

describe('no case open (browser mode)', () => {
  it('shows the start screen with no failed request in the console', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ss-e2e-nocase-'));
    const mode = await startBrowserMode({ userDataDir: path.join(dir, 'userdata'), port: 0 });
    const driven = await launch();
    try {
      await driven.page.goto(mode.server.url);
      await driven.page.getByRole('button', { name: 'Open demo case' }).waitFor();
      await driven.page.waitForTimeout(300);
      expect(driven.errors).toEqual([]);
    } finally {
      await driven.close();
      await mode.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
