import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const APP_DIR_NAME = 'Sessionscope';

/**
 * Where Sessionscope keeps its own files (recent cases, the demo case, uploads): the platform's
 * per-user application-data folder, the same one the Electron shell uses, so the app, `serve`
 * and `npm start` share the list of recent cases.
 */
export function defaultUserDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  switch (platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
  }
}

/**
 * The folder holding package.json: found by walking up from this module, which may be the
 * TypeScript source (electron/api/) or a bundle (dist/electron/), inside an asar or not.
 */
export function findAppRoot(): string {
  const starts: string[] = [];
  if (typeof import.meta.url === 'string' && import.meta.url.startsWith('file:')) {
    starts.push(path.dirname(fileURLToPath(import.meta.url)));
  }
  if (typeof __dirname === 'string') starts.push(__dirname);
  for (const start of starts) {
    let dir = start;
    for (;;) {
      const pkg = path.join(dir, 'package.json');
      if (existsSync(pkg) && isOurs(pkg)) return dir;
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return process.cwd();
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

export function rendererDir(root: string): string {
  return path.join(root, 'dist', 'renderer');
}

export function demoCaptureDir(root: string): string {
  return path.join(root, 'resources', 'demo');
}
