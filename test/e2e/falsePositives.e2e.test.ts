import { describe, expect, it } from 'vitest';
import { shot, useBrowserMode } from './harness';

// False positives in real Chromium against the real browser-mode server: a finding marked a
// false positive for its attack type leaves the Attacks view, stays on its request with its
// mark, shows up as a rule in the Rules tab, and comes back when the rule is deleted; both
// changes are on the audit trail.

const line = (i: number, ip: string, req: string): string =>
  `${ip} - - [01/Mar/2024:10:${String(i).padStart(2, '0')}:00 +0000] "${req} HTTP/1.1" 200 512 "-" "Firefox"`;

const LOG =
  [
    line(1, '10.0.0.1', "GET /search?q=1'%20union%20select%20password%20from%20users--"),
    line(2, '10.0.0.2', "GET /search?q=2'%20union%20select%201,2--"),
    line(3, '10.0.0.3', 'GET /home'),
  ].join('\n') + '\n';

describe('false positives (browser mode)', () => {
  const app = useBrowserMode({ 'access.log': LOG });

  it('round trip: mark by type, gone from Attacks, kept on the request, rule deleted, back', async () => {
    const { page, errors } = app.driven;
    // The top navigation's tabs (the Attacks view also links to Rules).
    const tab = (name: string) =>
      page.getByRole('navigation', { name: 'views' }).getByRole('button', { name, exact: true });
    await page.goto(app.served.url);
    await page.getByTestId('overview').waitFor();
    await tab('Attacks').click();
    // The findings table (the view also has the "By path" groups table).
    const rows = page
      .getByTestId('attacks')
      .getByRole('grid', { name: 'Attacks', exact: true })
      .locator('.vtable-row[role="row"]');
    await rows.first().waitFor();
    await rows.first().dblclick();

    const panel = page.getByTestId('detections');
    await panel.waitFor();
    const first = panel.locator('.detection').first();
    await first.getByRole('combobox', { name: 'Applies to' }).selectOption('type');
    await first.getByRole('button', { name: 'False positive' }).click();
    await panel
      .getByText(/False positive by rule \d+/)
      .first()
      .waitFor();
    expect(
      await panel.locator('.detection[data-verdict="false_positive"]').count(),
    ).toBeGreaterThan(0);
    await shot(page, 'fp-marked');

    await tab('Attacks').click();
    await page.getByText('No attacks detected with these filters.').first().waitFor();

    await tab('Rules').click();
    const table = page.getByRole('table', { name: 'Rules' });
    await table.getByText(/type sqli — GET .*\/search — q/).waitFor();
    await table.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No rules yet.').waitFor();

    await tab('Attacks').click();
    await rows.first().waitFor();

    await tab('Audit').click();
    const trail = page.getByTestId('audit').locator('.vtable-row[role="row"]');
    await trail.filter({ hasText: 'rule.add' }).first().waitFor();
    await trail.filter({ hasText: 'rule.delete' }).first().waitFor();
    expect(errors).toEqual([]);
  });
});
