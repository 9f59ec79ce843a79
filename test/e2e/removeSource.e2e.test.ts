import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/api/dispatch.js';
import type { AuditPage } from '../../shared/contract/auditApi.js';
import type { CaseInfo } from '../../shared/contract/caseApi.js';
import type { Result } from '../../shared/contract/errors.js';
import { clfTime, combinedFixture, shot, useBrowserMode } from './harness';

/** Another client's file: 20 requests and 2 lines that are not requests. */
function secondFile(): string {
  const base = Date.UTC(2026, 10, 20, 10, 0, 0);
  const lines: string[] = [];
  for (let i = 0; i < 20; i++) {
    lines.push(
      `172.16.0.${i % 4} - - [${clfTime(new Date(base + i * 15_000))}] "GET /shop/item/${i} HTTP/1.1" 200 ${900 + i} "-" "Wget/1.21"`,
    );
    if (i % 10 === 9) lines.push(`not a request ${i}`);
  }
  return lines.join('\n') + '\n';
}

// Removing a source in real Chromium against the real browser-mode server: asked in a modal
// dialog (keyboard only), then gone from the table, its requests out of the figures, the
// analysis rebuilt, the removal on the audit trail and the file on disk as it was.
describe('removing a source (browser mode)', () => {
  const app = useBrowserMode({ 'a.log': combinedFixture(), 'b.log': secondFile() });

  const requestsFigure = (): Promise<string> =>
    app.driven.page
      .locator('.stat', { has: app.driven.page.locator('.stat-label', { hasText: /^Requests$/ }) })
      .locator('.stat-value')
      .innerText();

  it('asks first, with Cancel focused; Escape changes nothing', async () => {
    const { page } = app.driven;
    await page.goto(app.served.url);
    const sources = page.getByTestId('sources');
    await sources.getByText('b.log').waitFor();
    expect(await requestsFigure()).toBe('80');

    const remove = page.getByRole('button', { name: 'Remove b.log from the case…' });
    await remove.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Remove b.log from the case?' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('Its 20 requests and 2 rejected lines leave the case.');
    expect(text).toContain('The file on disk is not touched');
    expect(text).toContain('recorded in the audit log');
    const focused = (): Promise<unknown> =>
      page.evaluate(
        `document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent`,
      );
    expect(await focused()).toBe('Cancel');
    await shot(page, 'remove-source-dialog');

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused()).toBe('Remove b.log from the case…');
    expect(await sources.getByText('b.log').count()).toBe(1);
    expect(await requestsFigure()).toBe('80');
  });

  it('removes it on confirming: the table and the request count follow, the analysis is rebuilt', async () => {
    const { page, errors } = app.driven;
    await page.getByRole('button', { name: 'Remove b.log from the case…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove b.log from the case?' });
    // From Cancel to the destructive button, by keyboard.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    const note = page.getByTestId('source-removed');
    await note.getByText('Removed b.log: 20 requests').waitFor();
    await dialog.waitFor({ state: 'detached' });
    const sources = page.getByTestId('sources');
    await sources.getByText('b.log').waitFor({ state: 'detached' });
    expect(await sources.getByText('a.log').count()).toBe(1);
    await expect.poll(requestsFigure).toBe('60');
    // The rebuild ran to its end: the button is back, the analysis not said to be stale.
    await page.getByRole('button', { name: 'Rebuild analysis' }).waitFor();
    expect(await page.getByTestId('analysis-stale').count()).toBe(0);
    await shot(page, 'remove-source-done');

    const ctx = app.served.mode.backend.ctx;
    const info = (await dispatch('getCaseInfo', {}, ctx)) as Result<CaseInfo>;
    if (!info.ok) throw new Error(info.error.message);
    expect(info.value.counts).toEqual({ requests: 60, sources: 1, rejects: 1 });
    expect(info.value.analysisCurrent).toBe(true);
    const trail = (await dispatch(
      'listAudit',
      { action: 'source.remove' },
      ctx,
    )) as Result<AuditPage>;
    if (!trail.ok) throw new Error(trail.error.message);
    expect(trail.value.items.map((e) => e.details.file)).toEqual([
      path.join(app.served.dir, 'b.log'),
    ]);
    expect(existsSync(path.join(app.served.dir, 'b.log'))).toBe(true);

    await note.getByRole('button', { name: 'Import again' }).click();
    await page.getByTestId('import-path').waitFor();
    expect(errors).toEqual([]);
  });
});
