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
