// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { initialViewState } from '../state/viewState';
import { caseInfo, renderApp } from '../testing/renderWithApi';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The app on a case's sessions, with `writeText` as the clipboard's (none: no clipboard). */
function withClipboard(writeText?: (text: string) => Promise<void>): void {
  vi.stubGlobal('navigator', { ...navigator, clipboard: writeText ? { writeText } : undefined });
  renderApp(
    {
      getCaseInfo: () => caseInfo(100),
      listSessions: () => ({ sessions: [], nextCursor: null }),
    },
    { ...initialViewState(), view: 'sessions' },
  );
}

const copyButton = (): Promise<HTMLElement> =>
  screen.findByRole('button', { name: 'Copy link to this view' });

/**
 * The sessions list, once its page arrives, takes the focus (a frame after it mounts): waited
 * for first, so it does not take it from the link field the test opens (whose blur puts the
 * field away).
 */
const listFocused = (): Promise<void> =>
  waitFor(() => expect(document.activeElement?.closest('[data-testid="sessions"]')).toBeTruthy());

describe('copy link to this view', () => {
  it('says the link was copied, where it can be seen and is read out', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    withClipboard(writeText);
    fireEvent.click(await copyButton());
    // The status is there (empty) before the clipboard answers; its words come after.
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Link copied'));
    expect(writeText).toHaveBeenCalledWith(expect.stringContaining('#'));
  });

  it('shows the link to copy by hand when the clipboard refuses it, or there is none', async () => {
    for (const clipboard of [() => Promise.reject(new Error('denied')), undefined]) {
      withClipboard(clipboard);
      await listFocused();
      fireEvent.click(await copyButton());
      const field = await screen.findByRole('textbox', { name: 'Link to this view' });
      expect((field as HTMLInputElement).value).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#/);
      expect(screen.getByRole('status').textContent).toMatch(/^Could not copy/);
      // Escape puts it away, back on the button.
      fireEvent.keyDown(field, { key: 'Escape' });
      expect(screen.queryByRole('textbox', { name: 'Link to this view' })).toBeNull();
      expect(document.activeElement).toBe(await copyButton());
      cleanup();
    }
  });
});
