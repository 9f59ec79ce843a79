import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { U32Set } from './u32Set.js';

describe('U32Set', () => {
  it('has the size of a Set of the same uint32 values, across clears and growth', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constant<'clear'>('clear'),
            fc.nat({ max: 0xffffffff }),
            // Few distinct values, zero included, so repeats and collisions are common.
            fc.integer({ min: 0, max: 40 }).map((v) => (v * 0x10000) >>> 0),
          ),
          { maxLength: 600 },
        ),
        (ops) => {
          const mine = new U32Set();
          const ref = new Set<number>();
          for (const op of ops) {
            if (op === 'clear') {
              mine.clear();
              ref.clear();
            } else {
              mine.add(op);
              ref.add(op);
            }
            expect(mine.size).toBe(ref.size);
          }
        },
      ),
    );
  });

  it('keeps distinct values apart after growing well past its first table', () => {
    const s = new U32Set();
    for (let i = 0; i < 10_000; i++) s.add(Math.imul(i, 2654435761) >>> 0);
    for (let i = 0; i < 10_000; i++) s.add(Math.imul(i, 2654435761) >>> 0);
    expect(s.size).toBe(10_000);
    s.clear();
    expect(s.size).toBe(0);
    s.add(0);
    s.add(0);
    s.add(0xffffffff);
    expect(s.size).toBe(2);
  });
});
