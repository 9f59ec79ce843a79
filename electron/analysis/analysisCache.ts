import type { CaseDb } from '../store/openCase.js';

/*
 * The analysis cache (analysis_cache, migration 14): what a rebuild step derived, kept under a
 * name with the basis it was derived from (scanCache.ts, outliersCache.ts). Read only under the
 * same basis; written over whatever was kept under the name before.
 */

export interface CacheEntry {
  meta: string;
  data: Uint8Array;
}

/** The entry kept as `name` when it was made from `basis`. */
export function readCache(db: CaseDb, name: string, basis: string): CacheEntry | undefined {
  return db
    .prepare('SELECT meta, data FROM analysis_cache WHERE name = ? AND basis = ?')
    .get(name, basis) as CacheEntry | undefined;
}

export function writeCache(
  db: CaseDb,
  name: string,
  basis: string,
  meta: string,
  data: Uint8Array,
): void {
  db.prepare(
    'INSERT OR REPLACE INTO analysis_cache (name, basis, meta, data) VALUES (?, ?, ?, ?)',
  ).run(name, basis, meta, data);
}
