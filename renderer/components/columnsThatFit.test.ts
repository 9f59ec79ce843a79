import { describe, expect, it } from 'vitest';
import { hiddenColumnIds, leastTrackPx } from './columnsThatFit';

const COLUMNS = [
  { id: 'start', width: '200px' },
  { id: 'key', width: 'minmax(60px, 0.5fr)', givesWay: 1 },
  { id: 'host', width: 'minmax(120px, 1fr)' },
  { id: 'role', width: 'minmax(70px, 0.5fr)', givesWay: 2 },
  { id: 'note', width: '1fr' },
];

describe('columns that fit', () => {
  it('reads a track’s least width', () => {
    expect(leastTrackPx('188px')).toBe(188);
    expect(leastTrackPx('minmax(72.5px, 0.5fr)')).toBe(72.5);
    expect(leastTrackPx('1fr')).toBe(0);
    expect(leastTrackPx('minmax(10ch, 1fr)')).toBe(0);
  });

  it('hides the columns that give way, rank 1 first, until the rest fit', () => {
    // 200 + 60 + 120 + 70 = 450 at their least.
    expect(hiddenColumnIds(COLUMNS, 450)).toBe('');
    expect(hiddenColumnIds(COLUMNS, 449)).toBe('key');
    expect(hiddenColumnIds(COLUMNS, 390)).toBe('key');
    expect(hiddenColumnIds(COLUMNS, 389)).toBe('key,role');
    // Too narrow even so: the others stay (the table scrolls sideways).
    expect(hiddenColumnIds(COLUMNS, 100)).toBe('key,role');
  });

  it('hides none while the width is unknown', () => {
    expect(hiddenColumnIds(COLUMNS, null)).toBe('');
    expect(hiddenColumnIds(COLUMNS, 0)).toBe('');
  });
});
