import type { Migration } from './index.js';

/**
 * What the risk score reads from each endpoint's requests (riskInputs.ts), kept by the full
 * rebuild so a change that only moves findings or flows (a false-positive mark, a suppress
 * rule, a spec load, a flow tag) re-scores the endpoints without reading every request again.
 * A case analysed before this version has none until its next full rebuild; until then those
 * changes read the requests as before (riskInputsStore.ts).
 */
export const m016RiskInputs: Migration = {
  version: 16,
  name: 'risk inputs',
  sql: `
    CREATE TABLE endpoint_risk_inputs (
      endpoint_id INTEGER PRIMARY KEY,
      server_errors INTEGER NOT NULL,
      anonymous_ok INTEGER NOT NULL,
      card_numbers INTEGER NOT NULL,
      body_types TEXT NOT NULL
    ) STRICT;
  `,
};
