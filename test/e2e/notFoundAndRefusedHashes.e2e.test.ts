import { describe, expect, it } from 'vitest';
import { combinedFixture, shot, useBrowserMode } from './harness';

// Addresses typed or pasted into the open app (browser mode) that it cannot show as they are:
// a session or request the case does not hold is said to be missing, with its id, never with
// the previous one's data under it; a refused hash leaves the address bar for the view still
// shown, and its notice goes once the investigator goes elsewhere.
describe('missing items and refused hashes (browser mode)', () => {
  const app = useBrowserMode({ 'access.log': combinedFixture() });
  const MISSING_SESSION = 'sdeadbeef00000000';
  const MISSING_REQUEST = 99_999_999;

  const hash = (): Promise<string> => app.driven.page.evaluate('location.hash') as Promise<string>;
  /** Errors other than the 404s the missing items' calls answer with, which are expected. */
  const unexpectedErrors = (): string[] =>
    app.driven.errors.filter((e) => !/status of 404 \(Not Found\)/.test(e));

  it('says a session is not found, showing nothing of the session open before', async () => {
    const { page } = app.driven;
    await page.goto(app.served.url);
    await page.getByRole('button', { name: 'Sessions', exact: true }).click();
    await page.getByTestId('sessions').locator('.vtable-row[role="row"]').first().waitFor();
    await page.getByTestId('sessions').locator('.vtable-scroll').focus();
    await page.keyboard.press('Enter');
    const header = page.getByTestId('session-header');
    await header.waitFor();
    const before = await header.innerText();
    await expect.poll(hash).toMatch(/^#v=1&view=session&session=s[0-9a-f]{16}$/);

    await page.goto(`${app.served.origin}/#v=1&view=session&session=${MISSING_SESSION}`);
    const missing = page.getByTestId('session-not-found');
    await missing.waitFor();
    expect(await missing.innerText()).toContain(`There is no session ${MISSING_SESSION}`);
    expect(await page.getByTestId('session-detail').count()).toBe(0);
    expect(await header.count()).toBe(0);
    // Nothing of the previous session anywhere on the page (its key, user agent, span).
    const body = await page.locator('main').innerText();
    for (const line of before.split('\n').filter((l) => l.length > 12)) {
      expect(body).not.toContain(line);
    }
    await shot(page, 'not-found-01-session');

    await page.getByRole('button', { name: 'Go to the sessions list' }).click();
    await page.getByTestId('sessions').locator('.vtable-row[role="row"]').first().waitFor();
    await expect.poll(hash).toBe('#v=1&view=sessions');
    expect(unexpectedErrors()).toEqual([]);
  });

  it('says a request is not found in place of the request shown before', async () => {
    const { page } = app.driven;
    await page.goto(`${app.served.origin}/#v=1&view=request&request=24`);
    await page.getByTestId('request-details').waitFor();
    await page.goto(`${app.served.origin}/#v=1&view=request&request=${MISSING_REQUEST}`);
    const missing = page.getByTestId('request-not-found');
    await missing.waitFor();
    expect(await missing.innerText()).toContain(`There is no request ${MISSING_REQUEST}`);
    expect(await page.getByTestId('request-details').count()).toBe(0);
    await shot(page, 'not-found-02-request');
    // The browser's Back returns to the request before (the typed address made an entry).
    await page.goBack();
    await page.getByTestId('request-details').waitFor();
    await expect.poll(hash).toBe('#v=1&view=request&request=24');
    expect(unexpectedErrors()).toEqual([]);
  });

  it('gives the address bar back to the view shown, and drops the notice on leaving it', async () => {
    const { page } = app.driven;
    await page.getByRole('button', { name: 'Overview', exact: true }).click();
    await page.getByTestId('overview').waitFor();
    await expect.poll(hash).toBe('#v=1&view=overview');
    const entries = (await page.evaluate('history.length')) as number;

    await page.goto(`${app.served.origin}/#v=1&view=nosuchview`);
    const notice = page.getByTestId('link-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('This link cannot be opened');
    // Replaced in place: the entry the browser made for the typed hash now shows the overview.
    await expect.poll(hash).toBe('#v=1&view=overview');
    expect(await page.evaluate('history.length')).toBe(entries + 1);
    await shot(page, 'refused-01-notice');

    await page.getByRole('button', { name: 'Attacks', exact: true }).click();
    await page.getByTestId('attacks').waitFor();
    expect(await notice.count()).toBe(0);
    await expect.poll(hash).toBe('#v=1&view=attacks');
    await shot(page, 'refused-02-left');
    expect(unexpectedErrors()).toEqual([]);
  });
});
