import { describe, expect, it } from 'vitest';
import { clfTime, combinedFixture, shot, useBrowserMode } from './harness';

/** An admin path of 60 named segments (no ids: it stays one long template), ~900 characters. */
const LONG_PATH = `/admin/${Array.from({ length: 60 }, (_, i) => `section-${String.fromCharCode(97 + (i % 26))}`).join('/')}`;

// A very long endpoint in the Overview's Riskiest endpoints: one line cut with an ellipsis, the
// whole in its title, and the table no wider than its panel.
describe('riskiest endpoints with a very long path (browser mode)', () => {
  const app = useBrowserMode(() => {
    const base = Date.UTC(2026, 10, 20, 10, 0, 0);
    const lines = Array.from(
      { length: 12 },
      (_, i) =>
        `10.0.0.7 - - [${clfTime(new Date(base + i * 1000))}] "POST ${LONG_PATH} HTTP/1.1" ${i % 2 ? 500 : 200} 120 "-" "curl/8.5.0" 0.010`,
    );
    return { 'access.log': `${combinedFixture()}${lines.join('\n')}\n` };
  });

  it('cuts it to one line inside the panel, the full path on hover', async () => {
    const { page } = app.driven;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(app.served.url);
    const table = page.getByTestId('riskiest-endpoints');
    const link = table.getByRole('button', { name: /section-a/ });
    await link.waitFor();
    await shot(page, 'overview-long-path');
    const box = (await page.evaluate(`(() => {
      const t = document.querySelector('[data-testid="riskiest-endpoints"]');
      const b = [...t.querySelectorAll('button')].find((x) => x.textContent.includes('section-a'));
      const panel = t.parentElement;
      return { table: t.getBoundingClientRect().width, panel: panel.clientWidth,
        button: b.getBoundingClientRect().height, line: parseFloat(getComputedStyle(b).lineHeight) || 20 };
    })()`)) as { table: number; panel: number; button: number; line: number };
    expect(box.table).toBeLessThanOrEqual(box.panel + 0.5);
    // One line, not a wrapped block of fifteen.
    expect(box.button).toBeLessThan(2 * box.line);
    expect(await link.getAttribute('title')).toContain(`POST `);
    expect(await link.getAttribute('title')).toContain(LONG_PATH);
    expect(app.driven.errors).toEqual([]);
  });
});
