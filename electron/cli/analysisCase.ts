import type { AnalysisStale } from '../../shared/contract/caseApi.js';
import { analysisStaleness } from '../analysis/rebuild.js';
import { DETECTIONS_TABLE, DETECTIONS_TYPE_COL } from '../query/detectionsLink.js';
import { openCase, type CaseDb } from '../store/openCase.js';
import { shellWord } from '../shellWord.js';
import type { CliIO } from './command.js';
import { terminalText } from './terminalText.js';

/** Why the analysis is out of date, as the warning says it (the app's banner says the same). */
const STALE_BECAUSE: Record<AnalysisStale, string> = {
  requests: 'requests were imported or removed since the analysis was made',
  version:
    'the analysis was made by another version of Sessionscope (or marked for a rebuild on upgrade)',
  settings: 'the analysis settings changed since the analysis was made',
  never: 'the case has not been analysed yet',
};

/** The line a command reading derived tables prints on stderr when they are out of date. */
export function staleAnalysisWarning(casePath: string, why: AnalysisStale): string {
  // A path may hold control characters; the warning stays one line.
  const printable = terminalText(shellWord(casePath));
  return `warning: ${STALE_BECAUSE[why]}; run \`sessionscope rebuild ${printable}\``;
}

/**
 * Why the derived tables do not reflect the case's requests and settings (a source removed or
 * a rebuild cancelled in the app, new settings not yet applied, another version's analysis), or
 * null when they do. A case with no requests that was never analysed is not stale: its empty
 * tables are right. Only reads, so it works on a read-only open.
 */
export function analysisStaleReason(db: CaseDb): AnalysisStale | null {
  const why = analysisStaleness(db);
  if (why !== 'never') return why;
  return db.prepare('SELECT 1 FROM requests LIMIT 1').get() === undefined ? null : why;
}

/**
 * Opens a case read-only for a command that prints derived tables (sessions, endpoints,
 * detections…), warning once on stderr when they are stale: the output is still printed, as
 * it is what the case holds, and stdout stays parseable for --json.
 */
export function openAnalysisCase(
  casePath: string,
  io: CliIO,
  opts: { attackTypes?: readonly string[] } = {},
): CaseDb {
  const db = openCase(casePath, { create: false, readonly: true });
  try {
    const why = analysisStaleReason(db);
    if (why !== null) io.err(staleAnalysisWarning(casePath, why));
    else if (opts.attackTypes?.length) warnAbsentTypes(db, opts.attackTypes, io);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/**
 * An attack type no finding of the case has, counted or set aside as a false positive (a typo
 * such as "sqlinj", or a custom rule's type spelled differently), matches nothing: said on
 * stderr, with the types there are, so an empty answer is not taken for "no such attack".
 */
function warnAbsentTypes(db: CaseDb, types: readonly string[], io: CliIO): void {
  const present = db
    .prepare(
      `SELECT ${DETECTIONS_TYPE_COL} FROM ${DETECTIONS_TABLE}
       UNION SELECT type FROM fp_detections ORDER BY 1`,
    )
    .pluck()
    .all() as string[];
  for (const t of types) {
    if (present.includes(t)) continue;
    const known = present.length === 0 ? 'none' : present.join(', ');
    io.err(
      terminalText(
        `warning: no finding of this case has the type "${t}" (types with findings: ${known})`,
      ),
    );
  }
}
