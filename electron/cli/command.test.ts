import { describe, expect, it } from 'vitest';
import { table } from './command.js';

describe('table', () => {
  it('pads each column to its widest cell, cut at 60 characters, control characters shown as ?', () => {
    const out = table(
      [
        [1, 'GET', 'x'.repeat(70)],
        [22, null, 'a\x1b[31mb'],
      ],
      ['id', 'method', 'path'],
    );
    expect(out.split('\n')).toEqual([
      'id  method  path',
      `1   GET     ${'x'.repeat(59)}…`,
      '22  -       a?[31mb',
    ]);
  });

  it('prints a listing of 200,000 rows (no stack overflow)', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [i, `r${i}`]);
    const lines = table(rows, ['n', 'name']).split('\n');
    expect(lines).toHaveLength(200_001);
    expect(lines[200_000]).toBe('199999  r199999');
  });
});
