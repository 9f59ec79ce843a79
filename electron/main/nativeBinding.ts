import { existsSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/contract/errors.js';

/**
 * better-sqlite3's compiled binding must match the runtime's ABI. node_modules holds the build
 * for Node (tests, CLI, browser mode); Electron from a checkout loads a second build made for
 * Electron's ABI (scripts/start.mjs builds it under .cache/electron-abi/<version>/). A packaged
 * app needs neither: electron-builder rebuilds node_modules for Electron.
 */
export function electronAbiBindingPath(appRoot: string, electronVersion: string): string {
  return path.join(appRoot, '.cache', 'electron-abi', electronVersion, 'better_sqlite3.node');
}

export function nativeBindingFor(opts: {
  isPackaged: boolean;
  appRoot: string;
  electronVersion: string;
}): string | undefined {
  if (opts.isPackaged) return undefined;
  const file = electronAbiBindingPath(opts.appRoot, opts.electronVersion);
  if (!existsSync(file)) {
    throw new AppError(
      'NOT_FOUND',
      `No better-sqlite3 build for Electron ${opts.electronVersion} at ${file}; start the app with "npm start", which builds it.`,
    );
  }
  return file;
}
