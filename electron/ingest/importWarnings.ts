import type { CaseDb } from '../store/openCase.js';
import type { ImportedSource } from './importSource.js';

/**
 * What an investigator is warned of after an import, from the import's result and what the
 * source stored: the same for the CLI (`import` on stderr and `warning` in its --json) and the
 * app's summary.
 */

/**
 * Said of a file only part of which could be read (a JSON document or HAR damaged in the
 * middle, or cut off), with the first such reject's reason; null when all of it was. The parts
 * are counted by the parser as it rejects them (ImportedSource.unreadableParts), so no reason's
 * wording decides it.
 */
function unreadableWarning(r: ImportedSource): string | null {
  const count = r.status === 'complete' ? r.unreadableParts : 0;
  if (count === 0) return null;
  const more = count > 1 ? ` (and ${count - 1} more damaged part(s))` : '';
  return `part of the file could not be read: ${r.firstUnreadable ?? ''}${more}`;
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
  const said = [unreadableWarning(r), noRequestsWarning(db, r)].filter((w) => w !== null);
  return said.length > 0 ? said.join('; ') : null;
}
