import type { AuditEntryInfo, AuditPage, auditCalls } from '../../shared/contract/auditApi.js';
import type { CaseDb } from '../store/openCase.js';
import type { ApiContext } from './context.js';
import type { HandlersFor } from './handlerTypes.js';

const DEFAULT_PAGE = 200;

export interface AuditQuery {
  /** Entries after this id. */
  cursor?: string | undefined;
  limit?: number | undefined;
  /** An action, or a prefix ending before a dot: `analysis` matches `analysis.rebuild`. */
  action?: string | undefined;
}

/** Details are written by us as JSON objects; anything else is shown, not thrown on. */
function parseDetails(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : { value: v };
  } catch {
    return { unreadable: text };
  }
}

/** One keyset page of the audit trail, oldest first (ids grow with time). */
export function listAuditPage(db: CaseDb, q: AuditQuery = {}): AuditPage {
  const limit = q.limit ?? DEFAULT_PAGE;
  const after = q.cursor === undefined ? 0 : Number(q.cursor);
  const action = q.action ?? null;
  const rows = db
    .prepare(
      `SELECT id, at, action, details FROM audit_log
       WHERE id > @after
         AND (@action IS NULL OR action = @action OR substr(action, 1, length(@action) + 1) = @action || '.')
       ORDER BY id LIMIT @limit`,
    )
    .all({ after, action, limit: limit + 1 }) as {
    id: number;
    at: string;
    action: string;
    details: string;
  }[];
  const items: AuditEntryInfo[] = rows
    .slice(0, limit)
    .map((r) => ({ id: r.id, at: r.at, action: r.action, details: parseDetails(r.details) }));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? String(last.id) : null };
}

export const auditHandlers: HandlersFor<typeof auditCalls> = {
  listAudit: (input, ctx: ApiContext) => listAuditPage(ctx.state.requireCase().db, input ?? {}),
};
