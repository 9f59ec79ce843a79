import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseInfo } from '../../shared/contract/caseApi.js';
import { dispatch } from '../../electron/api/dispatch.js';
import { decodeLink, encodeBrowserLink } from '../../shared/links/linkCodec.js';
import { combinedFixture, shot, useBrowserMode } from './harness';

// Sharing a view in browser mode: the top bar's link opens the same session, in-session filter
// and selected request in a fresh page; a tampered link is refused with a message.
describe('links (browser mode)', () => {
  const app = useBrowserMode({ 'access.log': combinedFixture() });
  let caseUuid: string;

  beforeAll(async () => {
    await app.driven.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: app.served.origin,
    });
    const info = await dispatch('getCaseInfo', {}, app.served.mode.backend.ctx);
    if (!info.ok) throw new Error(info.error.message);
    caseUuid = (info.value as CaseInfo).meta.uuid;
  });

  const requestRows = (page: Page) =>
    page.getByTestId('session-requests').locator('.vtable-row[role="row"]');
  /** Index of the keyboard-selected request row, or -1. */
  const selectedRow = async (page: Page): Promise<number> => {
    const rows = requestRows(page);
    const n = await rows.count();
    for (let i = 0; i < n; i++) {
      if ((await rows.nth(i).getAttribute('aria-selected')) === 'true') return i;
    }
    return -1;
  };

  let link = '';
  let header = '';
  let selected = -1;

  it('copies a link to a filtered session with a selected request', async () => {
    const { page } = app.driven;
    await page.goto(app.served.url);
    await page.getByTestId('overview').waitFor();
    await page.getByRole('button', { name: 'Sessions', exact: true }).click();
    await page.getByTestId('sessions').locator('.vtable-row[role="row"]').first().waitFor();
    await page.getByTestId('sessions').locator('.vtable-scroll').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('session-header').waitFor();
    await page.getByRole('button', { name: /^Show only 200$/ }).click();
    await page.getByTestId('filter-chips').getByText('Status: 200').waitFor();
    await requestRows(page).first().waitFor();
    await page.getByTestId('session-requests').locator('.vtable-scroll').focus();
    await page.keyboard.press('j');
    await expect.poll(() => selectedRow(page)).toBeGreaterThanOrEqual(0);
    selected = await selectedRow(page);
    // The second row, so restoring it proves more than the default first row.
    expect(await requestRows(page).count()).toBeGreaterThanOrEqual(2);
    expect(selected).toBe(1);
    header = await page.getByTestId('session-header').innerText();

    await page.getByRole('button', { name: 'Copy link to this view' }).click();
    link = String(await page.evaluate('navigator.clipboard.readText()'));
    const port = Number(new URL(app.served.url).port);
    expect(link.startsWith(`http://127.0.0.1:${port}/#v=1&case=${caseUuid}&view=session&`)).toBe(
      true,
    );
    expect(link).not.toMatch(/token/i);
    // The copied link is exactly what the codec spells for this view.
    const decoded = decodeLink(link);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.value.state.sessionFilters).toEqual({ statuses: ['200'] });
    expect(decoded.value.state.sessionId).toMatch(/^s[0-9a-f]{16}$/);
    expect(encodeBrowserLink(decoded.value, port)).toBe(link);
  });

  it('opens the same session, filter chips and selected request in a fresh page', async () => {
    const fresh = await app.driven.context.newPage();
    try {
      await fresh.goto(link);
      await fresh.getByTestId('session-header').waitFor();
      expect(await fresh.getByTestId('session-header').innerText()).toBe(header);
      await fresh.getByTestId('filter-chips').getByText('Status: 200').waitFor();
      await requestRows(fresh).first().waitFor();
      await expect.poll(() => selectedRow(fresh)).toBe(selected);
      expect(await fresh.getByTestId('link-notice').count()).toBe(0);
      await shot(fresh, 'links-01-restored');
    } finally {
      await fresh.close();
    }
  });

  const sessionRows = (page: Page) =>
    page.getByTestId('sessions').locator('.vtable-row[role="row"]');
  /** The selected session row's element id (`row-<session id>`), or null. */
  const selectedSession = async (page: Page): Promise<string | null> => {
    const rows = page.getByTestId('sessions').locator('.vtable-row[aria-selected="true"]');
    return (await rows.count()) === 1 ? rows.getAttribute('id') : null;
  };

  it('shares a sessions-list link that selects its session by id, wherever it now is', async () => {
    const { page } = app.driven;
    await page.goto(app.served.url);
    await page.getByTestId('overview').waitFor();
    await page.getByRole('button', { name: 'Sessions', exact: true }).click();
    await sessionRows(page).first().waitFor();
    const n = await sessionRows(page).count();
    expect(n).toBeGreaterThanOrEqual(2);
    await page.getByTestId('sessions').locator('.vtable-scroll').focus();
    await page.keyboard.press('End');
    await expect
      .poll(() => selectedSession(page))
      .toBe(
        await sessionRows(page)
          .nth(n - 1)
          .getAttribute('id'),
      );
    const rowId = (await selectedSession(page))!;
    const sessionId = rowId.replace(/^row-/, '');

    await page.getByRole('button', { name: 'Copy link to this view' }).click();
    const copied = decodeLink(String(await page.evaluate('navigator.clipboard.readText()')));
    expect(copied.ok).toBe(true);
    if (!copied.ok) return;
    // The session by id, not its row number.
    expect(copied.value.state.view).toBe('sessions');
    expect(copied.value.state.selectedIds).toEqual({ sessions: sessionId });
    expect(copied.value.state.selected).toEqual({});

    // The same link on a list sorted the other way (as after a rebuild or on another copy of
    // the case, the session is at another row), with an older link's row number beside it.
    const port = Number(new URL(app.served.url).port);
    const state = copied.value.state;
    const moved = encodeBrowserLink(
      {
        caseUuid,
        state: {
          ...state,
          sessionSort: { column: 'start', dir: 'desc' },
          selected: { sessions: n - 1 },
        },
      },
      port,
    );
    const gone = encodeBrowserLink(
      { caseUuid, state: { ...state, selectedIds: { sessions: 'sffffffffffffffff' } } },
      port,
    );
    const fresh = await app.driven.context.newPage();
    try {
      await fresh.goto(moved);
      await sessionRows(fresh).first().waitFor();
      await expect.poll(() => selectedSession(fresh)).toBe(rowId);
      // First under the reversed sort: not the row number the link also carries.
      expect(await sessionRows(fresh).first().getAttribute('id')).toBe(rowId);
      expect(await fresh.getByTestId('selection-missing').count()).toBe(0);
      await shot(fresh, 'links-04-session-by-id');
    } finally {
      await fresh.close();
    }
    // A link whose session is not in the list: no other selected in its place, and why.
    const other = await app.driven.context.newPage();
    try {
      await other.goto(gone);
      const notice = other.getByTestId('selection-missing');
      await notice.waitFor();
      expect(await notice.innerText()).toMatch(
        /The session this link selected is not in this list/,
      );
      expect(await sessionRows(other).count()).toBe(n);
      expect(await selectedSession(other)).toBeNull();
    } finally {
      await other.close();
    }
  });

  it('refuses a tampered link with a message, and opens nothing from it', async () => {
    const fresh = await app.driven.context.newPage();
    const dialogs: string[] = [];
    fresh.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      const tampered = link.replace(
        /&sf=[^&]+/,
        '&sf=eyJzdGF0dXNlcyI6WyI8aW1nIHNyYz14IG9uZXJyb3I9YWxlcnQoMSk-Il19',
      );
      expect(tampered).not.toBe(link);
      await fresh.goto(tampered);
      const notice = fresh.getByTestId('link-notice');
      await notice.waitFor();
      expect(await notice.innerText()).toMatch(/This link cannot be opened: .*not valid/);
      await fresh.getByTestId('overview').waitFor();
      expect(await fresh.getByTestId('session-header').count()).toBe(0);
      expect(await fresh.locator('img').count()).toBe(0);
      await shot(fresh, 'links-02-tampered');
      expect(dialogs).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('asks for the right case when a link names another one', async () => {
    const fresh = await app.driven.context.newPage();
    try {
      const other = '00000000-0000-4000-8000-000000000000';
      await fresh.goto(link.replace(caseUuid, other));
      await fresh.getByTestId('link-notice').getByText(`another case (ID ${other})`).waitFor();
      expect(await fresh.getByTestId('session-header').count()).toBe(0);
      await shot(fresh, 'links-03-other-case');
    } finally {
      await fresh.close();
    }
  });
});
