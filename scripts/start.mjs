// `npm start` (after the build): the Electron app when its binary is available, otherwise
// browser mode on the demo case. Run from a checkout; a packaged app starts on its own.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/**
 * Where Electron's binary is, or null. `require('electron')` downloads it on first use, so it
 * runs in a child process: offline it fails within seconds, online it may take a minute once.
 */
function findElectron() {
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const binary = r.status === 0 ? r.stdout.trim() : '';
  return binary && existsSync(binary) ? binary : null;
}

/**
 * better-sqlite3 compiled for Electron's ABI, beside (not instead of) node_modules' build for
 * Node, which the tests and the CLI keep using. Built once per Electron version; needs the
 * internet for Electron's headers. electron/main/nativeBinding.ts loads it from here.
 */
function ensureElectronAbiBinding() {
  const version = JSON.parse(
    readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8'),
  ).version;
  const dir = path.join(root, '.cache', 'electron-abi', version);
  const binding = path.join(dir, 'better_sqlite3.node');
  if (existsSync(binding)) return true;
  console.log(`Building better-sqlite3 for Electron ${version} (once)…`);
  const src = path.dirname(require.resolve('better-sqlite3/package.json'));
  const work = path.join(dir, 'better-sqlite3');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(src, work, { recursive: true, filter: (p) => !p.startsWith(path.join(src, 'build')) });
  const gyp = spawnSync(
    'npx',
    [
      'node-gyp',
      'rebuild',
      '--release',
      `--target=${version}`,
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: work, stdio: 'inherit', shell: process.platform === 'win32' },
  );
  const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
  if (gyp.status !== 0 || !existsSync(built)) return false;
  cpSync(built, binding);
  return true;
}

function run(cmd, args) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

function browserMode(reason) {
  console.log(`${reason}; starting browser mode on the demo case.`);
  const hasDemo = existsSync(path.join(root, 'resources', 'demo', 'demo-capture.jsonl'));
  run(process.execPath, [
    path.join(root, 'dist', 'electron', 'cli.mjs'),
    'serve',
    ...(hasDemo ? ['--demo'] : []),
    ...process.argv.slice(2),
  ]);
}

const electron = findElectron();
if (!electron) {
  browserMode('Electron binary not available (offline install)');
} else if (!ensureElectronAbiBinding()) {
  browserMode('Could not build better-sqlite3 for Electron (offline?)');
} else {
  // The app folder, not the script: Electron then reads package.json (main) and
  // app.getAppPath() is the checkout, where dist/ and resources/ are.
  run(electron, [root]);
}
