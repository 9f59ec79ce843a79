import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserMode } from './harness';

/** axe-core's browser build, evaluated in the page (the app's CSP allows no script of ours). */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** What axe finds wrong in the page as it is now: rule, impact and the first elements. */
async function violations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } })
      .axe;
    return (await axe.run()).violations;
  });
  return found.map(
    (v) =>
      `${v.id} (${v.impact ?? '?'}): ${v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`)
        .join(' | ')}`,
  );
}

// The start screen, every view of the demo case and the help, in both themes (and two views in
// Japanese), as axe-core's rules (WCAG 2 A/AA and best practice) judge them: roles and their
// required children, names, contrast, headings.
describe('accessibility (browser mode)', () => {
  const app = useBrowserMode({});

  it('finds nothing wrong in any view, dark or light', { timeout: 240_000 }, async () => {
    const { page } = app.driven;
    const tab = (name: string) =>
      page.getByRole('navigation', { name: 'views' }).getByRole('button', { name, exact: true });
    await page.goto(app.served.url);
    await page.getByRole('button', { name: 'Sessionscope' }).click();
    await page.getByRole('button', { name: 'Open demo case' }).waitFor();
    const start = await violations(page);
    await page.getByRole('button', { name: 'Open demo case' }).click();
    await page.getByTestId('overview').waitFor({ timeout: 150_000 });
    const found: Record<string, string[]> = { start };
    for (const theme of ['dark', 'light']) {
      if (theme === 'light') await page.getByRole('button', { name: 'Theme' }).click();
      await tab('Overview').click();
      await page
        .getByTestId('requests-over-time')
        .locator('.recharts-bar-rectangle')
        .first()
        .waitFor();
      found[`${theme} overview`] = await violations(page);
      await tab('Sessions').click();
      await page.getByTestId('sessions').locator('.vtable-row[role="row"]').first().waitFor();
      found[`${theme} sessions`] = await violations(page);
      await page.getByTestId('sessions').locator('.vtable-row[role="row"]').first().dblclick();
      await page
        .getByTestId('session-requests')
        .locator('.vtable-row[role="row"]')
        .first()
        .waitFor();
      found[`${theme} session`] = await violations(page);
      await page
        .getByTestId('session-requests')
        .locator('.vtable-row[role="row"]')
        .first()
        .dblclick();
      await page.getByTestId('request-details').waitFor();
      found[`${theme} request`] = await violations(page);
      for (const [view, ready] of [
        ['Endpoints', '[data-testid="endpoints"] .vtable-row[role="row"]'],
        ['Attacks', '[data-testid="attacks"] .vtable-row[role="row"]'],
        ['Rules', '[data-testid="rules"] h1'],
        ['Audit', '[data-testid="audit"] .vtable-row[role="row"]'],
        ['Settings', '[data-testid="settings"] input'],
        ['Import', '[data-testid="import-path"]'],
      ] as const) {
        await tab(view).click();
        await page.locator(ready).first().waitFor();
        found[`${theme} ${view.toLowerCase()}`] = await violations(page);
      }
      // The help, over the page (a modal dialog: the page behind is inert).
      await page.keyboard.press('?');
      await page.getByTestId('help-risk').waitFor();
      found[`${theme} help`] = await violations(page);
      await page.keyboard.press('Escape');
      await page.getByTestId('help-dialog').waitFor({ state: 'detached' });
    }
    // In Japanese (the page's lang follows), the sessions list and a session's requests.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ja');
    await tab('セッション').click();
    await page.getByTestId('sessions').locator('.vtable-row[role="row"]').first().waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    found['ja sessions'] = await violations(page);
    await page.getByTestId('sessions').locator('.vtable-row[role="row"]').first().dblclick();
    await page.getByTestId('session-requests').locator('.vtable-row[role="row"]').first().waitFor();
    found['ja session'] = await violations(page);
    expect(Object.keys(found)).toHaveLength(25);
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length > 0))).toEqual({});
    expect(app.driven.errors).toEqual([]);
  });
});
