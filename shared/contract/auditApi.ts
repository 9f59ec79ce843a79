import { z } from 'zod';
import { call } from './define.js';

/**
 * The audit area of the contract: the case's audit trail (every import, removal, settings
 * change, flow tag, false-positive mark and spec load), oldest first, paged by keyset.
 * Field names are a public interface (CLI `audit --json`, the renderer).
 */

export interface AuditEntryInfo {
  id: number;
  /** ISO 8601, UTC. */
  at: string;
  /** Dotted name: `import`, `source.remove`, `analysis.settings`, `detection.fp-mark`… */
  action: string;
  /** What the action did, as recorded. May hold text from the logs: render as text only. */
  details: Record<string, unknown>;
}

export interface AuditPage {
  items: AuditEntryInfo[];
  /** Pass back as `cursor` for the next page; null after the last. */
  nextCursor: string | null;
}

/** An action name, or a prefix of one: `analysis` matches `analysis.rebuild` too. */
export const auditActionSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-zA-Z0-9.-]*$/, 'not an action name');

export const auditCalls = {
  listAudit: call<AuditPage>()(
    z
      .strictObject({
        cursor: z.string().max(20).regex(/^\d+$/, 'not a cursor').optional(),
        limit: z.number().int().min(1).max(1000).optional(),
        action: auditActionSchema.optional(),
      })
      .optional(),
  ),
} as const;
