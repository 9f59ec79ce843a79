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

/** The entry kept as `name` and the basis it was made from, whatever that was. */
export function readKept(db: CaseDb, name: string): (CacheEntry & { basis: string }) | undefined {
  return db.prepare('SELECT basis, meta, data FROM analysis_cache WHERE name = ?').get(name) as
    (CacheEntry & { basis: string }) | undefined;
}

/**
 * The largest entry kept, in bytes of meta and data each: well under SQLite's limit on one
 * value (1e9 bytes), which a case of some 24M requests would reach with the scan's 41 bytes
 * each. A larger one is not kept (the rebuild it would spare then computes, as without it).
 */
export const CACHE_MAX_BYTES = 512 * 1024 * 1024;

/**
 * Keeps `meta` and `data` as `name` under `basis`, over what was kept before; when either is
 * larger than CACHE_MAX_BYTES, keeps nothing under `name` instead. False when nothing was kept.
 */
export function writeCache(
  db: CaseDb,
  name: string,
  basis: string,
  meta: string,
  data: Uint8Array,
  maxBytes = CACHE_MAX_BYTES,
): boolean {
  if (data.length > maxBytes || Buffer.byteLength(meta) > maxBytes) {
    dropCache(db, name);
    return false;
  }
  db.prepare(
    'INSERT OR REPLACE INTO analysis_cache (name, basis, meta, data) VALUES (?, ?, ?, ?)',
  ).run(name, basis, meta, data);
  return true;
}

/** Keeps nothing under `name`. */
export function dropCache(db: CaseDb, name: string): void {
  db.prepare('DELETE FROM analysis_cache WHERE name = ?').run(name);
}
