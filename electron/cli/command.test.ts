import { describe, expect, it } from 'vitest';
import { table } from './command.js';

describe('table', () => {
  it('pads each column to its widest cell, cut at 60 characters, hidden characters as escapes', () => {
    const out = table(
      [
        [1, 'GET', 'x'.repeat(70)],
        [22, null, 'a\x1b[31mb'],
        [3, 'P\u202eT', 'c\td'],
      ],
      ['id', 'method', 'path'],
    );
    // Widths are measured on what is printed: the escape is wider than the character.
    expect(out.split('\n')).toEqual([
      'id  method    path',
      `1   GET       ${'x'.repeat(59)}…`,
      '22  -         a\\x1B[31mb',
      '3   P\\u202ET  c\\x09d',
    ]);
  });

  it('prints a listing of 200,000 rows (no stack overflow)', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [i, `r${i}`]);
    const lines = table(rows, ['n', 'name']).split('\n');
    expect(lines).toHaveLength(200_001);
    expect(lines[200_000]).toBe('199999  r199999');
  });
});
