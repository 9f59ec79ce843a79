import path from 'node:path';
import type { BrowserWindow, SaveDialogReturnValue } from 'electron';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));
const { createSaveCsvChooser } = await import('./saveCsvDialog.js');

function dialogAnswering(answer: SaveDialogReturnValue) {
  return { showSaveDialog: vi.fn(async (..._args: unknown[]) => answer) };
}

describe('save dialog for Download CSV', () => {
  it('offers the suggested name in the default folder, as a sheet of the window', async () => {
    const dialog = dialogAnswering({ canceled: false, filePath: '/home/me/x.csv' });
    const win = { id: 1 } as unknown as BrowserWindow;
    const choose = createSaveCsvChooser({ dialog, parent: () => win, defaultDir: '/home/me/Dl' });
    expect(await choose('case-s0123456789abcdef.csv')).toBe('/home/me/x.csv');
    expect(dialog.showSaveDialog).toHaveBeenCalledTimes(1);
    const [parent, options] = dialog.showSaveDialog.mock.calls[0]!;
    expect(parent).toBe(win);
    expect(options).toMatchObject({
      defaultPath: path.join('/home/me/Dl', 'case-s0123456789abcdef.csv'),
      filters: [{ name: 'CSV', extensions: ['csv'] }],
    });
  });

  it('never lets a suggested name leave the folder, and works without a window', async () => {
    const dialog = dialogAnswering({ canceled: false, filePath: '/tmp/a.CSV' });
    const choose = createSaveCsvChooser({ dialog, parent: () => null, defaultDir: '/d' });
    expect(await choose('../../etc/evil.csv')).toBe('/tmp/a.CSV');
    const [options] = dialog.showSaveDialog.mock.calls[0]!;
    expect(options).toMatchObject({ defaultPath: path.join('/d', 'evil.csv') });
  });

  it('adds .csv when the user typed a bare name, and answers null on cancel', async () => {
    const bare = dialogAnswering({ canceled: false, filePath: '/tmp/report' });
    expect(
      await createSaveCsvChooser({ dialog: bare, parent: () => null, defaultDir: '/' })('x.csv'),
    ).toBe('/tmp/report.csv');
    const cancelled = dialogAnswering({ canceled: true, filePath: '' });
    expect(
      await createSaveCsvChooser({ dialog: cancelled, parent: () => null, defaultDir: '/' })(
        'x.csv',
      ),
    ).toBeNull();
  });
});
