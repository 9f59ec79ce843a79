import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { clfTime, shot, useBrowserMode } from './harness';

/** One client's dozen requests, five seconds apart: one session, a request per bar at most. */
function sparseFixture(): string {
  const base = Date.UTC(2026, 10, 20, 9, 0, 0);
  return (
    Array.from(
      { length: 12 },
      (_, i) =>
        `10.0.0.5 - - [${clfTime(new Date(base + i * 5_000))}] "GET /api/items/${i} HTTP/1.1" 200 512 "-" "curl/8.5.0" 0.020`,
    ).join('\n') + '\n'
  );
}

/** Each handle of the brush in `testId`'s chart: its name and the value read out with it. */
async function handles(page: Page, testId: string): Promise<(string | null)[][]> {
  const found = page.getByTestId(testId).locator('.recharts-brush-traveller');
  const out: (string | null)[][] = [];
  for (let i = 0; i < (await found.count()); i++) {
    const h = found.nth(i);
    out.push([await h.getAttribute('aria-label'), await h.getAttribute('aria-valuetext')]);
  }
  return out;
}

// What the usability review found on the charts: an axis to 4 over bars of 1, the session
// timeline's last time label cut at the edge, both brush handles read out alike, and the
// overview's count ignoring the brushed range.
describe('chart axes and brushes (browser mode)', () => {
  const app = useBrowserMode({ 'access.log': sparseFixture() });

  it('names the overview brush handles apart, and counts the brushed range', async () => {
    const { page } = app.driven;
    await page.goto(app.served.url);
    await page.getByTestId('overview').waitFor();
    const chart = page.getByTestId('requests-over-time');
    await chart.locator('.recharts-bar-rectangle').first().waitFor();
    await expect.poll(() => page.getByTestId('chart-total').textContent()).toBe('12');
    const [start, end] = await handles(page, 'requests-over-time');
    expect(start![0]).toBe('Start of the selected time range');
    expect(end![0]).toBe('End of the selected time range');
    expect(start![1]).toMatch(/^2026-11-20 09:00:00/);
    // The end handle moved left by the keyboard: the range, and the count, shrink.
    await chart.locator('.recharts-brush-traveller').nth(1).focus();
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowLeft');
    await expect
      .poll(() => page.getByTestId('chart-total').textContent())
      .toMatch(/^\d+ of 12 requests in the selected range$/);
    const n = Number(/^(\d+)/.exec((await page.getByTestId('chart-total').textContent())!)![1]);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(12);
    expect((await handles(page, 'requests-over-time'))[1]![1]).not.toBe(end![1]);
    // recharts labels a focused (or hovered) brush's handles outside them, past the chart's
    // edges where the brush starts: none is shown (the range is in the "Show …" button).
    const brushTexts = chart.locator('.recharts-brush-texts text');
    expect(await brushTexts.count()).toBe(2);
    expect([await brushTexts.nth(0).isVisible(), await brushTexts.nth(1).isVisible()]).toEqual([
      false,
      false,
    ]);
    await shot(page, 'chart-axes-overview-brushed');
    expect(app.driven.errors).toEqual([]);
  });

  it('counts the session timeline in whole requests and keeps its labels inside', async () => {
    const { page } = app.driven;
    await page.getByRole('button', { name: 'Sessions', exact: true }).click();
    await page.getByTestId('sessions').locator('.vtable-row[role="row"]').first().dblclick();
    const timeline = page.getByTestId('timeline');
    await timeline.locator('.stacked-bar').first().waitFor();
    const yTicks = await timeline.locator('.recharts-yAxis-tick-labels text').allTextContents();
    expect(yTicks).toEqual(['0', '1']);
    const [start, end] = await handles(page, 'timeline');
    expect([start![0], end![0]]).toEqual([
      'Start of the selected time range',
      'End of the selected time range',
    ]);
    // The labels shown depend on the chart's width: at each of these, none leaves the chart.
    for (let width = 1000; width <= 1440; width += 40) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(150);
      const svg = (await timeline.locator('svg.recharts-surface').first().boundingBox())!;
      const labels = timeline.locator('.recharts-xAxis-tick-labels text');
      const outside: string[] = [];
      for (let i = 0; i < (await labels.count()); i++) {
        const box = (await labels.nth(i).boundingBox())!;
        const past = box.x + box.width - (svg.x + svg.width);
        if (box.x < svg.x - 0.5 || past > 0.5) {
          outside.push(`${await labels.nth(i).textContent()} at ${Math.round(past)} px past`);
        }
      }
      expect(outside, `at ${width} px`).toEqual([]);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot(page, 'chart-axes-session');
    expect(app.driven.errors).toEqual([]);
  });
});
