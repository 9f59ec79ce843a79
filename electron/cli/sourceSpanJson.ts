import { formatUs } from '../../shared/time/parseTime.js';

/** A source's earliest and latest request as the CLI's JSON gives them; null when none. */
export interface SourceSpanJson {
  firstUs: number | null;
  lastUs: number | null;
  firstSeen: string | null;
  lastSeen: string | null;
}

/** µs since the epoch (UTC) and the same as ISO 8601, as `sessions --json` gives times. */
export function sourceSpanJson(firstUs: number | null, lastUs: number | null): SourceSpanJson {
  return {
    firstUs,
    lastUs,
    firstSeen: firstUs === null ? null : formatUs(firstUs),
    lastSeen: lastUs === null ? null : formatUs(lastUs),
  };
}
