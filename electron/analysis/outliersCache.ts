import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CACHE_MAX_BYTES, dropCache, readCache, writeCache } from './analysisCache.js';
import { codeIdentity, runningBundle } from './codeIdentity.js';
import { sha256Hex } from './hashIds.js';
import type { BaselineRow, EndpointResult } from './endpointsStep.js';
import { STATUS_CLASSES, type SizeGroup } from './outliersGroups.js';
import type { OutlierResult } from './outliersStep.js';
import type { RebuildContext } from './rebuildContext.js';

/*
 * The outlier scores and baselines kept in the case (analysis_cache as `outliers`, migration
 * 14): they depend on the requests' latencies and sizes (pinned by the scan cache's basis),
 * which endpoint each request belongs to (digested), the outlier settings and the code, so a
 * rebuild after another change (the timeout, verdict thresholds, flow rules) reads them back.
 * The size baselines per (endpoint, status class) are kept with them; the class of a request
 * follows from its status, pinned with its size by the scan's basis.
 */

export const CACHE_NAME = 'outliers';

/**
 * Bumped when what is kept, or how, changes. 2: sizes judged per (endpoint, status class),
 * whose baselines are kept after the endpoints'.
 */
const FORMAT = 2;

/** The outlier code as run from source. */
const SOURCES = [
  './outliersStep.ts',
  './outliersCache.ts',
  './outliersGroups.ts',
  '../../shared/analysis/robustStats.ts',
];

let code: string | null | undefined;

/** Per endpoint: latency and size (count, median, p95, mad; count NaN: none), outlier count. */
const PER_ENDPOINT = 9;
/** Per size group: endpoint index, status class, size (count, median, p95, mad). */
const PER_GROUP = 6;

/** Numbers kept for `n` requests, `e` endpoints and `g` size groups (the flags' bytes follow). */
function numberCount(n: number, e: number, g: number): number {
  return 2 * n + PER_ENDPOINT * e + PER_GROUP * g;
}

/**
 * What the outliers of this rebuild are derived from; null when the scan's basis or the code
 * is unknown (nothing is then kept).
 */
export function outliersBasis(ctx: RebuildContext, ep: EndpointResult, n: number): string | null {
  if (ctx.scanBasis === undefined) return null;
  if (code === undefined) code = codeIdentity(runningBundle(), SOURCES);
  if (code === null) return null;
  const endpoints = createHash('sha256')
    .update(new Uint8Array(ep.of.buffer, ep.of.byteOffset, n * 4))
    .digest('hex');
  return JSON.stringify({
    format: FORMAT,
    code,
    scan: sha256Hex(ctx.scanBasis),
    endpoints,
    count: ep.list.length,
    settings: ctx.settings.outliers,
  });
}

function rowOf(a: Float64Array, at: number): BaselineRow | null {
  if (Number.isNaN(a[at]!)) return null;
  return { count: a[at]!, median: a[at + 1]!, p95: a[at + 2]!, mad: a[at + 3]! };
}

function putRow(a: Float64Array, at: number, b: BaselineRow | null): void {
  if (b === null) a.fill(NaN, at, at + 4);
  else a.set([b.count, b.median, b.p95, b.mad], at);
}

