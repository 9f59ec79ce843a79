import { describe, expect, it } from 'vitest';
import { clfTime, shot, useBrowserMode } from './harness';

/** Twelve people browsing, and one client failing fifteen logins for maria. */
function capture(): string {
  const lines: string[] = [];
  const base = Date.UTC(2026, 10, 20, 9, 0, 0);
  const ua = 'Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0';
  for (let u = 0; u < 12; u++) {
    for (let k = 0; k < 8; k++) {
      const t = new Date(base + u * 600_000 + k * (7 + ((u + k * 3) % 20)) * 1000);
      lines.push(
        `100.64.0.${u + 1} - - [${clfTime(t)}] "GET /projects/${k % 3} HTTP/1.1" 200 ${2000 + k * 10} "-" "${ua}"`,
      );
    }
  }
  for (let k = 0; k < 15; k++) {
    const t = new Date(base + 1_800_000 + k * (15 + (k % 4) * 6) * 1000);
    lines.push(`203.0.113.5 - maria [${clfTime(t)}] "POST /login HTTP/1.1" 401 120 "-" "${ua}"`);
  }
  return lines.join('\n') + '\n';
}

// The investigator finds a brute-force session by its verdict, reads why, confirms it, and
// finds the confirmation in the audit trail.
describe('session verdicts (browser mode)', () => {
  const app = useBrowserMode({ 'access.log': capture() });

  it('shows a malicious session with its reasons; a confirmation is audited', async () => {
    const { page, errors } = app.driven;
    await page.goto(app.served.url);
    await page.getByTestId('overview').waitFor();
    await page.getByRole('button', { name: 'Sessions', exact: true }).click();
    const rows = page.getByTestId('sessions').locator('.vtable-row[role="row"]');
    await rows.first().waitFor();
    const flagged = rows.filter({ has: page.locator('.verdict-malicious') });
    await flagged.first().waitFor();
    expect(await flagged.count()).toBe(1);
    await flagged.first().dblclick();

    const panel = page.getByTestId('session-verdict');
    await panel.waitFor();
    expect(await panel.getByTestId('verdict-level').innerText()).toBe('Malicious');
    expect(await panel.innerText()).toContain('Account takeover');
    expect(await panel.getByRole('listitem').allInnerTexts()).toContain(
      'Failed logins 15 vs ≤ 0 (none elsewhere)',
    );
    await panel.getByLabel('Note (optional)').fill('password spraying from a VPS');
    await panel.getByRole('button', { name: 'Confirm' }).click();
    await panel.getByTestId('verdict-review').waitFor();
    expect(await panel.getByTestId('verdict-review').innerText()).toContain(
      'Confirmed by the investigator — password spraying from a VPS',
    );
    await shot(page, '50-session-verdict');

    await page.getByRole('button', { name: 'Audit', exact: true }).click();
    await page.getByText('verdict.confirm').first().waitFor();
    expect(errors).toEqual([]);
  });
});
