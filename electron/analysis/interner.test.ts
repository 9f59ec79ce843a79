import { describe, expect, it } from 'vitest';
import { Interner } from './interner.js';

describe('interner', () => {
  it('gives dense ids, the same for the same string, -1 for null', () => {
    const it = new Interner();
    expect([it.id('a'), it.id('b'), it.id('a'), it.idOrNull(null)]).toEqual([0, 1, 0, -1]);
    expect([it.get(1), it.get(-1), it.size]).toEqual(['b', null, 2]);
  });

  it('from a values list keeps its positions; lookups find a repeated value at its first', () => {
    const values = Array.from({ length: 300_000 }, (_, i) => `v${i % 200_000}`);
    const it = Interner.of(values);
    expect(it.size).toBe(300_000);
    expect(it.get(250_000)).toBe('v50000');
    expect(it.id('v50000')).toBe(50_000);
    expect(it.id('new')).toBe(300_000);
    expect(it.id('new')).toBe(300_000);
    expect(it.values.at(-1)).toBe('new');
    // Strings long enough to take the hashed path are found the same way.
    const long = Interner.of(['x'.repeat(20_000), 'y'.repeat(20_000), 'x'.repeat(20_000)]);
    expect(long.id('x'.repeat(20_000))).toBe(0);
    expect(long.id('y'.repeat(20_000))).toBe(1);
  });
});
