import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeywordMatcher } from './keywords.js';

describe('KeywordMatcher', () => {
  it('finds keywords anywhere, case-insensitively, including one-character ones', () => {
    const m = new KeywordMatcher(['union', '://', '~', 'etc/']);
    expect(m.test('1 UNION select')).toBe(true);
    expect(m.test('http://x')).toBe(true);
    expect(m.test('/a~')).toBe(true);
    expect(m.test('/ETC/passwd')).toBe(true);
    expect(m.test('unio n, etc.')).toBe(false);
    expect(m.test('')).toBe(false);
  });

  it('marks every owner of every keyword found, once per stamp', () => {
    const m = new KeywordMatcher([
      ['union', 0],
      ['select', 1],
      ['~', 2],
      ['etc/', 3],
      ['union', 3],
    ]);
    const flags = new Uint32Array(4);
    expect(m.mark('1 UNION SELECT', flags, 7)).toBe(true);
    expect([...flags]).toEqual([7, 7, 0, 7]);
    expect(m.mark('/x~', flags, 8)).toBe(true);
    expect([...flags]).toEqual([7, 7, 8, 7]);
    expect(m.mark('plain', flags, 9)).toBe(false);
  });

  it('agrees with a plain substring search', () => {
    const words = ['ab', 'ba', 'abc', 'x', 'cab'];
    const m = new KeywordMatcher(words);
    fc.assert(
      fc.property(fc.stringMatching(/^[abcxABC\u0161\u0100]{0,12}$/), (s) => {
        const lower = s.replace(/[A-Z]/g, (c) => c.toLowerCase());
        expect(m.test(s)).toBe(words.some((w) => lower.includes(w)));
      }),
    );
  });
});
