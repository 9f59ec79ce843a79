import { maskOfFlows } from '../../shared/analysis/flowRules.js';
import type { EndpointFilters } from '../../shared/contract/analysisApi.js';

/**
 * The filters as a condition on `endpoints e` with its parameters ('1' without any). Each is a
 * bound parameter or a constant: no text of the filters is spliced into the SQL.
 */
export function endpointWhere(filters: EndpointFilters = {}): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const marks = (n: number): string => Array(n).fill('?').join(', ');
  if (filters.text !== undefined) {
    // SQLite's lower() folds ASCII only, as the requests' free-text filter does.
    parts.push(
      '(instr(lower(e.template), ?) > 0 OR instr(lower(e.host), ?) > 0 OR lower(e.method) = ?)',
    );
    const needle = filters.text.toLowerCase();
    params.push(needle, needle, needle);
  }
  if (filters.levels?.length) {
    parts.push(
      `EXISTS (SELECT 1 FROM endpoint_risk k WHERE k.eid = e.eid AND k.level IN (${marks(filters.levels.length)}))`,
    );
    params.push(...filters.levels);
  }
  if (filters.spec?.length) {
    parts.push(
      `EXISTS (SELECT 1 FROM endpoint_spec_status p WHERE p.eid = e.eid AND p.status IN (${marks(filters.spec.length)}))`,
    );
    params.push(...filters.spec);
  }
  if (filters.flows?.length) {
    parts.push('(e.flows & ?) != 0');
    params.push(maskOfFlows(filters.flows));
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : '1', params };
}
