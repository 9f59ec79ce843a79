import { z } from 'zod';
import type { ContextParam } from '../../shared/analysis/settings.js';
import { fnv1a } from '../../shared/verdicts/hash.js';
import type { CaseDb } from '../store/openCase.js';
import { COLUMN_STRINGS, decodeChunk } from '../store/requestColumns.js';
import { codeIdentity } from './codeIdentity.js';
import { secretDigest, sha256Hex } from './hashIds.js';
import { Interner } from './interner.js';
import type { RebuildContext } from './rebuildContext.js';
import { requestsCoverage } from './requestsCoverage.js';
import { columnsCovering, type ColumnsCover } from './scanColumns.js';
import { keyString, splitKey, type ScanResult } from './scanResult.js';
import { emptyPart } from './scanRows.js';
import { defaultScanWorkerFile } from './scanWorker.js';

/*
 * The scan's own results kept in the case (scan_cache, migration 14), so that a rebuild under
 * the same key parameters — after a change of the timeout, the outlier or verdict thresholds,
 * the flow rules — reads them instead of scanning every request again. Kept: per request the
 * values the scan derived (session key, raw endpoint, user, role, body type, anonymity) and the
 * interned strings they name; the rest (times, numbers, ips, agents, hosts, paths, queries)
 * comes from request_columns, which describe the same requests. Secret key values are kept
 * only as the digests the sessions show (ScanResult.keysDigested).
 */

/** Bumped when what is kept, or how, changes: a cache of another format is not read. */
export const SCAN_CACHE_FORMAT = 1;

/** The per-request columns kept, as 32-bit integers, in this order; then `anonymous` (bytes). */
const KEPT = ['key', 'rawEndpoint', 'user', 'role', 'bodyType'] as const;
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
function keptKeys(
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
    rawEndpointParams: [...scan.rawEndpointParams].map(([ep, names]) => [ep, [...names]]),
    cards: [...scan.cards],
    issued: scan.issued.map((x) => [x.index, x.key]),
  });
  ctx.db
    .prepare('INSERT OR REPLACE INTO scan_cache (id, basis, meta, data) VALUES (1, ?, ?, ?)')
    .run(basis, meta, data);
}

const index = z.number().int().min(0);
const metaSchema = z.object({
  n: index,
  strings: z.array(z.string()),
  keys: z.array(z.string()),
  rawEndpoints: z.array(z.string()),
  rawEndpointParams: z.array(z.tuple([index, z.array(z.string())])),
  cards: z.array(z.tuple([index, index])),
  issued: z.array(z.tuple([index, index])),
});
type Meta = z.infer<typeof metaSchema>;

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
  const row = db
    .prepare('SELECT meta, data FROM scan_cache WHERE id = 1 AND basis = ?')
    .get(basis) as { meta: string; data: Uint8Array } | undefined;
  if (row === undefined) return null;
  const cover = columnsCovering(db, n);
  if (cover === null) return 'no columns';
  let json: unknown;
  try {
    json = JSON.parse(row.meta);
  } catch {
    return null;
  }
  const parsed = metaSchema.safeParse(json);
  if (!parsed.success || parsed.data.n !== n || row.data.length !== n * BYTES_PER_REQUEST)
    return null;
  return fromColumns(db, cover, parsed.data, row.data);
}

/** Per source: its dictionary and what its strings gave, once per string. */
interface SourceStrings {
  dict: string[];
  /** Dictionary id → strings-interner id (-2: not yet). */
  interned: Int32Array;
  /** Path dictionary id → fnv1a of the path, + 1 (0: not yet). */
  pathHash: Float64Array;
}

const IP = COLUMN_STRINGS.indexOf('ip');
const UA = COLUMN_STRINGS.indexOf('user_agent');
const METHOD = COLUMN_STRINGS.indexOf('method');
const HOST = COLUMN_STRINGS.indexOf('host');
const PATH = COLUMN_STRINGS.indexOf('path');
const QUERY = COLUMN_STRINGS.indexOf('query');

/**
 * The ScanResult the kept values and the columns give together: exactly what the scan gave
 * (the interned strings in their order, every id), or null when they do not fit each other.
 */
