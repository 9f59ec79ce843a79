import type { Migration } from './index.js';

/**
 * What the risk score reads from each endpoint's requests (riskInputs.ts), kept by the full
 * rebuild so a change that only moves findings or flows (a false-positive mark, a suppress
 * rule, a spec load, a flow tag) re-scores the endpoints without reading every request again.
 * A case analysed before this version has none until its next full rebuild; until then those
 * changes read the requests as before (riskInputsStore.ts). The session list's sorts by a count
 * or a duration break ties by first time (002_analysis.ts says why): their indexes are rebuilt.
 */
export const m016RiskInputs: Migration = {
  version: 16,
  name: 'risk inputs, session sort ties',
  sql: `
    DROP INDEX sessions_requests;
    DROP INDEX sessions_duration;
    DROP INDEX sessions_outliers;
    CREATE INDEX sessions_requests ON sessions (request_count, first_us, sid);
    CREATE INDEX sessions_duration ON sessions (duration_us, first_us, sid);
    CREATE INDEX sessions_outliers ON sessions (outlier_count, first_us, sid);
    CREATE TABLE endpoint_risk_inputs (
      endpoint_id INTEGER PRIMARY KEY,
      server_errors INTEGER NOT NULL,
      anonymous_ok INTEGER NOT NULL,
      card_numbers INTEGER NOT NULL,
      body_types TEXT NOT NULL
    ) STRICT;
  `,
};
