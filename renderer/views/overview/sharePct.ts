import type { Formatter } from '../../i18n/format';

/**
 * A part's share of a whole, as the overview shows it: one decimal at most, and never a
 * rounded 0% for a part that has requests (237 of 939,788 is "<0.1%") nor 100% for one that
 * lacks some (">99.9%"), so a small flow never reads as none.
 */
export function sharePct(part: number, whole: number, fmt: Pick<Formatter, 'pct'>): string {
  if (!(whole > 0)) return fmt.pct(null);
  const f = part / whole;
  // Where the formatter's one decimal would round to 0.0% or 100.0%.
  if (part > 0 && f < 0.0005) return `<${fmt.pct(0.001)}`;
  if (part < whole && f >= 0.9995) return `>${fmt.pct(0.999)}`;
  return fmt.pct(f);
}
