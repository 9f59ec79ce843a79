import { z } from 'zod';
import type { ContextParam } from '../../shared/analysis/settings.js';
import type { CaseDb } from '../store/openCase.js';
import { COLUMN_STRINGS, decodeChunk } from '../store/requestColumns.js';
import { CACHE_MAX_BYTES, dropCache, readCache, writeCache } from './analysisCache.js';
import { codeIdentity } from './codeIdentity.js';
import { secretDigest, sha256Hex } from './hashIds.js';
import { Interner } from './interner.js';
import type { RebuildContext } from './rebuildContext.js';
import { readQueries } from './requestQueries.js';
import { requestsCoverage } from './requestsCoverage.js';
import { columnsCovering, type ColumnsCover } from './scanColumns.js';
import { finishScan, sourceShas } from './scanJoin.js';
import { keyString, splitKey, type ScanResult } from './scanResult.js';
import { emptyPart, type ScanPart } from './scanRows.js';
import { defaultScanWorkerFile } from './scanWorker.js';

/*
 * The scan's own results kept in the case (analysis_cache as `scan`, migration 14), so that a
 * rebuild under the same key parameters — after a change of the timeout, the outlier or verdict
 * thresholds, the flow rules — reads them instead of scanning every request again. Kept: per request the
 * ids the scan gave (session key, raw endpoint, user, role, body type, ip, agent, method, host),
 * its path hash and anonymity, and the interned strings those ids name; the numbers (time,
 * line, status, latency, size) come from request_columns, which describe the same requests,
 * and the query strings only when a step asks for them (from `requests`). Secret key values
 * are kept only as the digests the sessions show (ScanResult.keysDigested).
 */

const QUERY = COLUMN_STRINGS.indexOf('query');

/** The name the scan is kept under in analysis_cache. */
export const CACHE_NAME = 'scan';

/**
 * Bumped when what is kept, or how, changes: a cache of another format is not read. 2: the
 * sampled query parameter names per raw endpoint, which a scan of added requests joins.
 */
export const SCAN_CACHE_FORMAT = 2;

/** The per-request columns kept, as 32-bit integers, in this order; then `anonymous` (bytes). */
const KEPT = [
  'key',
  'rawEndpoint',
  'user',
  'role',
  'bodyType',
  'ip',
  'ua',
  'method',
  'host',
  'pathHash',
] as const;
const BYTES_PER_REQUEST = KEPT.length * 4 + 1;

/** The scan's code as run from source (tests, a checkout): everything it is built from. */
const SOURCES = ['.', '../../shared', '../store/requestColumns.ts'];

let code: string | null | undefined;

/** The scan code: the scan worker's bundle (it holds all of it), else its sources. */
function scanCode(): string | null {
  if (code === undefined) code = codeIdentity(defaultScanWorkerFile(), SOURCES);
  return code;
}

/**
 * What a scan of `n` requests under `ctx`'s key parameters is derived from; null when the scan
 * code cannot be identified (nothing is then kept).
 */
export function scanCacheBasis(ctx: RebuildContext, n: number): string | null {
  const c = scanCode();
  if (c === null) return null;
  return JSON.stringify({
    format: SCAN_CACHE_FORMAT,
    code: c,
    requests: requestsCoverage(ctx.db, n),
    params: ctx.params,
    // The secret key digests kept depend on the case's salt.
    salt: sha256Hex(`scan cache\n${ctx.salt}`).slice(0, 16),
  });
}

/** Key strings as kept: a secret parameter's value replaced by its digest. */
export function keptKeys(
  keys: readonly string[],
  params: readonly ContextParam[],
  salt: string,
): string[] {
  return keys.map((k) => {
    const { param, value } = splitKey(k);
    return params[param]?.secret ? keyString(param, secretDigest(salt, value)) : k;
  });
}

/** Stores `scan` as the case's scan cache under `basis`, replacing any other. */
export function writeScanCache(ctx: RebuildContext, basis: string, scan: ScanResult): void {
  const n = scan.n;
  // Not even built when too large to keep (writeCache then keeps nothing).
  if (n * BYTES_PER_REQUEST > CACHE_MAX_BYTES) return dropCache(ctx.db, CACHE_NAME);
  const data = Buffer.alloc(n * BYTES_PER_REQUEST);
  let at = 0;
  for (const c of KEPT) {
    const a = scan[c];
    data.set(new Uint8Array(a.buffer, a.byteOffset, n * 4), at);
    at += n * 4;
  }
  data.set(scan.anonymous.subarray(0, n), at);
  const meta = JSON.stringify({
    n,
    strings: scan.strings.values,
    keys: scan.keysDigested ? scan.keys.values : keptKeys(scan.keys.values, ctx.params, ctx.salt),
    rawEndpoints: scan.rawEndpoints.values,
    paramSamples: [...scan.paramSamples],
    cards: [...scan.cards],
    issued: scan.issued.map((x) => [x.index, x.key]),
  });
  writeCache(ctx.db, CACHE_NAME, basis, meta, data);
}

const index = z.number().int().min(0);
const metaSchema = z.object({
  n: index,
  strings: z.array(z.string()),
  keys: z.array(z.string()),
  rawEndpoints: z.array(z.string()),
  paramSamples: z.array(z.tuple([index, z.array(z.array(z.string()))])),
  cards: z.array(z.tuple([index, index])),
  issued: z.array(z.tuple([index, index])),
});
export type KeptMeta = z.infer<typeof metaSchema>;

