import { analysisIsCurrent } from '../analysis/rebuild.js';
import { readState } from '../analysis/settingsRepo.js';
import { openCase, type CaseDb } from '../store/openCase.js';
import type { CliIO } from './command.js';
import { terminalText } from './terminalText.js';

/** A path as one shell word, quoted only when it needs to be. */
function shellWord(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The line a command reading derived tables prints on stderr when they are out of date. */
export function staleAnalysisWarning(casePath: string): string {
  // A path may hold control characters; the warning stays one line.
  const printable = terminalText(shellWord(casePath));
  return `warning: the analysis is older than the case's requests; run \`sessionscope rebuild ${printable}\``;
}

/**
 * True when the derived tables do not reflect the case's requests and settings (a source
 * removed or a rebuild cancelled in the app, new settings not yet applied, another version's
 * analysis). A case with no requests that was never analysed is not stale: its empty tables are
 * right. Only reads, so it works on a read-only open.
 */
export function analysisIsStale(db: CaseDb): boolean {
  if (analysisIsCurrent(db)) return false;
  const empty = db.prepare('SELECT 1 FROM requests LIMIT 1').get() === undefined;
  return !(empty && readState(db, 'rebuilt_at') === null);
}

/**
 * Opens a case read-only for a command that prints derived tables (sessions, endpoints,
 * detections…), warning once on stderr when they are stale: the output is still printed, as
 * it is what the case holds, and stdout stays parseable for --json.
 */
export function openAnalysisCase(casePath: string, io: CliIO): CaseDb {
  const db = openCase(casePath, { create: false, readonly: true });
  try {
    if (analysisIsStale(db)) io.err(staleAnalysisWarning(casePath));
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
