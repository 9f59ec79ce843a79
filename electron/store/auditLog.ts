import type { CaseDb } from './openCase.js';

export interface AuditEntry {
  id: number;
  at: string;
  action: string;
  details: Record<string, unknown>;
}

/** Appends one entry to the case's audit trail. */
export function audit(db: CaseDb, action: string, details: Record<string, unknown>): void {
  db.prepare('INSERT INTO audit_log (at, action, details) VALUES (?, ?, ?)').run(
    new Date().toISOString(),
    action,
    JSON.stringify(details),
  );
}

export function listAudit(db: CaseDb): AuditEntry[] {
  const rows = db.prepare('SELECT id, at, action, details FROM audit_log ORDER BY id').all() as {
    id: number;
    at: string;
    action: string;
    details: string;
  }[];
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}

/**
 * The case's last audit entry's id (0 for none). Every change to the analysis or the findings
 * (an import's rebuild, a rebuild, a source removed, a mark, a rule) commits with an audit
 * entry, so what is read under the same id is read from the same state: caches keep their
 * answers per this generation (attackSummaries.ts, ipRangeIds.ts).
 */
export function auditGeneration(db: CaseDb): number {
  return (db.prepare('SELECT coalesce(max(id), 0) AS g FROM audit_log').get() as { g: number }).g;
}
