import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LONG_KEY, StringKeyMap } from './stringKeyMap.js';

/** A key of `length` characters that differs from its siblings only at position `at`. */
const longKey = (length: number, at: number, c: string): string =>
  'x'.repeat(at) + c + 'y'.repeat(length - at - 1);

describe('StringKeyMap', () => {
  it('answers as a Map does, for short keys and keys over the hashing limit', () => {
    const ops = fc.array(
      fc.tuple(
        fc.constantFrom('set', 'get', 'has', 'clear'),
        fc.constantFrom(LONG_KEY - 1, LONG_KEY, LONG_KEY + 1, LONG_KEY + 500, 3),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom('a', 'b', 'c'),
        fc.integer(),
      ),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(ops, (list) => {
        const mine = new StringKeyMap<number>();
        const real = new Map<string, number>();
        for (const [op, length, at, c, v] of list) {
          const k = longKey(length, at, c);
          if (op === 'set') {
            mine.set(k, v);
            real.set(k, v);
          } else if (op === 'get') expect(mine.get(k)).toBe(real.get(k));
          else if (op === 'has') expect(mine.has(k)).toBe(real.has(k));
          else {
            mine.clear();
            real.clear();
          }
          expect(mine.size).toBe(real.size);
        }
        expect(new Map(mine)).toEqual(real);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps 3,000 distinct keys of 17,000 characters, each found again exactly', () => {
    // Same length, differing in their middle: one bucket of a plain Map.
    const keys = Array.from({ length: 3000 }, (_, i) => {
      const mid = String(i).padStart(6, '0');
      return 'u'.repeat(8500) + mid + 'v'.repeat(17_000 - 8500 - mid.length);
    });
    const m = new StringKeyMap<number>();
    keys.forEach((k, i) => m.set(k, i));
    expect(m.size).toBe(3000);
    expect(keys.every((k, i) => m.get(k) === i)).toBe(true);
    expect(m.get('u'.repeat(8500) + 'zzzzzz' + 'v'.repeat(8494))).toBeUndefined();
  });
});
