import { expect } from 'vitest';
import type { CaseDb } from '../electron/store/openCase.js';
import { importSource, type ImportOptions } from '../electron/ingest/importSource.js';

export type Row = Record<string, unknown>;
export interface RejectRow {
  line_no: number;
  reason: string;
}
type Imported<R> = {
  r: Awaited<ReturnType<typeof importSource>>;
  requests: Row[];
  rejects: R[];
};

/**
 * Imports a file and reads back what its source stored, checking the accounting invariant
 * (accepted + rejected = lines read, and the stored rows agree with the counts).
 */
export async function importAndRead(
  db: CaseDb,
  file: string,
  opts?: ImportOptions,
  read?: { raw: true },
): Promise<Imported<RejectRow & { raw: Buffer }>>;
export async function importAndRead(
  db: CaseDb,
  file: string,
  opts: ImportOptions,
  read: { raw: false },
): Promise<Imported<RejectRow>>;
export async function importAndRead(
  db: CaseDb,
  file: string,
  opts: ImportOptions = {},
  { raw }: { raw: boolean } = { raw: true },
): Promise<Imported<RejectRow>> {
  const r = await importSource(db, file, opts);
  const requests = db
    .prepare('SELECT * FROM requests WHERE source_id = ? ORDER BY line_no')
    .all(r.sourceId) as Row[];
  const rejects = db
    .prepare(
      raw
        ? 'SELECT line_no, reason, raw FROM rejects WHERE source_id = ? ORDER BY line_no'
        : 'SELECT line_no, reason FROM rejects WHERE source_id = ? ORDER BY line_no',
    )
    .all(r.sourceId) as RejectRow[];
  expect(r.accepted + r.rejected).toBe(r.lines);
  expect(requests).toHaveLength(r.accepted);
  expect(rejects).toHaveLength(r.rejected);
  return { r, requests, rejects };
}
