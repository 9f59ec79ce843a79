import { describe, expect, it } from 'vitest';
import { clfTime, shot, useBrowserMode } from './harness';

/** A capture whose every attacker-controlled field tries to become markup or script. */
function xssCapture(): string {
  const payloads = [
    '<script>window.__pwned=1</script>',
    '<img src=x onerror="window.__pwned=2">',
    '"><svg onload=window.__pwned=3>',
    'javascript:window.__pwned=4',
    "';alert(5);//",
    '<iframe srcdoc="<script>parent.__pwned=6</script>">',
  ];
  const base = Date.UTC(2026, 10, 22, 12, 0, 0);
  return (
    payloads
      .map((p, i) => {
        const enc = encodeURIComponent(p);
        const ua = p.replace(/"/g, '\\"');
        return `10.6.6.${i} - ${enc} [${clfTime(new Date(base + i * 1000))}] "GET /${p.startsWith('javascript:') ? p : enc}?q=${enc} HTTP/1.1" 200 ${100 + i} "${ua}" "${ua}"`;
      })
      .join('\n') +
    '\n' +
    // And one raw reject line full of markup, for the rejects viewer.
    '<script>window.__pwned=7</script><img src=x onerror=alert(8)>\n'
  );
}

describe('security (browser mode)', () => {
  const app = useBrowserMode({ 'xss.log': xssCapture() });

  it('refuses API calls without the token, and with a wrong one', async () => {
    const none = await fetch(`${app.served.origin}/api/call/getAppInfo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(none.status).toBe(401);
    const wrong = await fetch(`${app.served.origin}/api/call/getCaseInfo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sessionscope-token': 'nope' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
    const body = (await wrong.json()) as { ok: boolean; error: { code: string } };
    expect(body).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('the page without a token cannot read the case', async () => {
    const { page } = app.driven;
    await page.goto(`${app.served.origin}/`);
    // The start screen shows, not the case: getCaseInfo was refused.
    await page.getByTestId('case-path').waitFor();
    expect(await page.getByText('xss.log').count()).toBe(0);
  });

  it('renders hostile paths, users, agents, referers and raw lines as inert text', async () => {
    const { page } = app.driven;
    await page.goto(app.served.url);
    await page.getByTestId('overview').waitFor();
    // The reject of the raw markup line, through the sources table's reject link.
    await page.getByTestId('sources').locator('button.warn-text').click();
    // In the table's row and, selected, whole in the detail under it: text both times.
    for (const where of ['rejects', 'reject-detail']) {
      await page
        .getByTestId(where)
        .getByText('<script>window.__pwned=7</script>', { exact: false })
        .first()
        .waitFor();
    }
    await shot(page, '20-xss-rejects');
    await page.getByRole('button', { name: 'Sessions', exact: true }).click();
    const sessions = page.getByTestId('sessions').locator('.vtable-row[role="row"]');
    const n = await sessions.count().catch(() => 0);
    if (n > 0) {
      await sessions.first().dblclick();
      await page.getByTestId('session-detail').waitFor();
      await page
        .getByTestId('session-requests')
        .locator('.vtable-row[role="row"]')
        .first()
        .waitFor();
      await shot(page, '21-xss-session');
      await page
        .getByTestId('session-requests')
        .locator('.vtable-row[role="row"]')
        .first()
        .dblclick();
      await page.getByTestId('request-details').waitFor();
      await shot(page, '22-xss-request');
    }
    await page.waitForTimeout(300);
    // (Page-side code is given as text: this file is type-checked for Node, not the DOM.)
    const state = (await page.evaluate(`({
      pwned: window.__pwned ?? null,
      scripts: document.querySelectorAll('script').length,
      injected: document.querySelectorAll(
        'img, iframe, svg [onload], [onerror], [onload], a[href^="javascript"]',
      ).length,
    })`)) as { pwned: unknown; scripts: number; injected: number };
    expect(state.pwned).toBeNull();
    expect(state.scripts).toBe(1);
    expect(state.injected).toBe(0);
    expect(app.driven.dialogs).toEqual([]);
  });
});
