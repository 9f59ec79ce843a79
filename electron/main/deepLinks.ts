export const LINK_SCHEME = 'sessionscope';

/** The `sessionscope://…` link among a launch's arguments (Windows and Linux pass it there). */
export function linkFromArgv(argv: readonly string[]): string | null {
  for (const arg of argv) if (isDeepLink(arg)) return arg;
  return null;
}

export function isDeepLink(raw: string): boolean {
  return raw.length <= 8192 && raw.toLowerCase().startsWith(`${LINK_SCHEME}://`);
}

/**
 * Holds links until the window can hear them, then hands each over once. The link's meaning
 * is the renderer's business; here it is only a string of bounded length.
 */
export class LinkInbox {
  private pending: string[] = [];
  private deliver: ((url: string) => void) | null = null;

  push(url: string): void {
    if (!isDeepLink(url)) return;
    if (this.deliver) this.deliver(url);
    else this.pending.push(url);
  }

  attach(deliver: (url: string) => void): void {
    this.deliver = deliver;
    const waiting = this.pending;
    this.pending = [];
    for (const url of waiting) deliver(url);
  }

  detach(): void {
    this.deliver = null;
  }
}
