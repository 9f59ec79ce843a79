import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyText } from './clipboard';

afterEach(() => vi.unstubAllGlobals());

/** A navigator whose clipboard is `clipboard` (undefined: none, as on an insecure origin). */
function withClipboard(clipboard: Partial<Clipboard> | undefined): void {
  vi.stubGlobal('navigator', { clipboard });
}

describe('copyText', () => {
  it('resolves true once the clipboard has the text', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    withClipboard({ writeText });
    expect(await copyText('https://x/#a')).toBe(true);
    expect(writeText).toHaveBeenCalledWith('https://x/#a');
  });

  it('resolves false, never rejects, when the clipboard refuses, is missing or throws', async () => {
    const refusals: (Partial<Clipboard> | undefined)[] = [
      { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) },
      undefined,
      {
        writeText: () => {
          throw new TypeError('not allowed here');
        },
      },
    ];
    for (const clipboard of refusals) {
      withClipboard(clipboard);
      expect(await copyText('v')).toBe(false);
    }
  });
});