/** Stores the outliers `out` and the endpoints' and size groups' baselines under `basis`. */
export function writeOutliersCache(
  ctx: RebuildContext,
  basis: string,
  ep: EndpointResult,
  out: OutlierResult,
  n: number,
  total: number,
): void {
  const e = ep.list.length;
  const g = out.sizeGroups.length;
  // Not even built when too large to keep (writeCache then keeps nothing).
  if (8 * numberCount(n, e, g) + n > CACHE_MAX_BYTES) return dropCache(ctx.db, CACHE_NAME);
  const numbers = new Float64Array(numberCount(n, e, g));
  numbers.set(out.latencyZ.subarray(0, n), 0);
  numbers.set(out.sizeZ.subarray(0, n), n);
  ep.list.forEach((info, k) => {
    const at = 2 * n + PER_ENDPOINT * k;
    putRow(numbers, at, info.latency);
    putRow(numbers, at + 4, info.size);
    numbers[at + 8] = info.outlierCount;
  });
  out.sizeGroups.forEach((group, k) => {
    const at = 2 * n + PER_ENDPOINT * e + PER_GROUP * k;
    numbers[at] = group.endpoint;
    numbers[at + 1] = group.statusClass;
    putRow(numbers, at + 2, group.size);
  });
  const data = Buffer.alloc(numbers.byteLength + n);
  data.set(new Uint8Array(numbers.buffer), 0);
  data.set(out.flags.subarray(0, n), numbers.byteLength);
  writeCache(
    ctx.db,
    CACHE_NAME,
    basis,
    JSON.stringify({ n, endpoints: e, groups: g, total }),
    data,
  );
}

const metaSchema = z.object({
  n: z.number().int().min(0),
  endpoints: z.number().int().min(0),
  groups: z.number().int().min(0),
  total: z.number().int().min(0),
});

/**
 * The size groups kept at `numbers[at ..]`; null unless each is a known endpoint and class
 * with a size, in endpoint then class order, as the outliers step makes them.
 */
function groupsOf(numbers: Float64Array, at: number, g: number, e: number): SizeGroup[] | null {
  const groups: SizeGroup[] = [];
  let last = -1;
  for (let k = 0; k < g; k++, at += PER_GROUP) {
    const endpoint = numbers[at]!;
    const statusClass = numbers[at + 1]!;
    const size = rowOf(numbers, at + 2);
    if (!Number.isInteger(endpoint) || endpoint < 0 || endpoint >= e) return null;
    if (!Number.isInteger(statusClass) || statusClass < 0 || statusClass >= STATUS_CLASSES)
      return null;
    const order = endpoint * STATUS_CLASSES + statusClass;
    if (order <= last || size === null || size.count < 1) return null;
    last = order;
    groups.push({ endpoint, statusClass, size });
  }
  return groups;
}

/**
 * The outliers kept under `basis` (with the size groups' baselines), the endpoints' baselines
 * and outlier counts set on `ep.list`; null when none are kept under it or they do not fit (the
 * caller computes them).
 */
export function readOutliersCache(
  ctx: RebuildContext,
  basis: string,
  ep: EndpointResult,
  n: number,
): { out: OutlierResult; total: number } | null {
  const row = readCache(ctx.db, CACHE_NAME, basis);
  if (row === undefined) return null;
  let meta: z.infer<typeof metaSchema>;
  try {
    meta = metaSchema.parse(JSON.parse(row.meta));
  } catch {
    return null;
  }
  const e = ep.list.length;
  const numberBytes = 8 * numberCount(n, e, meta.groups);
  if (meta.n !== n || meta.endpoints !== e || row.data.length !== numberBytes + n) return null;
  // A copy of our own: the blob's bytes need not be aligned for a Float64 view.
  const numbers = new Float64Array(numberBytes / 8);
  new Uint8Array(numbers.buffer).set(row.data.subarray(0, numberBytes));
  const sizeGroups = groupsOf(numbers, 2 * n + PER_ENDPOINT * e, meta.groups, e);
  if (sizeGroups === null) return null;
  const flags = new Uint8Array(n);
  flags.set(row.data.subarray(numberBytes));
  ep.list.forEach((info, k) => {
    const at = 2 * n + PER_ENDPOINT * k;
    info.latency = rowOf(numbers, at);
    info.size = rowOf(numbers, at + 4);
    info.outlierCount = numbers[at + 8]!;
  });
  return {
    out: { flags, latencyZ: numbers.slice(0, n), sizeZ: numbers.slice(n, 2 * n), sizeGroups },
    total: meta.total,
  };
}
