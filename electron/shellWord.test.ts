import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HOST_SHELL, shellWord } from './shellWord.js';

describe('shellWord', () => {
  it('leaves a plain path as it is', () => {
    expect(shellWord('/cases/incident-42.sscase', 'posix')).toBe('/cases/incident-42.sscase');
    expect(shellWord('C:/cases/a,b@x.sscase', 'posix')).toBe('C:/cases/a,b@x.sscase');
    expect(shellWord('C:\\cases\\incident-42.sscase', 'windows')).toBe(
      'C:\\cases\\incident-42.sscase',
    );
  });

  it.skipIf(process.platform === 'win32')(
    'quotes spaces, quotes and shell characters so a shell reads the word back whole',
    () => {
      expect(shellWord('my case.sscase', 'posix')).toBe(`'my case.sscase'`);
      expect(shellWord(`it's.sscase`, 'posix')).toBe(`'it'\\''s.sscase'`);
      const nasty = [
        `a b`,
        `it's`,
        `"$(touch x)"`,
        '`id`',
        'semi;colon',
        'new\nline',
        `''`,
        '*',
        '',
      ];
      for (const s of nasty) {
        const echoed = execFileSync('/bin/sh', ['-c', `printf %s ${shellWord(s, 'posix')}`], {
          encoding: 'utf8',
        });
        expect(echoed).toBe(s);
      }
    },
  );

  it('quotes for Windows in double quotes where cmd.exe and PowerShell read them alike', () => {
    expect(shellWord('C:\\My Cases\\it’s.sscase', 'windows')).toBe('"C:\\My Cases\\it’s.sscase"');
    // Bare in a POSIX shell, but an array (comma) or a splat (@) to PowerShell.
    expect(shellWord('C:/cases/a,b.sscase', 'windows')).toBe('"C:/cases/a,b.sscase"');
    expect(shellWord('@case', 'windows')).toBe('"@case"');
    expect(shellWord('', 'windows')).toBe('""');
  });

  it('quotes for PowerShell where double quotes would expand, doubling quotes inside', () => {
    expect(shellWord('C:\\cases\\$x.sscase', 'windows')).toBe(`'C:\\cases\\$x.sscase'`);
    expect(shellWord("C:\\%TEMP%\\it's", 'windows')).toBe(`'C:\\%TEMP%\\it''s'`);
    // PowerShell ends a single-quoted string at a typographic quote as well.
    expect(shellWord('$it\u2019s', 'windows')).toBe(`'$it\u2019\u2019s'`);
  });

  it('writes for the shell of the platform it runs on', () => {
    expect(shellWord('a b')).toBe(shellWord('a b', HOST_SHELL));
    expect(HOST_SHELL).toBe(process.platform === 'win32' ? 'windows' : 'posix');
  });
});
