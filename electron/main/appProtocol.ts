import { readFile } from 'node:fs/promises';
import type { CustomScheme } from 'electron';
import { RENDERER_CSP } from '../server/csp.js';
import { contentType, resolveStaticPath } from '../server/staticFiles.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'sessionscope';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Registered before `ready`: a standard, secure scheme so the page gets a real origin. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

/** True for a URL of our renderer (what the window loads, and who may call over IPC). */
export function isAppUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The app:// handler: files of the built renderer and nothing else. Any other host, any path
 * that would leave `root` (dot segments, encoded or not, backslashes, NUL, symlinks out) is 404.
 */
export function createAppProtocolHandler(
  root: string,
): (req: { url: string }) => Promise<Response> {
  return async (req) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return notFound();
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound();
    // The raw path, not url.pathname: URL parsing silently folds '..' into something harmless
    // looking, and a request that tried to climb out is refused rather than reinterpreted.
    const file = resolveStaticPath(root, rawPathOf(req.url) ?? url.pathname);
    if (!file) return notFound();
    const body = await readFile(file);
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': contentType(file),
        'content-security-policy': RENDERER_CSP,
        'x-content-type-options': 'nosniff',
      },
    });
  };
}

function rawPathOf(raw: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(raw);
  return m ? m[1] || '/' : null;
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
}
