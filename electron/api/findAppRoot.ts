import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding package.json, found by walking up from this module: the TypeScript source
 * (electron/api/) or the CLI bundle (dist/electron/). ESM only (import.meta); the Electron
 * main bundle is CommonJS and asks app.getAppPath() instead.
 */
export function findAppRoot(): string {
  const here = import.meta.url.startsWith('file:')
    ? path.dirname(fileURLToPath(import.meta.url))
    : process.cwd();
  for (let dir = here; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && isOurs(pkg)) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

function isOurs(pkgFile: string): boolean {
  try {
    return (
      (JSON.parse(readFileSync(pkgFile, 'utf8')) as { name?: unknown }).name === 'sessionscope'
    );
  } catch {
    return false;
  }
}
