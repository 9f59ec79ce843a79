import { describe, expect, it } from 'vitest';
import type { RequestDetail } from '../../shared/contract/analysisApi.js';
import { dispatch } from '../../electron/api/dispatch.js';
import { combinedFixture, shot, useBrowserMode } from './harness';

// Moving around the app in browser mode adds history entries: Back returns through them, and
// a hash pasted into the address bar of the open app shows its view.
describe('history (browser mode)', () => {
  // Its sqlmap requests are findings in Attacks.
  const app = useBrowserMode({ 'access.log': combinedFixture() });

  const hash = (): Promise<string> => app.driven.page.evaluate('location.hash') as Promise<string>;
  const activeTab = (): Promise<string | null> =>
    app.driven.page.evaluate(
      `document.querySelector('.tabs [aria-current="page"]')?.textContent ?? null`,
    ) as Promise<string | null>;

  it('goes Overview → Attacks → a request, and Back twice lands on the Overview', async () => {
    const { page } = app.driven;
    await page.goto(app.served.url);
    await page.getByTestId('overview').waitFor();
    await page.getByTestId('sources').getByText('access.log').waitFor();
    await expect.poll(hash).toBe('#v=1&view=overview');

    await page.getByRole('button', { name: 'Attacks', exact: true }).click();
    // The findings table (the view also has the "By path" groups table).
    const table = page.getByTestId('attacks').getByRole('grid', { name: 'Attacks', exact: true });
    const findings = table.locator('.vtable-row[role="row"]');
    await findings.first().waitFor();
    await table.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('request-details').waitFor();
    await expect.poll(hash).toMatch(/^#v=1&view=request&request=\d+$/);
    // Opened from Attacks: no tab claims it.
    expect(await activeTab()).toBeNull();
    await shot(page, 'history-01-request');

    await page.goBack();
    await page.getByTestId('attacks').waitFor();
    await findings.first().waitFor();
    expect(await activeTab()).toBe('Attacks');
    expect(await hash()).toBe('#v=1&view=attacks');
    await page.goBack();
    await page.getByTestId('overview').waitFor();
    await page.getByTestId('sources').getByText('access.log').waitFor();
    expect(await activeTab()).toBe('Overview');
    expect(await page.getByTestId('request-details').count()).toBe(0);
    // Still the app: Back stayed in this page and its case.
    expect(new URL(page.url()).origin).toBe(app.served.origin);
    expect(app.driven.errors).toEqual([]);
  });

  it('shows the request of a hash pasted into the address bar of the open app', async () => {
    const { page } = app.driven;
    const r = await dispatch('getRequest', { id: 24 }, app.served.mode.backend.ctx);
    if (!r.ok) throw new Error(r.error.message);
    const path = (r.value as RequestDetail).path;
    if (path === null) throw new Error('request 24 has no path');
    // As typed into the address bar: the same page with another hash (no reload).
    await page.goto(`${app.served.origin}/#v=1&view=request&request=24`);
    const details = page.getByTestId('request-details');
    await details.waitFor();
    await details.getByText(path, { exact: true }).first().waitFor();
    await shot(page, 'history-02-pasted');
    // Back returns to the view the hash replaced.
    await page.goBack();
    await page.getByTestId('overview').waitFor();
    expect(app.driven.errors).toEqual([]);
  });
});
