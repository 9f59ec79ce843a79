import type { Migration } from './index.js';

/**
 * The case's requests per period of time (one second, minute, hour or UTC day: the width is in
 * analysis_state under `time_buckets`) and status class, with each period's first and last
 * request: derived by the rebuild (analysis/timeBucketsStep.ts), so the case's histogram adds
 * up these rows instead of grouping every request (query/timeBucketsHistogram.ts). Empty in a
 * case analysed before this version: its histogram counts the requests until the next rebuild.
 */
export const TIME_BUCKETS_CREATE = `CREATE TABLE time_buckets (
    start_us INTEGER PRIMARY KEY,
    n INTEGER NOT NULL,
    s2 INTEGER NOT NULL,
    s3 INTEGER NOT NULL,
    s4 INTEGER NOT NULL,
    s5 INTEGER NOT NULL,
    first_us INTEGER NOT NULL,
    last_us INTEGER NOT NULL
  ) STRICT`;

export const m028TimeBuckets: Migration = {
  version: 28,
  name: 'time buckets of the requests',
  // A state left by a case of this version set back (its rows are gone) is void.
  sql: `${TIME_BUCKETS_CREATE};
    DELETE FROM analysis_state WHERE key = 'time_buckets';`,
};
