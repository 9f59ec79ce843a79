import { factValuesTable, requestFactsTableV14 } from './002_analysis.js';
import type { Migration } from './index.js';

const STRING_COLUMNS = ['ip', 'method', 'user', 'role'] as const;

/** The id of the old row's string column `c`. */
const idOf = (c: (typeof STRING_COLUMNS)[number]): string =>
  `(SELECT id FROM fact_values WHERE value = o.${c})`;

/**
 * request_facts' ip, method, user and role become fact_values ids (002_analysis.ts says why).
 * A case analysed before this version has its facts converted here, the strings numbered in
 * sorted order (a rebuild numbers them its own way: first appearance); a fresh case converts
 * its empty tables.
 */
export const m009FactValues: Migration = {
  version: 9,
  name: 'fact values',
  sql: `
    DROP TABLE IF EXISTS fact_values;
    ${factValuesTable.create};
    INSERT INTO fact_values (value)
      SELECT v FROM (${STRING_COLUMNS.map((c) => `SELECT ${c} AS v FROM request_facts`).join(' UNION ')})
      WHERE v IS NOT NULL ORDER BY v;
    ${factValuesTable.indexes.map((i) => `${i};`).join('\n')}
    ALTER TABLE request_facts RENAME TO request_facts_v8;
    ${requestFactsTableV14.create};
    INSERT INTO request_facts (session_id, ts_us, request_id, endpoint_id, ip, method, status,
        user, role, outlier, latency_z, size_z)
      SELECT o.session_id, o.ts_us, o.request_id, o.endpoint_id, ${idOf('ip')}, ${idOf('method')},
        o.status, ${idOf('user')}, ${idOf('role')}, o.outlier, o.latency_z, o.size_z
      FROM request_facts_v8 o;
    DROP TABLE request_facts_v8;
    ${requestFactsTableV14.indexes.map((i) => `${i};`).join('\n')}
  `,
};
