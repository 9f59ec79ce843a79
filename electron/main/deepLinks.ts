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
 * Holds links until the page says it listens (by taking the pending ones), then delivers each
 * new one as it comes. The link's meaning is the renderer's business; here it is only a string
 * of bounded length.
 */
export class LinkInbox {
  private pending: string[] = [];
  private deliver: ((url: string) => void) | null = null;

  push(url: string): void {
    if (!isDeepLink(url)) return;
    if (this.deliver) this.deliver(url);
    else this.pending.push(url);
  }

  /** Returns the links that waited; from now on new ones go to `deliver`. */
  attach(deliver: (url: string) => void): string[] {
    this.deliver = deliver;
    const waiting = this.pending;
    this.pending = [];
    return waiting;
  }

  detach(): void {
    this.deliver = null;
  }
}
