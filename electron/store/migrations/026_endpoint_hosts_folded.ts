import type { Migration } from './index.js';

/**
 * An endpoint's host is now compared whatever the case of its letters A–Z (shared/analysis/
 * hostName.ts `hostKey`): `Shop.Example` and `shop.example` are one endpoint. A case analysed
 * before with an endpoint whose host has an upper-case letter holds them split (two risk
 * scores, two baselines): its analysis is made stale, so the app offers the rebuild and the CLI
 * warns. The scan cache keeps the hosts as logged and stays valid (the endpoints step folds
 * them). Other cases, nearly all (hosts are mostly logged in lower case), keep their analysis.
 */
export const m026EndpointHostsFolded: Migration = {
  version: 26,
  name: 'endpoint hosts folded',
  sql: `
    DELETE FROM analysis_state
      WHERE key = 'analysis_basis'
        AND EXISTS (SELECT 1 FROM endpoints WHERE host GLOB '*[A-Z]*');
  `,
};
