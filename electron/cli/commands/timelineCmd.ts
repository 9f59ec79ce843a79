import type { HistogramBucket } from '../../../shared/contract/analysisApi.js';
import { formatUs } from '../../../shared/time/parseTime.js';
import { requestHistogram } from '../../query/histogramQuery.js';
import { openAnalysisCase } from '../analysisCase.js';
import {
  intOption,
  needPositionals,
  printJson,
  table,
  UsageError,
  type Command,
} from '../command.js';
import { FILTER_OPTIONS, FILTER_USAGE, filtersFromFlags } from '../filterFlags.js';
import { sourceSpanJson, type SourceSpanJson } from '../sourceSpanJson.js';
import { bucketRequests } from '../../../shared/analysis/histogramBucket.js';

/** Bars by default: a screenful; the app's Overview draws 96. */
const DEFAULT_BARS = 24;
const MAX_BARS = 1000;
/** Characters of the longest bar in the text output. */
const BAR_CHARS = 40;

/** One bar of `timeline --json`: its range, its requests by status class, first and last. */
export type TimelineBarJson = {
  startUs: number;
  endUs: number;
  start: string;
  end: string;
  requests: number;
  s2xx: number;
  s3xx: number;
  s4xx: number;
  s5xx: number;
  other: number;
} & SourceSpanJson;

export function timelineBarJson(b: HistogramBucket): TimelineBarJson {
  return {
    startUs: b.startUs,
    endUs: b.endUs,
    start: formatUs(b.startUs),
    end: formatUs(b.endUs),
    requests: bucketRequests(b),
    s2xx: b.s2xx,
    s3xx: b.s3xx,
    s4xx: b.s4xx,
    s5xx: b.s5xx,
    other: b.other,
    ...sourceSpanJson(b.firstUs ?? null, b.lastUs ?? null),
  };
}

export const timelineCommand: Command = {
  name: 'timeline',
  usage: `timeline <case> ${FILTER_USAGE} [--bars N] [--json]`,
  summary: 'matching requests over time, per status class (the Overview’s chart)',
  options: { ...FILTER_OPTIONS, bars: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const filters = filtersFromFlags(args.values);
    const bars = intOption(args.values.bars, 'bars', DEFAULT_BARS);
    if (bars < 1 || bars > MAX_BARS)
      throw new UsageError(`--bars must be between 1 and ${MAX_BARS}`);
    const db = openAnalysisCase(args.positionals[0]!, io, { attackTypes: filters.attackTypes });
    try {
      const h = requestHistogram(db, filters, bars);
      if (args.values.json) {
        printJson(io, {
          widthUs: h.widthUs,
          total: h.total,
          caseFirstUs: h.caseFirstUs,
          caseLastUs: h.caseLastUs,
          bars: h.buckets.map(timelineBarJson),
        });
        return 0;
      }
      if (h.buckets.length === 0) {
        io.out('no requests in the range');
        return 0;
      }
      let most = 0;
      for (const b of h.buckets) most = Math.max(most, bucketRequests(b));
      io.out(
        table(
          h.buckets.map((b) => {
            const n = bucketRequests(b);
            return [
              formatUs(b.startUs),
              n,
              b.s2xx,
              b.s3xx,
              b.s4xx,
              b.s5xx,
              b.other,
              // At least one mark for a bar with any request: a lone request stays visible.
              n === 0 ? '' : '#'.repeat(Math.max(1, Math.round((n / most) * BAR_CHARS))),
            ];
          }),
          ['from (UTC)', 'requests', '2xx', '3xx', '4xx', '5xx', 'other', ''],
        ),
      );
      io.out(`${h.total} requests, ${h.buckets.length} bars of ${h.widthUs / 1e6} s`);
      return 0;
    } finally {
      db.close();
    }
  },
};
