import { describe, expect, it } from 'vitest';
import { combinedFixture, shot, useBrowserMode } from './harness';

// The Audit tab in real Chromium against the real browser-mode server: the served case's
// import is on the trail, with the file it came from and its counts, as text.
describe('audit trail (browser mode)', () => {
  const app = useBrowserMode({ 'access.log': combinedFixture() });

  it('lists the import of the served case from the top navigation', async () => {
    const { page, errors } = app.driven;
    await page.goto(app.served.url);
    await page.getByTestId('overview').waitFor();
    await page.getByRole('button', { name: 'Audit', exact: true }).click();
    const rows = page.getByTestId('audit').locator('.vtable-row[role="row"]');
    const importRow = rows.filter({ hasText: /^.*import.*access\.log/s }).first();
    await importRow.waitFor();
    const text = await importRow.innerText();
    expect(text).toContain('accepted: 60');
    expect(text).toContain('rejected: 1');
    expect(text).toMatch(/sha256: [0-9a-f]{64}/);
    // The rebuild serveCase ran is on the trail too, after the import.
    await rows.filter({ hasText: 'analysis.rebuild' }).first().waitFor();
    await shot(page, 'audit-trail');
    expect(errors).toEqual([]);
  });
});
