import { BatchInsert } from './batchInsert.js';
import type { CaseDb } from '../store/openCase.js';

/**
 * The endpoint_aliases rows (migration 29): each id an endpoint had under its host as logged,
 * before hosts were folded, with the index of the endpoint it is now (stored id - 1). Sorted,
 * so the table is written the same way every time.
 */
export type EndpointAliases = readonly (readonly [alias: string, index: number])[];

/** Replaces endpoint_aliases with `aliases`. */
export function writeEndpointAliases(db: CaseDb, aliases: EndpointAliases): void {
  db.exec('DELETE FROM endpoint_aliases');
  const rows = new BatchInsert(db, 'endpoint_aliases', ['alias', 'endpoint_id']);
  for (const [alias, index] of aliases) rows.push(alias, index + 1);
  rows.flush();
}
