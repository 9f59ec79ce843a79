/**
 * A path (or any argument) as one word a POSIX shell reads back as it is, for a command a
 * message suggests: shown, never run, but copied into a terminal. Quoted only when it needs to
 * be; a single quote inside is closed, escaped and reopened (`'it'\''s'`).
 */
export function shellWord(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
