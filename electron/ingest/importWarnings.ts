import type { CaseDb } from '../store/openCase.js';
import { UNREADABLE_MARKS } from './formats/streamedJson.js';
import type { ImportedSource } from './importSource.js';

/**
 * What an investigator is warned of after an import, read back from what the source stored:
 * the same for the CLI (`import` on stderr and `warning` in its --json) and the app's summary.
 */

/**
 * The rejects that stand for bytes the JSON/HAR reader could not read (a document damaged in
 * the middle, or cut off; their reasons name the byte ranges): how many, and the first reason.
 */
export function unreadableParts(
  db: CaseDb,
  r: ImportedSource,
): { count: number; first: string | null } {
  if (r.status !== 'complete' || r.rejected === 0) return { count: 0, first: null };
  const [a, b] = UNREADABLE_MARKS;
  const rows = db
    .prepare(
      `SELECT reason FROM rejects WHERE source_id = ? AND (instr(reason, ?) > 0 OR instr(reason, ?) > 0)
       ORDER BY line_no, id`,
    )
    .pluck()
    .all(r.sourceId, a, b) as string[];
  return { count: rows.length, first: rows[0] ?? null };
}

/** Said of a file only part of which could be read; null when all of it was. */
function unreadableWarning(db: CaseDb, r: ImportedSource): string | null {
  const { count, first } = unreadableParts(db, r);
  if (count === 0) return null;
  const more = count > 1 ? ` (and ${count - 1} more damaged part(s))` : '';
  return `part of the file could not be read: ${first!}${more}`;
}

/**
 * Said of a file none of whose lines became a request (the wrong --format, most often), with
 * the reason most of its lines were rejected for; null when it gave requests or was skipped.
 */
function noRequestsWarning(db: CaseDb, r: ImportedSource): string | null {
  if (r.status !== 'complete' || r.lines === 0 || r.accepted > 0) return null;
  const top = db
    .prepare(
      `SELECT reason, count(*) AS n FROM rejects WHERE source_id = ?
       GROUP BY reason ORDER BY n DESC, reason LIMIT 1`,
    )
    .get(r.sourceId) as { reason: string; n: number } | undefined;
  const why = top ? ` (${top.n} of ${r.rejected} rejected: ${top.reason})` : '';
  return `no line was read as a request${why}; is the format right?`;
}

/** Every warning of one imported file, joined; null when there is none. */
export function importWarning(db: CaseDb, r: ImportedSource): string | null {
  const said = [unreadableWarning(db, r), noRequestsWarning(db, r)].filter((w) => w !== null);
  return said.length > 0 ? said.join('; ') : null;
}
