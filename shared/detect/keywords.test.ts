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
