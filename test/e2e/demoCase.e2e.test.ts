import { describe, expect, it } from 'vitest';
import { shot, useBrowserMode } from './harness';

// The bundled demo case, opened from the start screen as a first-time user would.
describe('demo case (browser mode)', () => {
  const app = useBrowserMode({});

  it(
    'opens the demo case from the start screen and walks into its busiest session',
    { timeout: 180_000 },
    async () => {
      const { page } = app.driven;
      await page.goto(app.served.url);
      await page.getByRole('button', { name: 'Sessionscope' }).click();
      await page.getByTestId('case-path').waitFor();
      await shot(page, '30-start');
      await page.getByRole('button', { name: 'Open demo case' }).click();
      await page.getByTestId('overview').waitFor({ timeout: 150_000 });
      await page
        .getByTestId('requests-over-time')
        .locator('.recharts-bar-rectangle')
        .first()
        .waitFor();
      await shot(page, '31-demo-overview');
      await page.getByRole('button', { name: 'Sessions', exact: true }).click();
      const rows = page.getByTestId('sessions').locator('.vtable-row[role="row"]');
      await rows.first().waitFor({ timeout: 60_000 });
      // Busiest first: sort by requests (first click sorts descending).
      await page.getByRole('button', { name: 'Requests', exact: true }).click();
      await page.waitForTimeout(500);
      await shot(page, '32-demo-sessions');
      await rows.first().dblclick();
      await page.getByTestId('session-detail').waitFor();
      await page.getByTestId('timeline').locator('.stacked-bar').first().waitFor();
      await shot(page, '33-demo-session');
      const reqs = page.getByTestId('session-requests').locator('.vtable-row[role="row"]');
      await reqs.first().dblclick();
      await page.getByTestId('request-details').waitFor();
      await page.waitForTimeout(500);
      await shot(page, '34-demo-request');
      expect(app.driven.errors).toEqual([]);
    },
  );

  it('shows the endpoints against the bundled API specs, riskiest first', async () => {
    const { page } = app.driven;
    await page.getByRole('button', { name: 'Endpoints', exact: true }).click();
    const endpoints = page.getByTestId('endpoints');
    await endpoints.locator('.vtable-row[role="row"]').first().waitFor();
    await page.getByRole('button', { name: 'Risk', exact: true }).click();
    await endpoints.getByText('9 High').first().waitFor();
    const panel = page.getByTestId('spec-panel');
    await panel.getByText(/^2 loaded · .* · 3 orphans$/).waitFor();
    await panel.locator('summary').click();
    // The orphans the demo's README names, and a zombie the old mobile app still calls.
    await panel.getByText('DELETE /api/v1/projects/{projectId}').waitFor();
    await panel.getByText('GET /api/v1/webhooks').waitFor();
    await endpoints.getByText('zombie').first().waitFor();
    await shot(page, '35-demo-endpoints-specs');
    expect(app.driven.errors).toEqual([]);
  });
});