function fromColumns(
  db: CaseDb,
  cover: ColumnsCover,
  meta: Meta,
  data: Uint8Array,
): ScanResult | null {
  const n = meta.n;
  const r = emptyPart(n);
  const s = Interner.of(meta.strings);
  const keys = Interner.of(meta.keys);
  const rawEndpoints = Interner.of(meta.rawEndpoints);
  const readData = db.prepare('SELECT data FROM request_columns WHERE id = ?').pluck(true);
  const sources = new Map<number, SourceStrings>();
  let beyond = false;
  const intern = (c: SourceStrings, id: number): number => {
    if (id < 0) return -1;
    let v = c.interned[id];
    if (v === -2) {
      c.interned[id] = v = s.id(c.dict[id]!);
    } else if (v === undefined) {
      beyond = true;
      return -1;
    }
    return v;
  };
  let i = 0;
  for (const ref of cover.chunks) {
    let c = sources.get(ref.sourceId);
    if (c === undefined) {
      const dict = cover.dictionaries.get(ref.sourceId)!;
      c = {
        dict,
        interned: new Int32Array(dict.length).fill(-2),
        pathHash: new Float64Array(dict.length),
      };
      sources.set(ref.sourceId, c);
    }
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
    const [ipCol, uaCol, methodCol, hostCol, pathCol, queryCol] = [
      IP,
      UA,
      METHOD,
      HOST,
      PATH,
      QUERY,
    ].map((j) => k0.strings[j]!) as [
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
    ];
    for (let k = 0; k < count; k++, i++) {
      r.requestId[i] = ref.firstId + k;
      r.ip[i] = intern(c, ipCol[k]!);
      r.ua[i] = intern(c, uaCol[k]!);
      const methodD = methodCol[k]!;
      const hostD = hostCol[k]!;
      r.method[i] = methodD < 0 ? s.id('-') : intern(c, methodD);
      r.host[i] = hostD < 0 ? s.id('') : intern(c, hostD);
      const pathD = pathCol[k]!;
      if (pathD < 0) r.pathHash[i] = fnv1a('');
      else {
        let h = c.pathHash[pathD];
        if (h === undefined) return null;
        if (h === 0) c.pathHash[pathD] = h = fnv1a(c.dict[pathD]!) + 1;
        r.pathHash[i] = h - 1;
      }
      const queryD = queryCol[k]!;
      const query = queryD < 0 ? null : c.dict[queryD];
      if (query === undefined) return null;
      r.query[i] = query === '' ? null : query;
    }
  }
  // A string the scan never interned, or an id beyond a dictionary: they do not fit.
  if (i !== n || beyond || s.size !== meta.strings.length) return null;

  let at = 0;
  for (const c of KEPT) {
    new Uint8Array(r[c].buffer, r[c].byteOffset, n * 4).set(data.subarray(at, at + n * 4));
    at += n * 4;
  }
  r.anonymous.set(data.subarray(at, at + n));
  if (!within(r.key, n, keys.size, 0) || !within(r.rawEndpoint, n, rawEndpoints.size, 0))
    return null;
  for (const a of [r.user, r.role, r.bodyType]) if (!within(a, n, s.size, -1)) return null;
  for (const [index, key] of meta.issued) if (index >= n || key >= keys.size) return null;
  for (const [index] of meta.cards) if (index >= n) return null;

  const sourceSha = new Map(
    (db.prepare('SELECT id, sha256 FROM sources').all() as { id: number; sha256: string }[]).map(
      (x) => [x.id, x.sha256],
    ),
  );
  const { paramSamples: _samples, ...part } = r;
  return {
    ...part,
    n,
    strings: s,
    keys,
    rawEndpoints,
    issued: meta.issued.map(([index, key]) => ({ index, key })),
    cards: new Map(meta.cards),
    rawEndpointParams: new Map(meta.rawEndpointParams.map(([ep, names]) => [ep, new Set(names)])),
    sourceSha,
    keysDigested: true,
  };
}

/** True when the first `n` ids of `a` are each in [min, size). */
function within(a: Int32Array, n: number, size: number, min: number): boolean {
  for (let j = 0; j < n; j++) {
    const v = a[j]!;
    if (v < min || v >= size) return false;
  }
  return true;
}
