import { readKept } from './analysisCache.js';
import type { RebuildContext } from './rebuildContext.js';
import { onlyAppended, type Coverage } from './requestsCoverage.js';
import { ColumnsMismatch, columnsCovering, scanColumns } from './scanColumns.js';
import { CACHE_NAME, keptKeys, keptPart, keptResult, parseKeptMeta } from './scanCache.js';
import { appendPart, posted } from './scanJoin.js';
import type { ScanResult } from './scanResult.js';

/*
 * The scan after an import into an analysed case: the kept scan of the requests it was made
 * from (scanCache.ts) and a scan of the requests added since, from their analysis columns,
 * joined into what one scan of every request gives (scanJoin.ts; the same join as the scan
 * worker's part). An import of 20,000 requests into a case of 1M then scans 20,000.
 */

/** A scan cache basis as scanCacheBasis writes it. */
interface Basis {
  requests: Coverage;
  [other: string]: unknown;
}

/** The basis without its requests: what else the kept scan must share with this rebuild's. */
function rest(b: Basis): string {
  const { requests: _requests, ...others } = b;
  return JSON.stringify(others);
}

/**
 * The scan of the `n` requests there are, when a scan kept under another `basis` covers the
 * earlier of them, every request since was added after those, they are fewer than those, and
 * the columns describe every request, with how many were added; null otherwise (the caller
 * scans them all).
 */
export function scanAppended(
  ctx: RebuildContext,
  basis: string,
  n: number,
): { scan: ScanResult; added: number } | null {
  const { db } = ctx;
  const kept = readKept(db, CACHE_NAME);
  if (kept === undefined || kept.basis === basis) return null;
  const before = JSON.parse(kept.basis) as Basis;
  const now = JSON.parse(basis) as Basis;
  const added = n - before.requests.count;
  if (
    rest(before) !== rest(now) ||
    added <= 0 ||
    added > before.requests.count ||
    !onlyAppended(db, before.requests, now.requests)
  )
    return null;
  const cover = columnsCovering(db, n);
  const meta = parseKeptMeta(kept.meta);
  if (cover === null || meta === null || meta.n !== before.requests.count) return null;
  const last = before.requests.maxId;
  const earlier = cover.chunks.filter((c) => c.firstId + c.count - 1 <= last);
  if (earlier.reduce((t, c) => t + c.count, 0) !== meta.n) return null;
  // With the query strings, from the dictionaries read anyway: most of what the added requests
  // cost otherwise was reading a million of them for the text index's common values.
  const into = keptPart(db, earlier, meta, kept.data, n, cover.dictionaries);
  if (into === null) return null;
  try {
    const later = scanColumns(
      db,
      ctx.params,
      cover,
      { after: last, upTo: Infinity, count: added },
      added,
      ctx.cancelPoint,
    );
    if (later.n !== added) return null;
    // The kept keys hold secret values as their digests: the added requests' alike.
    const part = { ...posted(later), keys: keptKeys(later.keys.values, ctx.params, ctx.salt) };
    appendPart(into, part);
  } catch (err) {
    if (err instanceof ColumnsMismatch) return null;
    throw err;
  }
  return { scan: keptResult(db, into, true), added };
}
