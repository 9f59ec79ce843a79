import { describe, expect, it } from 'vitest';
import { combinedFixture, shot, useBrowserMode } from './harness';

// The Settings tab in real Chromium against the real browser-mode server: a shorter inactivity
// timeout, saved, rebuilds the analysis (on the server's rebuild worker) into more sessions,
// is on the audit trail, and is what the view shows after a reload.
describe('analysis settings (browser mode)', () => {
  const app = useBrowserMode({ 'access.log': combinedFixture() });

  it('saves a shorter inactivity timeout and rebuilds into more sessions', async () => {
    const { page, errors } = app.driven;
    await page.goto(app.served.url);
    await page.getByTestId('overview').waitFor();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const view = page.getByTestId('settings');
    const timeout = view.getByLabel('Inactivity timeout (minutes)');
    expect(await timeout.inputValue()).toBe('30');
    // A number box is drawn as the app's text boxes are (app.css), not in the browser's grey.
    // (A string: the e2e files are type-checked without the DOM's types.)
    const looks = (await page.evaluate(`(() => {
      const look = (e) => {
        const c = getComputedStyle(e);
        return [c.backgroundColor, c.borderTopColor, c.borderRadius, c.color].join(' ');
      };
      const box = document.querySelector('[data-testid="settings"] input[type="number"]');
      const text = box.parentElement.appendChild(document.createElement('input'));
      text.type = 'text';
      const both = [look(box), look(text)];
      text.remove();
      return both;
    })()`)) as string[];
    expect(looks[0]).toBe(looks[1]);
    // Three clients, each back every minute: 30 s of silence now ends a session.
    await timeout.fill('0.5');
    await view.getByRole('button', { name: 'Save and rebuild' }).click();
    await view.getByText('Saved and rebuilt: 60 requests, 60 sessions', { exact: false }).waitFor();
    await shot(page, 'settings-saved');

    await page.getByRole('button', { name: 'Audit', exact: true }).click();
    await page
      .getByTestId('audit')
      .locator('.vtable-row[role="row"]')
      .filter({ hasText: /settings/ })
      .first()
      .waitFor();

    await page.reload();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    expect(await page.getByLabel('Inactivity timeout (minutes)').inputValue()).toBe('0.5');
    expect(errors).toEqual([]);
  });
});
