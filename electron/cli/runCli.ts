import { parseArgs } from 'node:util';
import { AppError, type ErrorCode } from '../../shared/contract/errors.js';
import { callError } from '../api/callError.js';
import { TOOL_VERSION } from '../version.js';
import { UsageError, type CliIO, type Command } from './command.js';
import { COMMANDS } from './commands/index.js';
import { terminalText } from './terminalText.js';

function help(commands: Command[]): string {
  return [
    `sessionscope ${TOOL_VERSION} — offline forensic analyzer for HTTP request logs`,
    '',
    'usage:',
    ...commands.map((c) => `  sessionscope ${c.usage}\n      ${c.summary}`),
    '',
    'exit codes: 0 success, 1 bad input or usage, 2 internal error',
  ].join('\n');
}

/** Runs one CLI invocation; returns the exit code. Never throws. */
export async function runCli(argv: string[], io: CliIO, commands = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help(commands));
    return name ? 0 : 1;
  }
  if (name === '--version') {
    io.out(TOOL_VERSION);
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.err(`sessionscope: unknown command "${name}" (try --help)`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`usage: sessionscope ${cmd.usage}\n  ${cmd.summary}`);
    return 0;
  }
  // With --json, a failure before the command printed its result still gives stdout one JSON
  // document (`{ "error": { code, message } }`), so a script tells a bad filter from an
  // unknown session or a busy case without reading prose. The reason goes to stderr as well.
  const json = 'json' in cmd.options && rest.includes('--json');
  let printed = false;
  const cmdIo: CliIO = { ...io, out: (text) => ((printed = true), io.out(text)) };
  const fail = (code: ErrorCode, message: string, exit: number): number => {
    if (json && !printed) io.out(JSON.stringify({ error: { code, message } }, null, 2));
    return exit;
  };
  try {
    const parsed = parseArgs({
      args: rest,
      options: cmd.options,
      allowPositionals: true,
      strict: true,
    });
    const extra = parsed.positionals.slice(cmd.maxPositionals ?? 1);
    if (extra.length > 0) {
      const message = `unexpected argument${extra.length > 1 ? 's' : ''} ${extra
        .map((a) => JSON.stringify(a))
        .join(' ')}`;
      io.err(`sessionscope ${name}: ${message}\nusage: sessionscope ${cmd.usage}`);
      return fail('BAD_INPUT', message, 1);
    }
    return await cmd.run({ positionals: parsed.positionals, values: parsed.values }, cmdIo);
  } catch (err) {
    if (err instanceof UsageError || err instanceof AppError) {
      io.err(`sessionscope ${name}: ${oneLine(err.message)}`);
      const code = err instanceof AppError ? err.code : 'BAD_INPUT';
      return fail(code, err.message, code === 'INTERNAL' ? 2 : 1);
    }
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(
        `sessionscope ${name}: ${oneLine((err as Error).message)}\nusage: sessionscope ${cmd.usage}`,
      );
      return fail('BAD_INPUT', (err as Error).message, 1);
    }
    const info = callError(err);
    if (info.code !== 'INTERNAL') {
      io.err(`sessionscope ${name}: ${lines(info.message)}`);
      return fail(info.code, info.message, 1);
    }
    io.err(`sessionscope ${name}: internal error: ${lines((err as Error).stack ?? String(err))}`);
    return fail('INTERNAL', 'internal error (details on stderr)', 2);
  }
}

/** A message on one line; it may quote log text or a path, so hidden characters are escaped. */
function oneLine(s: string): string {
  return terminalText(s.replace(/\s*\n\s*/g, ' '));
}

/** A message keeping its lines, each escaped as oneLine does. */
function lines(s: string): string {
  return s.split('\n').map(terminalText).join('\n');
}
