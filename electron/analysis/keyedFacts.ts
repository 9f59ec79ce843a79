// keyed_facts and fact_values (002_analysis.ts): writing them, and knowing when the rows a
// rebuild would write are those already stored (a settings change that only moves session
// boundaries), so the write step keeps them instead.
import { createHash } from 'node:crypto';
import { readState, writeState } from './settingsRepo.js';
import { BatchInsert } from './batchInsert.js';
import { need, type RebuildContext } from './rebuildContext.js';
import type { CaseDb } from '../store/openCase.js';

/** Bumped when what writeKeyedFacts stores for the same arrays changes (rounding, columns). */
const FORMAT = 'keyed_facts 1';
/** analysis_state's key for the digest of the rows keyed_facts holds. */
export const KEYED_FACTS_STATE_KEY = 'keyed_facts_digest';

/** The columns of keyed_facts that name strings by their fact_values id. */
export const FACT_STRING_COLUMNS = ['ip', 'method', 'user', 'role'] as const;

/** Which interned strings keyed_facts' columns name (1: used), by the scan's string ids. */
export function usedStrings(ctx: RebuildContext): Uint8Array {
  const scan = need(ctx.scan, 'scan');
  const used = new Uint8Array(scan.strings.size);
  for (const c of FACT_STRING_COLUMNS) {
    const ids = scan[c];
    for (let i = 0; i < scan.n; i++) {
      const id = ids[i]!;
      if (id >= 0) used[id] = 1;
    }
  }
  return used;
}

function bytes(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * A sha256 of every value writeKeyedFacts and writeFactValues store: each request's key,
 * time, id, endpoint, ip, method, status, user, role, outlier flags and z-scores, and the
 * strings the ids name. Equal digests mean equal rows, so a rebuild whose digest is the stored
 * one leaves both tables as they are (a settings change that moves only session boundaries).
 */
export function keyedFactsDigest(ctx: RebuildContext, used: Uint8Array): string {
  const scan = need(ctx.scan, 'scan');
  const ep = need(ctx.endpoints, 'endpoints');
  const out = need(ctx.outliers, 'outliers');
  const ses = need(ctx.sessions, 'sessions');
  const h = createHash('sha256');
  h.update(`${FORMAT}\n${scan.n}\n`);
  for (const a of [
    ses.key,
    scan.ts,
    scan.requestId,
    ep.of,
    scan.ip,
    scan.method,
    scan.status,
    scan.user,
    scan.role,
    out.flags,
    out.latencyZ,
    out.sizeZ,
  ])
    h.update(bytes(a));
  used.forEach((u, id) => {
    if (u === 1) h.update(`${id}\t${scan.strings.get(id)}\n`);
  });
  return h.digest('hex');
}

/** True when keyed_facts holds the rows `digest` stands for (written by an earlier rebuild). */
export function keyedFactsStored(db: CaseDb, digest: string): boolean {
  if (readState(db, KEYED_FACTS_STATE_KEY) !== digest) return false;
  return (
    db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'keyed_facts'")
      .get() !== undefined
  );
}

/** Records that keyed_facts now holds the rows `digest` stands for. */
export function recordKeyedFacts(db: CaseDb, digest: string): void {
  writeState(db, KEYED_FACTS_STATE_KEY, digest);
}

/** A string id as keyed_facts stores it (fact_values.id); -1 is null. */
function idOrNull(id: number): number | null {
  return id < 0 ? null : id;
}

/** fact_values: the strings keyed_facts' columns use (`used`), by the scan's interned ids. */
export function writeFactValues(ctx: RebuildContext, used: Uint8Array): void {
  const scan = need(ctx.scan, 'scan');
  const values = new BatchInsert(ctx.db, 'fact_values', ['id', 'value']);
  used.forEach((u, id) => {
    if (u === 1) values.push(id, scan.strings.get(id));
  });
  values.flush();
}

/** keyed_facts, in key order (each key's requests in time order), so the table is appended to. */
export function writeKeyedFacts(ctx: RebuildContext): void {
  const scan = need(ctx.scan, 'scan');
  const ep = need(ctx.endpoints, 'endpoints');
  const out = need(ctx.outliers, 'outliers');
  const ses = need(ctx.sessions, 'sessions');
  const facts = new BatchInsert(ctx.db, 'keyed_facts', [
    'key_id',
    'ts_us',
    'request_id',
    'endpoint_id',
    'ip',
    'method',
    'status',
    'user',
    'role',
    'outlier',
    'latency_z',
    'size_z',
  ]);
  const factValues = facts.values;
  let written = 0;
  for (const i of ses.byKey) {
    if ((++written & 0xffff) === 0) ctx.cancelPoint?.();
    const st = scan.status[i]!;
    const lz = out.latencyZ[i]!;
    const sz = out.sizeZ[i]!;
    // A million rows: no argument array per row, values written in place.
    const at = facts.rowStart;
    factValues[at] = ses.key[i]!;
    factValues[at + 1] = scan.ts[i]!;
    factValues[at + 2] = scan.requestId[i]!;
    factValues[at + 3] = ep.of[i]! + 1;
    factValues[at + 4] = idOrNull(scan.ip[i]!);
    factValues[at + 5] = idOrNull(scan.method[i]!);
    factValues[at + 6] = st < 0 ? null : st;
    factValues[at + 7] = idOrNull(scan.user[i]!);
    factValues[at + 8] = idOrNull(scan.role[i]!);
    factValues[at + 9] = out.flags[i]!;
    factValues[at + 10] = Number.isNaN(lz) ? null : Math.round(lz * 100) / 100;
    factValues[at + 11] = Number.isNaN(sz) ? null : Math.round(sz * 100) / 100;
    facts.endRow();
  }
  facts.flush();
}
