/**
 * A count axis' ticks: whole numbers from 0 up to the first tick at or above `peak`, at most
 * `most` of them, a round step apart (1, 2, 2.5 or 5 times a power of ten, whole). Recharts'
 * own nice ticks for a peak of 1 were 0-4 even with allowDecimals off: three empty quarters
 * above bars of one request. The last tick is the axis' top (its domain), so the tallest bar
 * reaches it or nearly.
 */
export function countTicks(peak: number, most = 5): number[] {
  const top = Math.max(1, Math.ceil(peak));
  let step = 1;
  for (let scale = 1; ; scale *= 10) {
    const fit = [1, 2, 2.5, 5]
      .map((m) => m * scale)
      .find((s) => Number.isInteger(s) && Math.ceil(top / s) + 1 <= most);
    if (fit !== undefined) {
      step = fit;
      break;
    }
  }
  const n = Math.ceil(top / step);
  return Array.from({ length: n + 1 }, (_, i) => i * step);
}

/**
 * The rows a chart's brush shows (recharts zooms the chart to them): all of them with no brush
 * range, or with one left over from more rows.
 */
export function brushedRows<T>(
  rows: readonly T[],
  range: { start: number; end: number } | null,
): readonly T[] {
  return range && range.end < rows.length ? rows.slice(range.start, range.end + 1) : rows;
}

/** The YAxis props that draw `countTicks(peak)`: its domain ends at the top tick. */
export function countAxisProps(peak: number): { ticks: number[]; domain: [number, number] } {
  const ticks = countTicks(peak);
  return { ticks, domain: [0, ticks[ticks.length - 1]!] };
}
