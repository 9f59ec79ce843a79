import { describe, expect, it } from 'vitest';
import { shot, useBrowserMode } from './harness';

// An auditor replays the demo case's busiest session: steps, plays at speed, pauses.
describe('session replay (browser mode, demo case)', () => {
  const app = useBrowserMode({});

  it(
    'walks the requests in time order, marking the current one in the table and on the timeline',
    { timeout: 240_000 },
    async () => {
      const { page } = app.driven;
      await page.goto(app.served.url);
      await page.getByRole('button', { name: 'Sessionscope' }).click();
      await page.getByRole('button', { name: 'Open demo case' }).click();
      await page.getByTestId('overview').waitFor({ timeout: 200_000 });
      await page.getByRole('button', { name: 'Sessions', exact: true }).click();
      const rows = page.getByTestId('sessions').locator('.vtable-row[role="row"]');
      await rows.first().waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Requests', exact: true }).click();
      await page.waitForTimeout(500);
      await rows.first().dblclick();
      await page.getByTestId('session-detail').waitFor();
      await page.getByTestId('timeline').locator('.stacked-bar').first().waitFor();

      const bar = page.getByRole('toolbar', { name: 'Replay' });
      const position = bar.getByTestId('replay-position');
      const selected = page.getByTestId('session-requests').locator('.vtable-row.selected');
      const at = async (): Promise<number> =>
        Number(/^(\d[\d,]*) of/.exec(await position.innerText())![1]!.replace(/,/g, ''));
      expect(await at()).toBe(1);
      const firstId = await selected.getAttribute('id');

      // Keyboard inside the bar: → steps forward twice, ← back once.
      await bar.getByRole('button', { name: 'Next request' }).focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowLeft');
      await expect.poll(at).toBe(2);
      expect(await selected.getAttribute('id')).not.toBe(firstId);
      // A vertical line has no width, so Playwright calls it hidden: wait for it attached.
      const marker = page.getByTestId('timeline').locator('.replay-marker line');
      await marker.waitFor({ state: 'attached' });
      const markerX = async (): Promise<number> => Number(await marker.getAttribute('x1'));
      const startX = await markerX();

      // Play at 600× with Space; the replay moves on by itself and the table follows.
      await bar.getByRole('combobox', { name: 'Replay speed' }).selectOption('600');
      await bar.getByTestId('replay-toggle').focus();
      await page.keyboard.press(' ');
      await expect.poll(at, { timeout: 20_000 }).toBeGreaterThanOrEqual(30);
      await shot(page, '40-replay-playing');
      await page.keyboard.press(' ');
      await bar.getByRole('button', { name: 'Play' }).waitFor();
      const paused = await at();
      await page.waitForTimeout(800);
      expect(await at()).toBe(paused);

      // The current row is scrolled into the table's view, far below the first screen.
      const scroller = page.getByTestId('session-requests').locator('.vtable-scroll');
      const view = (await scroller.boundingBox())!;
      const row = (await selected.boundingBox())!;
      expect(row.y).toBeGreaterThanOrEqual(view.y);
      expect(row.y + row.height).toBeLessThanOrEqual(view.y + view.height + 1);
      // …and in the window, though the table starts below the fold on this screen.
      const win = page.viewportSize()!;
      expect(row.y).toBeGreaterThanOrEqual(0);
      // Sub-pixel layout can put the row's bottom a fraction past the edge: allow one pixel.
      expect(row.y + row.height).toBeLessThanOrEqual(win.height + 1);
      expect(
        await scroller.evaluate((el) => (el as unknown as { scrollTop: number }).scrollTop),
      ).toBeGreaterThan(0);
      // The marker moved along the timeline with the replay (time only grows).
      expect(await markerX()).toBeGreaterThanOrEqual(startX);
      await shot(page, '41-replay-paused');
      expect(app.driven.errors).toEqual([]);
    },
  );
});
