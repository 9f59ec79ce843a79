/**
 * Copies text to the clipboard; resolves true when it was written, false when it was not: the
 * clipboard refused it (no user gesture, a denied permission), the page has none (not served
 * from a secure origin), or writing threw. Never rejects, so a caller shows one of two outcomes
 * (copied, or the text to copy by hand) and no failure goes unhandled.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (!clipboard) return false;
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
