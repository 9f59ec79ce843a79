/** What columnsThatFit needs of a table column (VirtualTable's Column). */
export interface FittingColumn {
  id: string;
  /** A CSS grid track: '90px', or 'minmax(120px, 1fr)'. */
  width: string;
  /** Its rank among the columns that give way where the view is too narrow: 1 goes first. */
  givesWay?: number;
}

/** A grid track's least width in px: '90px', or a minmax()'s px minimum; 0 for any other. */
export function leastTrackPx(track: string): number {
  const m = /^\s*(?:minmax\(\s*)?(\d+(?:\.\d+)?)px\b/.exec(track);
  return m ? Number(m[1]) : 0;
}

/**
 * The ids of the columns hidden in a view `width` px wide: where the columns' least widths add
 * up to more than it, those with a `givesWay` rank go, the lowest rank first, until the rest
 * fit (or none is left to go, and the table scrolls sideways). None while the width is unknown
 * (null or 0: not laid out yet). Joined by ',' so a table can memoise on it.
 */
export function hiddenColumnIds(columns: readonly FittingColumn[], width: number | null): string {
  if (!width) return '';
  let least = columns.reduce((sum, c) => sum + leastTrackPx(c.width), 0);
  const giving = columns
    .filter((c) => c.givesWay !== undefined)
    .sort((a, b) => a.givesWay! - b.givesWay!);
  const hidden: string[] = [];
  for (const c of giving) {
    if (least <= width) break;
    hidden.push(c.id);
    least -= leastTrackPx(c.width);
  }
  return hidden.join(',');
}
