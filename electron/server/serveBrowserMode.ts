import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/contract/errors.js';
import { createBackend, type Backend } from '../api/backend.js';
import { demoCaptureDir, rendererDir } from '../api/appPaths.js';
import { findAppRoot } from '../api/findAppRoot.js';
import { dispatch } from '../api/dispatch.js';
import { defaultImportRunner } from '../api/importRunner.js';
import { startHttpServer, type RunningServer } from './httpServer.js';
import { PRIVATE_DIR } from './upload.js';

export interface BrowserModeOptions {
  userDataDir: string;
  port: number;
  /** Open this case first; 'demo' opens (and on first use builds) the demo case. */
  open?: { path: string } | 'demo';
  onImportProgress?: (line: string) => void;
}

export interface BrowserMode {
  backend: Backend;
  server: RunningServer;
  close(): Promise<void>;
}

/** The backend and the local server together, as `serve` and `npm start` run them. */
export async function startBrowserMode(opts: BrowserModeOptions): Promise<BrowserMode> {
  const root = findAppRoot();
  const uploadDir = path.join(opts.userDataDir, 'uploads');
  // Ours alone, also when an older version left it open to others: uploads are evidence. (A
  // data dir made here is made 0700 with it; an existing one is the user's and left as it is.)
  mkdirSync(uploadDir, { recursive: true, mode: PRIVATE_DIR });
  chmodSync(uploadDir, PRIVATE_DIR);
  const backend = createBackend({
    mode: 'browser',
    userDataDir: opts.userDataDir,
    demoCaptureDir: demoCaptureDir(root),
    runner: defaultImportRunner(),
  });
  const off = backend.ctx.events.subscribe((event, payload) => {
    if (event === 'importProgress' && opts.onImportProgress) {
      const p = payload as { file: string; phase: string; lines: number };
      opts.onImportProgress(`${p.file}: ${p.phase}, ${p.lines} lines`);
    }
  });
  try {
    if (opts.open) {
      const r =
        opts.open === 'demo'
          ? await dispatch('openDemoCase', {}, backend.ctx)
          : // A path on the command line is the shell's: relative to where it was typed.
            await dispatch('openCase', { path: path.resolve(opts.open.path) }, backend.ctx);
      if (!r.ok) throw new AppError(r.error.code, r.error.message);
    }
  } catch (err) {
    await backend.dispose();
    throw err;
  } finally {
    off();
  }
  const server = await startHttpServer({
    ctx: backend.ctx,
    staticDir: rendererDir(root),
    uploadDir,
    port: opts.port,
  });
  return {
    backend,
    server,
    async close() {
      await server.close();
      await backend.dispose();
    },
  };
}
