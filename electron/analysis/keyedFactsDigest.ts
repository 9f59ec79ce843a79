import { createHash } from 'node:crypto';
import { readState, writeState } from './settingsRepo.js';
import { need, type RebuildContext } from './rebuildContext.js';
import type { CaseDb } from '../store/openCase.js';

/** Bumped when what writeStep stores for the same arrays changes (rounding, columns). */
const FORMAT = 'keyed_facts 1';
const STATE_KEY = 'keyed_facts_digest';

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
 * A sha256 of every value writeStep puts in keyed_facts and fact_values: each request's key,
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
  if (readState(db, STATE_KEY) !== digest) return false;
  return (
    db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'keyed_facts'")
      .get() !== undefined
  );
}

/** Records that keyed_facts now holds the rows `digest` stands for. */
export function recordKeyedFacts(db: CaseDb, digest: string): void {
  writeState(db, STATE_KEY, digest);
}
