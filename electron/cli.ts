import { runCli } from './cli/runCli.js';

// The reader went away (`sessionscope requests case | head`): stop quietly, as Unix tools do,
// instead of an unhandled EPIPE with its stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const code = await runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s.endsWith('\n') || s.startsWith('\r') ? s : s + '\n'),
  errIsTty: process.stderr.isTTY === true,
});
process.exitCode = code;
