import { parseArgs } from 'node:util';
import { AppError } from '../../shared/contract/errors.js';
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
  try {
    const parsed = parseArgs({
      args: rest,
      options: cmd.options,
      allowPositionals: true,
      strict: true,
    });
    const extra = parsed.positionals.slice(cmd.maxPositionals ?? 1);
    if (extra.length > 0) {
      io.err(
        `sessionscope ${name}: unexpected argument${extra.length > 1 ? 's' : ''} ${extra
          .map((a) => JSON.stringify(a))
          .join(' ')}\nusage: sessionscope ${cmd.usage}`,
      );
      return 1;
    }
    return await cmd.run({ positionals: parsed.positionals, values: parsed.values }, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof AppError) {
      io.err(`sessionscope ${name}: ${oneLine(err.message)}`);
      return err instanceof AppError && err.code === 'INTERNAL' ? 2 : 1;
    }
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(
        `sessionscope ${name}: ${oneLine((err as Error).message)}\nusage: sessionscope ${cmd.usage}`,
      );
      return 1;
    }
    const info = callError(err);
    if (info.code !== 'INTERNAL') {
      io.err(`sessionscope ${name}: ${lines(info.message)}`);
      return 1;
    }
    io.err(`sessionscope ${name}: internal error: ${lines((err as Error).stack ?? String(err))}`);
    return 2;
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
