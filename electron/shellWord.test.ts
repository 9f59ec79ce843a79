import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellWord } from './shellWord.js';

describe('shellWord', () => {
  it('leaves a plain path as it is', () => {
    expect(shellWord('/cases/incident-42.sscase')).toBe('/cases/incident-42.sscase');
    expect(shellWord('C:/cases/a,b@x.sscase')).toBe('C:/cases/a,b@x.sscase');
  });

  it.skipIf(process.platform === 'win32')(
    'quotes spaces, quotes and shell characters so a shell reads the word back whole',
    () => {
      expect(shellWord('my case.sscase')).toBe(`'my case.sscase'`);
      expect(shellWord(`it's.sscase`)).toBe(`'it'\\''s.sscase'`);
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
        const echoed = execFileSync('/bin/sh', ['-c', `printf %s ${shellWord(s)}`], {
          encoding: 'utf8',
        });
        expect(echoed).toBe(s);
      }
    },
  );
});
