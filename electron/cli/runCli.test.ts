import { describe, expect, it } from 'vitest';
import { cli } from '../../test/runCliCapture.js';
import { COMMANDS } from './commands/index.js';

describe('runCli arguments', () => {
  it('refuses an argument no command takes, before the command runs, with its usage', async () => {
    const r = await cli('verify', 'v.sscase', 'v2moved.jsonl');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'sessionscope verify: unexpected argument "v2moved.jsonl"\nusage: sessionscope verify <case> [--json]\n',
    );
    expect(r.out).toBe('');
  });

  it('does so for every command: one argument past the most it takes', async () => {
    for (const c of COMMANDS) {
      const max = c.maxPositionals ?? 1;
      if (!Number.isFinite(max)) continue;
      // No such case file: a command that ran would say so instead.
      const argv = [c.name, ...Array.from({ length: max + 1 }, (_, i) => `/nonexistent/arg${i}`)];
      const r = await cli(...argv);
      expect([c.name, r.code, r.err.split('\n')[0]]).toEqual([
        c.name,
        1,
        `sessionscope ${c.name}: unexpected argument "/nonexistent/arg${max}"`,
      ]);
    }
  });
});
