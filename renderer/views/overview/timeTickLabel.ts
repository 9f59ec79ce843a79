import type { Formatter } from '../../i18n/format';

/** Spans longer than this many days put about a day or more between the axis's labels. */
const DATES_FROM_DAYS = 10;
/** Up to this many days, a label's time of day is the part that tells the labels apart. */
const TIMES_UP_TO_DAYS = 2;

/**
 * How the requests-over-time axis labels a bar's start, for the span the chart covers: the
 * date when the labels fall days apart, the time of day within a day or two, and both in
 * between, where a date alone repeats (a 3-day span labelled 2015-05-18 three times).
 */
export function timeTickLabel(fmt: Formatter, spanUs: number): (us: number) => string {
  const days = spanUs / 86_400e6;
  if (days > DATES_FROM_DAYS) return (us) => fmt.date(us);
  if (days > TIMES_UP_TO_DAYS) return (us) => `${fmt.date(us)} ${fmt.time(us).slice(0, 5)}`;
  return (us) => fmt.time(us);
}
