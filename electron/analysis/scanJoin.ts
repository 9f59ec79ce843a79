import type { CaseDb } from '../store/openCase.js';
import { PLAIN_COLUMNS, STRING_COLUMNS, type ScanColumns, type ScanResult } from './scanResult.js';
import { PARAM_SAMPLE, type ScanPart } from './scanRows.js';

const PARAM_NAMES_MAX = 30;

/**
 * A part as it crosses to another thread: its interners as their values, in id order.
 * (A part scanned on this thread is one too, through `posted`.)
 */
export interface PostedPart extends Omit<ScanPart, 'strings' | 'keys' | 'rawEndpoints'> {
  strings: readonly string[];
  keys: readonly string[];
  rawEndpoints: readonly string[];
}

export function posted(p: ScanPart): PostedPart {
  return {
    ...p,
    strings: p.strings.values,
    keys: p.keys.values,
    rawEndpoints: p.rawEndpoints.values,
  };
}

/** The buffers of a part's columns, to transfer rather than copy. */
export function columnBuffers(p: ScanColumns): ArrayBuffer[] {
  // Columns in shared memory (emptyPart's) go with the message as they are.
  return [...STRING_COLUMNS, ...PLAIN_COLUMNS, 'key', 'rawEndpoint'].flatMap((c) => {
    const buffer = p[c as keyof ScanColumns].buffer;
    return buffer instanceof ArrayBuffer ? [buffer] : [];
  });
}

/** `values` interned into `into` in order: the id each had there → its id in `into`. */
function remap(values: readonly string[], into: { id(s: string): number }): Int32Array {
  const to = new Int32Array(values.length);
  for (let j = 0; j < values.length; j++) to[j] = into.id(values[j]!);
  return to;
}

function copyIds(from: Int32Array, to: Int32Array, at: number, n: number, map: Int32Array): void {
  for (let j = 0; j < n; j++) {
    const v = from[j]!;
    to[at + j] = v < 0 ? v : map[v]!;
  }
}

/**
 * Appends the scan of the range that follows `into`'s to it, as if one scan had read both:
 * `into` must have room for both. A part's strings are interned in order of first appearance
 * in its range, so interning the next part's strings into `into` in their id order gives each
 * new string the id a single scan would have given it; the sampled queries of each endpoint
 * are `into`'s and then the part's, the first PARAM_SAMPLE of both kept.
 */
export function appendPart(into: ScanPart, part: PostedPart): void {
  const at = into.n;
  const n = part.n;
  if (at + n > into.requestId.length) throw new Error('scan part does not fit');
  const strings = remap(part.strings, into.strings);
  const keys = remap(part.keys, into.keys);
  const endpoints = remap(part.rawEndpoints, into.rawEndpoints);
  for (const c of PLAIN_COLUMNS) into[c].set(part[c].subarray(0, n), at);
  for (const c of STRING_COLUMNS) copyIds(part[c], into[c], at, n, strings);
  copyIds(part.key, into.key, at, n, keys);
  copyIds(part.rawEndpoint, into.rawEndpoint, at, n, endpoints);
  for (let j = 0; j < n; j++) into.query[at + j] = part.query[j] ?? null;
  for (const x of part.issued) into.issued.push({ index: at + x.index, key: keys[x.key]! });
  for (const [index, cards] of part.cards) into.cards.set(at + index, cards);
  for (const [ep, samples] of part.paramSamples) {
    const e = endpoints[ep]!;
    let mine = into.paramSamples.get(e);
    if (!mine) into.paramSamples.set(e, (mine = []));
    for (const s of samples) {
      if (mine.length >= PARAM_SAMPLE) break;
      mine.push(s);
    }
  }
  into.n = at + n;
}

/** Each source's id → its file's sha256 (the scans' sourceSha). */
export function sourceShas(db: CaseDb): Map<number, string> {
  const rows = db.prepare('SELECT id, sha256 FROM sources').all() as {
    id: number;
    sha256: string;
  }[];
  return new Map(rows.map((r) => [r.id, r.sha256]));
}

/** The scan of every request, from the part that holds them all. */
export function finishScan(p: ScanPart, sourceSha: Map<number, string>): ScanResult {
  const rawEndpointParams = new Map<number, Set<string>>();
  for (const [ep, samples] of p.paramSamples) {
    const set = new Set<string>();
    for (const names of samples)
      for (const name of names) {
        if (set.size >= PARAM_NAMES_MAX) break;
        set.add(name);
      }
    rawEndpointParams.set(ep, set);
  }
  return { ...p, rawEndpointParams, sourceSha };
}
