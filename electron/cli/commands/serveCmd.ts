import { existsSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/contract/errors.js';
import { defaultUserDataDir, rendererDir } from '../../api/appPaths.js';
import { findAppRoot } from '../../api/findAppRoot.js';
import { startBrowserMode } from '../../server/serveBrowserMode.js';
import { intOption, str, UsageError, type Command } from '../command.js';

export const serveCommand: Command = {
  name: 'serve',
  usage: 'serve [<case>|--demo] [--port P] [--data-dir D]',
  summary: 'browser mode: serve the app on 127.0.0.1 with a per-run token (Ctrl+C stops)',
  options: {
    port: { type: 'string' },
    demo: { type: 'boolean' },
    'data-dir': { type: 'string' },
  },
  async run(args, io) {
    const port = intOption(args.values.port, 'port', 0);
    if (port > 65535) throw new UsageError('--port must be at most 65535');
    if (!existsSync(path.join(rendererDir(findAppRoot()), 'index.html'))) {
      throw new AppError('NOT_FOUND', 'The renderer is not built; run "npm run build" first.');
    }
    const casePath = args.positionals[0];
    const mode = await startBrowserMode({
      userDataDir: str(args.values['data-dir']) ?? defaultUserDataDir(),
      port,
      ...(casePath ? { open: { path: casePath } } : args.values.demo ? { open: 'demo' } : {}),
      onImportProgress: (line) => io.err(line),
    });
    io.out(`Sessionscope is serving on 127.0.0.1 only. Open:\n  ${mode.server.url}`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await mode.close();
    return 0;
  },
};
