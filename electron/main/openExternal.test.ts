import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));
const { safeOpenExternal } = await import('./openExternal.js');

function deps(response: number) {
  return {
    shell: { openExternal: vi.fn(async () => undefined) },
    dialog: { showMessageBox: vi.fn(async () => ({ response, checkboxChecked: false })) },
  };
}

describe('safeOpenExternal', () => {
  it('refuses anything but http(s) without asking', async () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'sessionscope://x',
      'ms-msdt:/id',
      'not a url',
      'http://',
    ]) {
      const d = deps(1);
      expect(await safeOpenExternal(url, d), url).toBe(false);
      expect(d.dialog.showMessageBox).not.toHaveBeenCalled();
      expect(d.shell.openExternal).not.toHaveBeenCalled();
    }
  });

  it('opens a web link only after the user confirms', async () => {
    const no = deps(0);
    expect(await safeOpenExternal('https://example.com/x', no)).toBe(false);
    expect(no.shell.openExternal).not.toHaveBeenCalled();
    const yes = deps(1);
    expect(await safeOpenExternal('https://example.com/x', yes)).toBe(true);
    expect(yes.shell.openExternal).toHaveBeenCalledWith('https://example.com/x');
  });
});
