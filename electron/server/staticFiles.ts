import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path (still percent-encoded, without query) to a file inside `root`, or null when
 * it would leave `root` by any route: `..`, encoded `%2e%2e` or `%2f`, backslashes, NUL, or a
 * symlink pointing out. '/' and extension-less paths (client-side routes) give index.html.
 * Shared by the browser-mode server and Electron's app:// protocol.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  // Any '..' segment is refused outright rather than normalised away.
  if (decoded.split('/').some((seg) => seg === '..')) return null;
  const rootReal = realRoot(root);
  if (!rootReal) return null;
  let rel = decoded.replace(/^\/+/, '');
  if (rel === '' || path.extname(rel) === '') rel = 'index.html';
  const candidate = path.resolve(rootReal, rel);
  if (!inside(rootReal, candidate)) return null;
  if (!existsSync(candidate)) return null;
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    return null;
  }
  if (!inside(rootReal, real) || !statSync(real).isFile()) return null;
  return real;
}

function realRoot(root: string): string | null {
  try {
    return realpathSync(root);
  } catch {
    return null;
  }
}

function inside(root: string, p: string): boolean {
  return p.startsWith(root + path.sep);
}
