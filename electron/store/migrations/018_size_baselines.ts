import type { Migration } from './index.js';

/**
 * Response sizes are judged per endpoint and status class (electron/analysis/outliersGroups.ts):
 * each group's size baseline is kept here by the full rebuild, one row per (endpoint, class)
 * with a size, so a size outlier is shown against the median it was judged by; the endpoints
 * keep their endpoint-wide figures for the inventory. A case analysed before judged sizes per
 * endpoint and has no rows here (its requests are shown against their endpoint's median, as
 * they were judged): its analysis is made stale, so its next change runs a full rebuild. One
 * without any size has nothing judged differently and stays current.
 */
export const m018SizeBaselines: Migration = {
  version: 18,
  name: 'size baselines per status class',
  sql: `
    CREATE TABLE endpoint_size_baselines (
      endpoint_id INTEGER NOT NULL,
      status_class INTEGER NOT NULL,
      size_count INTEGER NOT NULL,
      size_median REAL,
      size_p95 REAL,
      size_mad REAL,
      PRIMARY KEY (endpoint_id, status_class)
    ) STRICT, WITHOUT ROWID;
    DELETE FROM analysis_state
      WHERE key = 'analysis_basis' AND EXISTS (SELECT 1 FROM endpoints WHERE size_count > 0);
  `,
};
