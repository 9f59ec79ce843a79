import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.js';

/** The README's CLI section: the command table and the sections under it. */
function cliSection(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('\n## CLI\n');
  const end = readme.indexOf('\n## ', start + 1);
  expect(start).toBeGreaterThan(0);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The command each row of the CLI table names (its first cell's first word). */
function documentedCommands(section: string): string[] {
  return [...section.matchAll(/^\| `([a-z-]+)[ `]/gm)].map((m) => m[1]!);
}

describe('the README documents the CLI (a public interface)', () => {
  const section = cliSection();

  it('gives every command a row of the table, and no row to a command there is not', () => {
    const rows = new Set(documentedCommands(section));
    const names = COMMANDS.map((c) => c.name);
    expect(names.filter((n) => !rows.has(n))).toEqual([]);
    expect([...rows].filter((n) => !names.includes(n))).toEqual([]);
  });

  it('names every option of every command', () => {
    const undocumented = COMMANDS.flatMap((c) =>
      Object.keys(c.options)
        .filter((o) => !new RegExp(`--${o}(?![\\w-])`).test(section))
        .map((o) => `${c.name} --${o}`),
    );
    expect(undocumented).toEqual([]);
  });
});
