import { describe, expect, it } from 'vitest';
import { clfTime, shot, useBrowserMode } from './harness';

/**
 * What the logs held, as they held it: every source's rejected lines from the Overview,
 * latency by the app's one rule (two decimals at most under 10 ms, whole above), and control
 * characters (a NUL, an ESC, a U+202E override) shown visibly, as text.
 */
function jsonLines(): string {
  const latencies = [12.5, 0.01, 3, 870.5, 42.25, 0.012];
  const lines = latencies.map((ms, i) =>
    JSON.stringify({
      time: `2026-11-20T09:00:0${i}.000Z`,
      remote_addr: '10.0.0.7',
      method: 'GET',
      path: i === 2 ? '/nul\0byte' : `/page${i}`,
      status: 200,
      request_time_ms: ms,
      user_agent: 'curl\x1b[31m<b>x</b>',
      // An override that would turn the name round on screen ("admin" then "exe.png").
      user: 'admin\u202Egnp.exe',
    }),
  );
  lines.push('not json at all\0 <img src=x onerror=alert(1)>');
  return lines.join('\n') + '\n';
}

function combined(): string {
  const base = Date.UTC(2026, 10, 20, 9, 5, 0);
  const lines = Array.from(
    { length: 6 },
    (_, i) =>
      `10.0.0.5 - - [${clfTime(new Date(base + i * 1000))}] "GET /x${i} HTTP/1.1" 200 5 "-" "ua" 0.012`,
  );
  lines.splice(2, 0, 'garbage one');
  lines.push('garbage two');
  return lines.join('\n') + '\n';
}

describe('exact log text (browser mode)', () => {
  const app = useBrowserMode({ 'a.jsonl': jsonLines(), 'b.log': combined() });

  it('lists every source’s rejected lines from the Rejected figure, and one source’s on asking', async () => {
    const { page } = app.driven;
    await page.goto(app.served.url);
    await page.getByTestId('overview').waitFor();
    await page.getByRole('button', { name: /Rejected lines\s*3/ }).click();
    const list = page.getByTestId('rejects');
    const rows = list.locator('.vtable-row[role="row"]');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.allInnerTexts()).toEqual([
      expect.stringMatching(/^a\.jsonl\s+7\s+not a JSON object\s+not json at all\\x00 <img/),
      expect.stringMatching(/^b\.log\s+3\s/),
      expect.stringMatching(/^b\.log\s+8\s/),
    ]);
    // Focused as it opens: the arrow keys move its selection at once.
    await page.keyboard.press('ArrowDown');
    await expect
      .poll(() => page.getByTestId('reject-detail').innerText())
      .toMatch(/^Line 3 · b\.log · not an access log line/);
    await page.waitForTimeout(600);
    await shot(page, '60-rejects-all-sources');
    const pick = page.getByRole('combobox', { name: 'Source' });
    expect(await pick.locator('option').allInnerTexts()).toEqual([
      'All sources (3)',
      'a.jsonl (1)',
      'b.log (2)',
    ]);
    await pick.selectOption({ label: 'a.jsonl (1)' });
    await expect.poll(() => rows.count()).toBe(1);
    const detail = page.getByTestId('reject-detail');
    expect(await detail.locator('pre').innerText()).toBe(
      'not json at all\\x00 <img src=x onerror=alert(1)>',
    );
    expect(await detail.locator('img').count()).toBe(0);
    await shot(page, '61-rejects-one-source');
    expect(app.driven.errors).toEqual([]);
  });

  it('shows latency by one rule and a NUL visibly in the session’s requests and the request', async () => {
    const { page } = app.driven;
    await page.getByRole('button', { name: 'Sessions', exact: true }).click();
    const sessions = page.getByTestId('sessions').locator('.vtable-row[role="row"]');
    const listed = sessions.filter({ hasText: '10.0.0.7' }).first();
    // The user's override is shown as an escape in the list, not obeyed.
    await expect.poll(() => listed.innerText()).toContain('admin\\u202Egnp.exe');
    expect(await listed.innerText()).not.toContain('\u202E');
    await listed.dblclick();
    const header = page.getByTestId('session-header');
    const headerField = (name: string) =>
      header.locator('.hfield').filter({ has: page.getByText(name, { exact: true }) });
    expect(await headerField('User agent').locator('.hvalue').innerText()).toBe(
      'curl\\x1B[31m<b>x</b>',
    );
    expect(await headerField('User').locator('.hvalue').innerText()).toBe('admin\\u202Egnp.exe');
    expect(await header.locator('b').count()).toBe(0);
    await shot(page, '64-session-header-hidden-chars');
    const requests = page.getByTestId('session-requests').locator('.vtable-row[role="row"]');
    await expect.poll(() => requests.count()).toBe(6);
    const latencies = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        requests.nth(i).locator('[role="gridcell"]').nth(5).innerText(),
      ),
    );
    expect(latencies).toEqual(['13', '0.01', '3', '871', '42', '0.01']);
    const nul = requests.nth(2);
    expect(await nul.innerText()).toContain('/nul\\x00byte');
    await page.waitForTimeout(300);
    await shot(page, '62-session-latency-nul');
    await nul.dblclick();
    await page.getByTestId('request-details').waitFor();
    const heading = page.getByRole('heading', { level: 1 });
    expect(await heading.innerText()).toBe('GET /nul\\x00byte');
    const field = (name: string) =>
      page.locator('table.kv tr').filter({ has: page.locator('th', { hasText: name }) });
    expect(await field('user agent').locator('td').innerText()).toBe('curl\\x1B[31m<b>x</b>');
    expect(await page.getByTestId('request-details').locator('b').count()).toBe(0);
    expect(await field('latency, ms').locator('td').innerText()).toBe('3');
    await shot(page, '63-request-nul');
    expect(app.driven.errors).toEqual([]);
  });
});