/** The kept meta when `text` is one, else null (damaged: not read). */
export function parseKeptMeta(text: string): KeptMeta | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = metaSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/**
 * The scan of the `n` requests kept under `basis`; null when none is kept under it or it is
 * damaged (the caller scans and keeps its own), 'no columns' when it is kept but
 * request_columns do not cover the requests (kept as it is: the columns may come later).
 */
export function readScanCache(
  ctx: RebuildContext,
  basis: string,
  n: number,
): ScanResult | 'no columns' | null {
  const { db } = ctx;
  const row = readCache(db, CACHE_NAME, basis);
  if (row === undefined) return null;
  const cover = columnsCovering(db, n, { strings: false });
  if (cover === null) return 'no columns';
  const meta = parseKeptMeta(row.meta);
  if (meta === null || meta.n !== n) return null;
  const part = keptPart(db, cover.chunks, meta, row.data);
  return part === null ? null : keptResult(db, part);
}

/**
 * The scan part the kept values and the columns of `chunks` give together: exactly what the
 * scan of those requests gave (the interned strings in their order, every id, secret key values
 * as their digests), in a part of `capacity` slots; null when they do not fit each other. The
 * query strings only with the columns' `dictionaries` (else they stay null).
 */
export function keptPart(
  db: CaseDb,
  chunks: ColumnsCover['chunks'],
  meta: KeptMeta,
  data: Uint8Array,
  capacity = meta.n,
  dictionaries?: ColumnsCover['dictionaries'],
): ScanPart | null {
  const n = meta.n;
  if (data.length !== n * BYTES_PER_REQUEST || capacity < n) return null;
  const r = emptyPart(capacity);
  const s = Interner.of(meta.strings);
  const keys = Interner.of(meta.keys);
  const rawEndpoints = Interner.of(meta.rawEndpoints);
  for (const [ep] of meta.paramSamples) if (ep >= rawEndpoints.size) return null;
  const readData = db.prepare('SELECT data FROM request_columns WHERE id = ?').pluck(true);
  let i = 0;
  for (const ref of chunks) {
    const bytes = readData.get(ref.rowid) as Uint8Array | undefined;
    if (bytes === undefined) return null;
    const k0 = decodeChunk(ref.sourceId, ref.firstId, ref.count, bytes);
    const count = ref.count;
    if (i + count > n) return null;
    r.ts.set(k0.ts.subarray(0, count), i);
    r.lineNo.set(k0.lineNo.subarray(0, count), i);
    r.status.set(k0.status.subarray(0, count), i);
    r.latency.set(k0.latency.subarray(0, count), i);
    r.size.set(k0.size.subarray(0, count), i);
    r.sourceId.fill(ref.sourceId, i, i + count);
    for (let k = 0; k < count; k++) r.requestId[i + k] = ref.firstId + k;
    if (dictionaries !== undefined) {
      const dict = dictionaries.get(ref.sourceId);
      const ids = k0.strings[QUERY]!;
      if (dict === undefined) return null;
      for (let k = 0; k < count; k++) {
        const id = ids[k]!;
        const q = id < 0 ? null : dict[id];
        if (q === undefined) return null;
        // As the scan keeps it: '' as null.
        r.query[i + k] = q === '' ? null : q;
      }
    }
    i += count;
  }
  if (i !== n) return null;

  let at = 0;
  for (const c of KEPT) {
    new Uint8Array(r[c].buffer, r[c].byteOffset, n * 4).set(data.subarray(at, at + n * 4));
    at += n * 4;
  }
  r.anonymous.set(data.subarray(at, at + n));
  if (!within(r.key, n, keys.size, 0) || !within(r.rawEndpoint, n, rawEndpoints.size, 0))
    return null;
  for (const a of [r.ip, r.ua, r.user, r.role, r.bodyType])
    if (!within(a, n, s.size, -1)) return null;
  for (const a of [r.method, r.host]) if (!within(a, n, s.size, 0)) return null;
  for (const [index, key] of meta.issued) if (index >= n || key >= keys.size) return null;
  for (const [index] of meta.cards) if (index >= n) return null;

  return {
    ...r,
    n,
    strings: s,
    keys,
    rawEndpoints,
    issued: meta.issued.map(([index, key]) => ({ index, key })),
    cards: new Map(meta.cards),
    paramSamples: new Map(meta.paramSamples),
  };
}

/**
 * The scan of every request from a part that holds them all with secret key values as their
 * digests. Unless the part holds them (`withQueries`), the query strings are read when a step
 * asks (the verdicts judged here, a text index gaining its id lists), as most rebuilds never do
 * and a million strings cost a few hundred milliseconds.
 */
export function keptResult(db: CaseDb, part: ScanPart, withQueries = false): ScanResult {
  const { query: known, ...rest } = finishScan(part, sourceShas(db));
  const scan: Omit<ScanResult, 'query'> = { ...rest, keysDigested: true };
  if (withQueries) return { ...scan, query: known };
  let query: (string | null)[] | undefined;
  const ids = part.requestId.subarray(0, part.n);
  return Object.defineProperty(scan, 'query', {
    enumerable: true,
    get: () => (query ??= readQueries(db, ids)),
  }) as ScanResult;
}

/** True when the first `n` ids of `a` are each in [min, size). */
function within(a: Int32Array, n: number, size: number, min: number): boolean {
  for (let j = 0; j < n; j++) {
    const v = a[j]!;
    if (v < min || v >= size) return false;
  }
  return true;
}
