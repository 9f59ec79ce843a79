import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/api/dispatch.js';
import type { CaseInfo } from '../../shared/contract/caseApi.js';
import type { Result } from '../../shared/contract/errors.js';
import { corpusFile, hasCorpus } from '../corpus.js';
import { PROGRESS_STARTED, clfTime, shot, useBrowserMode, type Served } from './harness';

/** Case counts as the backend sees them, read through the same contract the UI uses. */
async function caseCounts(served: Served): Promise<{ requests: number; sources: number }> {
  // dispatch is untyped at the boundary (it validates raw input); the output is CaseInfo.
  const info = (await dispatch('getCaseInfo', {}, served.mode.backend.ctx)) as Result<CaseInfo>;
  if (!info.ok) throw new Error(info.error.message);
  return { requests: info.value.counts.requests, sources: info.value.sources.length };
}

/** Lines enough that the import is still running when the test presses Cancel. */
function slowCapture(lines: number): string {
  const base = Date.UTC(2026, 10, 22, 0, 0, 0);
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    out.push(
      `10.2.${(i >> 8) & 255}.${i & 255} - - [${clfTime(new Date(base + i * 100))}] "GET /api/items/${i}?q=${'z'.repeat(i % 40)} HTTP/1.1" 200 ${500 + (i % 300)} "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"`,
    );
  }
  return out.join('\n') + '\n';
}

describe('import cancel and a real capture (browser mode)', () => {
  const app = useBrowserMode({});

  it('cancelling an import leaves the case exactly as it was', { timeout: 180_000 }, async () => {
    const { page } = app.driven;
    const file = path.join(app.served.dir, 'slow-access.log');
    writeFileSync(file, slowCapture(1_500_000));
    const before = await caseCounts(app.served);
    await page.goto(app.served.url);
    await page.getByTestId('import-path').fill(file);
    await page.getByTestId('import-start').click();
    await page.locator(PROGRESS_STARTED).waitFor({ timeout: 60_000 });
    await page.getByTestId('import-progress').getByRole('button', { name: 'Cancel' }).click();
    await page
      .getByTestId('import-failed')
      .getByText('Import cancelled. The case is unchanged.')
      .waitFor({ timeout: 60_000 });
    await shot(page, '14-import-cancelled');
    expect(await caseCounts(app.served)).toEqual(before);
  });

  it.skipIf(!hasCorpus)(
    'imports a real public access log and the progress reaches its end',
    { timeout: 180_000 },
    async () => {
      const { page } = app.driven;
      await page.getByRole('button', { name: 'Import another file' }).click();
      // 10,000 lines of a real nginx log with an extra quoted X-Forwarded-For field (+0330).
      const file = corpusFile('A_access_logs/zanbil-ir_nginx_combined_xff_2019_first10k.log');
      await page.getByTestId('import-path').fill(file);
      await page.getByTestId('import-start').click();
      await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });
      const summary = await page.getByTestId('import-summary').innerText();
      expect(summary).toContain('zanbil-ir_nginx_combined_xff_2019_first10k.log');
      expect(summary).toContain((10_000).toLocaleString('en-GB'));
      const after = await caseCounts(app.served);
      expect(after).toEqual({ requests: 10_000, sources: 1 });
      await shot(page, '15-corpus-import-summary');
    },
  );
});
