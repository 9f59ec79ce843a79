import { runCli } from './cli/runCli.js';

const code = await runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s.endsWith('\n') || s.startsWith('\r') ? s : s + '\n'),
  errIsTty: process.stderr.isTTY === true,
});
process.exitCode = code;
