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

describe('runCli --json failures and per-command help', () => {
  it('gives stdout one JSON error document when a --json command fails, for every command', async () => {
    for (const c of COMMANDS) {
      if (!('json' in c.options)) continue;
      const r = await cli(c.name, '/nonexistent/dir/x.sscase', '--json', '--no-such-flag');
      expect([c.name, r.code]).toEqual([c.name, 1]);
      const doc = JSON.parse(r.out) as { error: { code: string; message: string } };
      expect([c.name, doc.error.code]).toEqual([c.name, 'BAD_INPUT']);
      expect(doc.error.message).toMatch(/no-such-flag/);
      // The reason is on stderr as before.
      expect(r.err).toMatch(/no-such-flag/);
    }
  });

  it('names the code a script can act on (a missing case, a bad filter) and says nothing more', async () => {
    const missing = await cli('sessions', '/nonexistent/dir/x.sscase', '--json');
    expect(missing.code).toBe(1);
    const doc = JSON.parse(missing.out) as { error: { code: string; message: string } };
    expect(Object.keys(doc)).toEqual(['error']);
    expect(doc.error.code).toMatch(/^(NOT_FOUND|BAD_INPUT)$/);
    expect(doc.error.message.length).toBeGreaterThan(0);
    const badStatus = await cli('sessions', '/nonexistent/x.sscase', '--status', '9xx', '--json');
    expect(badStatus.code).toBe(1);
    expect((JSON.parse(badStatus.out) as { error: { code: string } }).error.code).toBe('BAD_INPUT');
  });

  it('prints nothing on stdout for a failure without --json', async () => {
    const r = await cli('sessions', '/nonexistent/dir/x.sscase');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
  });

  it('answers <command> --help with that command usage on stdout, exit 0, whatever else is given', async () => {
    for (const c of COMMANDS) {
      for (const flag of ['--help', '-h']) {
        const r = await cli(c.name, flag, '/nonexistent/x.sscase');
        expect([c.name, r.code, r.err]).toEqual([c.name, 0, '']);
        expect(r.out).toBe(`usage: sessionscope ${c.usage}\n  ${c.summary}\n`);
      }
    }
  });
});
