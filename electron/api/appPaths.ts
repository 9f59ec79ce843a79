import os from 'node:os';
import path from 'node:path';

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

export function rendererDir(root: string): string {
  return path.join(root, 'dist', 'renderer');
}

export function demoCaptureDir(root: string): string {
  return path.join(root, 'resources', 'demo');
}
