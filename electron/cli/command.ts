import type { ParseArgsConfig } from 'node:util';
import { terminalJson, terminalText } from './terminalText.js';

export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  errIsTty: boolean;
}

export interface CommandArgs {
  positionals: string[];
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /**
   * How many positional arguments it takes at most (default 1: the case); the parser refuses
   * more, so a stray argument (a file meant for another command) is not silently ignored.
   */
  maxPositionals?: number;
  run(args: CommandArgs, io: CliIO): Promise<number>;
}

/** Bad input or usage: exit code 1 with a one-line reason. */
export class UsageError extends Error {}

export function str(v: CommandArgs['values'][string]): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function strList(v: CommandArgs['values'][string]): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/**
 * The items of a list flag, given as commas, repeats or both (`--status 4xx,5xx --status 302`),
 * trimmed, empty ones dropped. A value with a comma of its own (a user "Doe, John", roles a
 * token listed as "admin,billing") writes it as `\,`; `\\` is one backslash; any other
 * backslash is itself (`CORP\jdoe`).
 */
export function listItems(v: CommandArgs['values'][string]): string[] {
  const items: string[] = [];
  for (const given of strList(v)) {
    let item = '';
    for (let i = 0; i < given.length; i++) {
      const c = given[i]!;
      const next = given[i + 1];
      if (c === '\\' && (next === ',' || next === '\\')) {
        item += next;
        i++;
      } else if (c === ',') {
        items.push(item);
        item = '';
      } else item += c;
    }
    items.push(item);
  }
  return items.map((x) => x.trim()).filter((x) => x !== '');
}

/**
 * A flag's problem in words rather than the schema's ("Invalid option: expected one of
 * \"a\"|\"b\""): the values it takes, or the schema's own message when it has one of ours.
 */
export function flagIssueText(i: {
  code: string;
  message: string;
  values?: readonly unknown[];
  format?: string;
}): string {
  if (i.code === 'invalid_value' && i.values) {
    return `must be one of ${i.values.map((v) => String(v)).join(', ')}`;
  }
  return i.message;
}

export function intOption(v: CommandArgs['values'][string], name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < 0) {
    throw new UsageError(`--${name} must be a non-negative integer`);
  }
  return n;
}

/**
 * A --limit: a whole number from 1 to `max` (default `dflt`). Every listing command reads it
 * the same way; 0 used to list one row in some and none in others.
 */
export function limitOption(
  v: CommandArgs['values'][string],
  dflt: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const n = intOption(v, 'limit', dflt);
  if (n < 1 || n > max) {
    throw new UsageError(
      max === Number.MAX_SAFE_INTEGER
        ? '--limit must be a positive integer'
        : `--limit must be between 1 and ${max}`,
    );
  }
  return n;
}

export function needPositionals(args: CommandArgs, n: number, usage: string): void {
  if (args.positionals.length < n) throw new UsageError(`usage: sessionscope ${usage}`);
}

/** Pretty JSON; a hidden character in a string is written as its JSON escape (terminalJson). */
export function printJson(io: CliIO, value: unknown): void {
  io.out(terminalJson(JSON.stringify(value, null, 2)));
}

/**
 * A fixed-width text table; values are printed as plain text. Log text may hold terminal
 * escapes: control and invisible characters are shown as escapes (terminalText), before the
 * widths are measured.
 */
export function table(rows: (string | number | null)[][], header: string[]): string {
  const all = [
    header,
    ...rows.map((r) => r.map((c) => (c === null ? '-' : terminalText(String(c))))),
  ];
  // A loop, not Math.max(...): spread over a long listing (over ~120k rows) overflows the stack.
  const widths = header.map((_, i) => {
    let w = 0;
    for (const r of all) w = Math.max(w, (r[i] ?? '').length);
    return Math.min(60, w);
  });
  return all
    .map((r) =>
      r
        .map((c, i) => {
          const s = c ?? '';
          return s.length > widths[i]! ? s.slice(0, widths[i]! - 1) + '…' : s.padEnd(widths[i]!);
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
