import { shellWord } from '../shellWord.js';
import type { CaseDb } from '../store/openCase.js';
import type { ImportedSource } from './importSource.js';
import { hashFile, type SourceFileInfo } from './sourceFile.js';

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
  // Every line was rejected; the reason given is the most common one, with how many it was.
  const why =
    top === undefined
      ? ''
      : top.n === r.rejected
        ? `: ${top.reason}`
        : `, ${top.n} of them for the most common reason: ${top.reason}`;
  return `no line was read as a request (all ${r.rejected} lines rejected${why}); is the format right?`;
}

/**
 * Said of a file skipped as already imported when that earlier import accepted no line or few
 * (a wrong format, most likely): the skip message, which says how to import it again.
 */
function poorDuplicateWarning(r: ImportedSource): string | null {
  return r.status === 'skipped' && r.duplicateOf?.poor === true ? (r.message ?? null) : null;
}

/** Another source of the case whose requests name no host either. */
export interface HostlessPeer {
  sourceId: number;
  file: string;
  /** Its requests that name no host. */
  withoutHost: number;
}

/**
 * The case's other complete sources with requests that name no host, in source order: a
 * source that has some too shares endpoints with them (an endpoint is method + host + path,
 * so both sites' `GET /` are one). Each source's count is the one its import recorded in its
 * audit entry (`withoutHost`, counted by the parser as it accepted the lines), so no request is
 * read back; only a source imported before that count was recorded is counted from its
 * requests. A source with the same SHA-256 (the same file imported again with --force) is of
 * the same site and is left out.
 */
export function hostlessPeers(db: CaseDb, sourceId: number, sha256: string): HostlessPeer[] {
  return hostlessSourcesExcept(db, sourceId, sha256);
}

/**
 * Every complete source of the case with requests that name no host, counted as hostlessPeers
 * counts them: what `file`, about to be imported without a host, would share endpoints with
 * (the import form says so before the import, the warning after it). The file itself, when the
 * case already holds it (a source with its SHA-256), is left out, as hostlessPeers leaves it
 * out: it is hashed only when one of those sources has its size, so a preview seldom reads it.
 */
export async function hostlessSources(
  db: CaseDb,
  file: SourceFileInfo | null,
): Promise<HostlessPeer[]> {
  const sources = hostlessSourcesExcept(db, null, null);
  if (file === null || sources.length === 0) return sources;
  const sized = db.prepare(
    "SELECT 1 FROM sources WHERE id = ? AND size_bytes = ? AND status = 'complete'",
  );
  if (!sources.some((p) => sized.get(p.sourceId, file.sizeBytes) !== undefined)) return sources;
  const sha256 = await hashFile(file.pathGiven);
  return hostlessSourcesExcept(db, null, sha256);
}

function hostlessSourcesExcept(
  db: CaseDb,
  sourceId: number | null,
  sha256: string | null,
): HostlessPeer[] {
  const rows = db
    .prepare(
      `SELECT s.id AS sourceId, s.file_name AS file,
         (SELECT a.details ->> '$.withoutHost' FROM audit_log a
           WHERE a.action = 'import' AND json_valid(a.details)
             AND a.details ->> '$.sourceId' = s.id
           ORDER BY a.id DESC LIMIT 1) AS recorded
       FROM sources s
       WHERE s.status = 'complete' AND (@sourceId IS NULL OR s.id <> @sourceId)
         AND (@sha256 IS NULL OR s.sha256 <> @sha256)
       ORDER BY s.id`,
    )
    .all({ sourceId, sha256 }) as { sourceId: number; file: string; recorded: unknown }[];
  const counted = db.prepare(
    "SELECT count(*) AS n FROM requests WHERE source_id = ? AND (host IS NULL OR host = '')",
  );
  const peers: HostlessPeer[] = [];
  for (const row of rows) {
    const withoutHost =
      typeof row.recorded === 'number' && Number.isSafeInteger(row.recorded)
        ? row.recorded
        : (counted.get(row.sourceId) as { n: number }).n;
    if (withoutHost > 0) peers.push({ sourceId: row.sourceId, file: row.file, withoutHost });
  }
  return peers;
}

/** Sources named in a warning before the rest are only counted. */
const PEERS_NAMED = 3;

/**
 * How a message tells its reader to remove a source: the CLI's the command, with the case's
 * path as one shell word (shown, not run, but copied into a terminal); the app's its button.
 */
export function removeSourceHint(
  audience: 'cli' | 'app',
  casePath: string,
  sourceId: number,
): string {
  return audience === 'app'
    ? `the Remove… button of source ${sourceId} in the Overview's sources`
    : `\`sessionscope remove-source ${shellWord(casePath)} ${sourceId}\``;
}

/**
 * Said of a file some of whose requests name no host when the case already held another such
 * source (or a file imported with it did): both sites' requests share endpoints, and so one
 * risk score, one latency baseline. Null when there is no such other source.
 */
function sharedEndpointsWarning(
  r: ImportedSource,
  audience: 'cli' | 'app',
  casePath: string,
): string | null {
  if (r.status !== 'complete' || r.withoutHost === 0 || r.hostlessPeers.length === 0) return null;
  const named = r.hostlessPeers
    .slice(0, PEERS_NAMED)
    .map((p) => `${p.file} (source ${p.sourceId}, ${p.withoutHost} requests)`);
  const more = r.hostlessPeers.length - named.length;
  const others = named.join(', ') + (more > 0 ? ` and ${more} more source(s)` : '');
  const withHost =
    audience === 'app'
      ? '"Host for lines without one" set to its host'
      : '--assume-host <its host> (in the app: "Host for lines without one")';
  return (
    `${r.withoutHost} of its requests name no host, as do requests of ${others}: their requests ` +
    'share endpoints (one GET / for every site, with one risk score and latency baseline); ' +
    `if they are from different sites, remove this source ` +
    `(${removeSourceHint(audience, casePath, r.sourceId)}) and import it again with ` +
    `${withHost}; rotated logs of one site need nothing`
  );
}

/**
 * Every warning of one imported file, joined; null when there is none. Worded for `audience`
 * as the import's messages are (ImportOptions.audience); a command it names gives the case's
 * path as the case was opened (db.name: in the CLI, as typed).
 */
export function importWarning(
  db: CaseDb,
  r: ImportedSource,
  audience: 'cli' | 'app' = 'cli',
): string | null {
  const said = [
    unreadableWarning(r),
    noRequestsWarning(db, r),
    sharedEndpointsWarning(r, audience, db.name),
    poorDuplicateWarning(r),
  ].filter((w) => w !== null);
  return said.length > 0 ? said.join('; ') : null;
}
