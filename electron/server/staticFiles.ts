import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
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
 * The file a URL path (still percent-encoded, without query) names, relative to the renderer's
 * root with '/' between segments, or null when it would leave the root: `..`, encoded
 * `%2e%2e` or `%2f`, backslashes, NUL. '/' and extension-less paths (client-side routes) give
 * index.html.
 */
export function staticRelPath(urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  // Any '..' segment is refused outright rather than normalised away.
  if (decoded.split('/').some((seg) => seg === '..')) return null;
  // '/./a//b' names what '/a/b' does (no '..' is left to climb out with).
  let rel = path.posix.normalize(decoded.replace(/^\/+/, ''));
  if (rel === '.' || rel === '' || path.extname(rel) === '') rel = 'index.html';
  return rel;
}

/**
 * Maps a URL path to a file inside `root`, or null when it would leave `root` by any route
 * (staticRelPath's, or a symlink pointing out). Electron's app:// protocol reads the file it
 * names; the browser-mode server serves a StaticSnapshot instead.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  const rel = staticRelPath(urlPath);
  if (rel === null) return null;
  const rootReal = realRoot(root);
  if (!rootReal) return null;
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

/** The renderer's files as they were when read: relative path ('/'-separated) to bytes. */
export type StaticSnapshot = ReadonlyMap<string, Buffer>;

/**
 * Reads every file under `root` (symlinks followed only while they stay inside it) into
 * memory, once. The browser-mode server serves these for as long as it runs: the page is
 * then always the one built with the server's own code, even when the files on disk are
 * rebuilt or upgraded under a running `serve` (a new page calling what the old server does
 * not know, or an old page asking for a chunk the new build removed). About 6 MB.
 */
export function snapshotStaticDir(root: string): StaticSnapshot {
  const files = new Map<string, Buffer>();
  const rootReal = realRoot(root);
  if (!rootReal) return files;
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const rel = prefix + name;
      let real: string;
      try {
        real = realpathSync(path.join(dir, name));
      } catch {
        continue;
      }
      if (!inside(rootReal, real)) continue;
      const st = statSync(real);
      if (st.isDirectory()) walk(path.join(dir, name), `${rel}/`);
      else if (st.isFile()) files.set(rel, readFileSync(real));
    }
  };
  walk(rootReal, '');
  return files;
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
