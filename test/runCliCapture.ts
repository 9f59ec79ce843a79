import type { CliIO } from '../electron/cli/command.js';
import { runCli } from '../electron/cli/runCli.js';

/** Runs one CLI invocation in this process, capturing what it prints and its exit code. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    out: (t) => (out += t + '\n'),
    err: (t) => (err += t + '\n'),
    errIsTty: false,
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}
