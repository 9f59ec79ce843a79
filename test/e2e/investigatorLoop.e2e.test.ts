import { describe, expect, it } from 'vitest';
import { combinedFixture, shot, useBrowserMode } from './harness';

// The core loop in real Chromium against the real browser-mode server: open the case, see the
// sessions list, open a session, open a request, come back with Esc.
describe('investigator loop (browser mode)', () => {
  const app = useBrowserMode({ 'access.log': combinedFixture() });

  it('opens the served case on its overview, with counts and the source hash', async () => {
    const { page } = app.driven;
    await page.goto(app.served.url);
    await page.getByTestId('overview').waitFor();
    await page.getByTestId('sources').getByText('access.log').waitFor();
    // The token left the address bar (it is kept for the tab only).
    expect(page.url()).not.toContain('token=');
    await page
      .getByTestId('requests-over-time')
      .locator('.recharts-bar-rectangle')
      .first()
      .waitFor();
    await shot(page, '01-overview');
    const text = await page.getByTestId('sources').innerText();
    expect(text).toMatch(/[0-9a-f]{64}/);
  });

  it('lists sessions, navigates by keyboard and opens one with Enter', async () => {
    const { page } = app.driven;
    await page.getByRole('button', { name: 'Sessions', exact: true }).click();
    const rows = page.getByTestId('sessions').locator('.vtable-row[role="row"]');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThanOrEqual(3);
    await page.keyboard.press('j');
    await expect.poll(() => rows.nth(1).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('k');
    // "/" jumps to the search box; Esc leaves it without leaving the view.
    await page.keyboard.press('/');
    expect(await page.evaluate(`document.activeElement?.getAttribute('data-search')`)).toBe(
      'primary',
    );
    await page.keyboard.press('Escape');
    await page.getByTestId('sessions').locator('.vtable-scroll').focus();
    await shot(page, '02-sessions');
    await page.keyboard.press('Enter');
    await page.getByTestId('session-detail').waitFor();
    await page.getByTestId('session-header').waitFor();
    await page.getByTestId('session-requests').locator('.vtable-row[role="row"]').first().waitFor();
    await page.getByTestId('timeline').locator('.stacked-bar').first().waitFor();
    await shot(page, '03-session');
    // The chart's tooltip comes with the first pointer on it: a bucket's time and counts.
    const bar = await page.getByTestId('timeline').locator('.stacked-bar').first().boundingBox();
    await page.mouse.move(bar!.x + 2, bar!.y + bar!.height - 2);
    await page.mouse.move(bar!.x + 4, bar!.y + bar!.height - 2);
    const tip = page.getByTestId('timeline').locator('.bucket-tooltip');
    await tip.waitFor();
    expect(await tip.innerText()).toMatch(/\d{2}:\d{2}:\d{2}[\s\S]*: \d/);
  });

  it('restores the exact view from its link (the URL hash)', async () => {
    const { page } = app.driven;
    // The address bar follows the view once the page is idle (hashWriter.ts).
    await expect
      .poll(() => page.evaluate('decodeURIComponent(location.hash)'))
      .toMatch(/session=s[0-9a-f]{16}/);
    const link = page.url();
    const header = await page.getByTestId('session-header').innerText();
    await page.goto('about:blank');
    await page.goto(link);
    await page.getByTestId('session-detail').waitFor();
    expect(await page.getByTestId('session-header').innerText()).toBe(header);
  });

  it('narrows the session with "show only" and shows everything again', async () => {
    const { page } = app.driven;
    const before = await page.getByTestId('session-requests').locator('h2').innerText();
    await page.getByRole('button', { name: /^Show only 200$/ }).click();
    await page.getByTestId('filter-chips').getByText('Status: 200').waitFor();
    await expect
      .poll(() => page.getByTestId('session-requests').locator('h2').innerText())
      .not.toBe(before);
    await shot(page, '04-session-filtered');
    await page.getByTestId('show-all').click();
    await expect
      .poll(() => page.getByTestId('session-requests').locator('h2').innerText())
      .toBe(before);
  });

  it('opens a request with every field as text, and Esc goes back', async () => {
    const { page } = app.driven;
    await page.getByTestId('session-requests').locator('.vtable-scroll').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('request-details').waitFor();
    await page.getByText('user agent').waitFor();
    await shot(page, '05-request');
    await page.keyboard.press('Escape');
    await page.getByTestId('session-detail').waitFor();
    expect(app.driven.errors).toEqual([]);
  });

  it('lists endpoints and attacks', async () => {
    const { page } = app.driven;
    await page.getByRole('button', { name: 'Endpoints', exact: true }).click();
    await page.getByTestId('endpoints').locator('.vtable-row[role="row"]').first().waitFor();
    await shot(page, '07-endpoints');
    await page.getByRole('button', { name: 'Attacks', exact: true }).click();
    await page.getByTestId('attacks').waitFor();
    await page.waitForTimeout(500);
    await shot(page, '08-attacks');
    expect(app.driven.errors).toEqual([]);
  });

  it('switches to light theme, Japanese and local time', async () => {
    const { page } = app.driven;
    await page.getByRole('button', { name: 'Theme' }).click();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('light');
    await page.locator('select').filter({ hasText: 'English' }).selectOption('ja');
    await page.getByText('セッション').first().waitFor();
    await page.locator('select').filter({ hasText: 'UTC' }).first().selectOption('local');
    await page.getByRole('button', { name: 'セッション', exact: true }).click();
    await page.getByTestId('sessions').locator('.vtable-row[role="row"]').first().waitFor();
    await shot(page, '06-sessions-light-ja');
  });
});
