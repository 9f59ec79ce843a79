/** The shell a suggested command is written for. */
export type ShellKind = 'posix' | 'windows';

export const HOST_SHELL: ShellKind = process.platform === 'win32' ? 'windows' : 'posix';

/**
 * A path (or any argument) as one word the shell reads back as it is, for a command a message
 * suggests: shown, never run, but copied into a terminal. Quoted only when it needs to be.
 *
 * POSIX: a single quote inside is closed, escaped and reopened (`'it'\''s'`).
 *
 * Windows, where the terminal may run cmd.exe or PowerShell: double quotes, which both read the
 * same when nothing inside expands (no `"`, which no Windows file name holds, no `%` or `!` for
 * cmd, no `$` or backtick for PowerShell, nor its typographic double quotes). Otherwise
 * PowerShell's literal single quotes, a quote inside doubled (its typographic single quotes
 * U+2018–U+201B too). Bare words are fewer than POSIX's: to PowerShell a comma makes an array,
 * `@` splats; `=`, `%` and `+` mean things to one or the other.
 */
export function shellWord(s: string, shell: ShellKind = HOST_SHELL): string {
  if (shell === 'posix') return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
  if (/^[\w./:\\-]+$/.test(s)) return s;
  if (!/["%!$`\u201c-\u201e]/.test(s)) return `"${s}"`;
  return `'${s.replace(/['\u2018-\u201b]/g, (q) => q + q)}'`;
}
