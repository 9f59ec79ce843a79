import { AppError } from '../../shared/contract/errors.js';
import { ASSUMED_HOST_RULE, normalizeAssumedHost } from '../../shared/model/hostName.js';
import { isValidTimeZone } from '../../shared/time/parseTime.js';
import type { CaseDb } from '../store/openCase.js';
import { audit } from '../store/auditLog.js';
import { formatById, makeSniffSample, sniffFormat } from './formats/index.js';
import type { FormatDef, ParserOptions } from './formats/types.js';
import {
  defaultWorkerFile,
  parseInWorker,
  parseSource,
  type ParseJob,
  type ParseProgress,
} from './parseBatches.js';
import type { EncodedBatch } from './encodedBatch.js';
import { RequestWriter } from './requestWriter.js';
import {
  emptyFileMessage,
  hashFile,
  readHead,
  statSource,
  type SourceFileInfo,
} from './sourceFile.js';
import { hostlessPeers, removeSourceHint, type HostlessPeer } from './importWarnings.js';

export interface ImportOptions {
  format?: string;
  logFormat?: string;
  map?: Record<string, string>;
  tz?: string;
  /**
   * Host for requests whose line names none: which site the source is from, as the
   * investigator states it (two sites' host-less logs would otherwise share endpoints).
   */
  assumeHost?: string;
  force?: boolean;
  /**
   * Who reads the messages: the CLI's name its flags (--map), the app's its controls (the
   * column table). Default: the CLI.
   */
  audience?: 'cli' | 'app';
}

export type ImportPhase = 'hashing' | 'parsing' | 'indexing' | 'done';

export interface ImportProgress {
  file: string;
  phase: ImportPhase;
  bytesDone: number;
  bytesTotal: number;
  lines: number;
  accepted: number;
  rejected: number;
}

export interface ImportedSource {
  sourceId: number;
  file: string;
  sha256: string;
  format: string;
  lines: number;
  accepted: number;
  rejected: number;
  status: 'complete' | 'skipped';
  message?: string;
  /**
   * A skipped file's earlier source (the same SHA-256), with what its import gave: `format`,
   * `lines`, `accepted`; the skipped file's own `lines`/`accepted`/`rejected` are 0.
   */
  duplicateOf?: DuplicateOf;
  /**
   * Parts of the file the reader could not read (each one reject, marked so by the parser,
   * not recognised by its wording), and the first one's reason; 0 and null when all was read.
   */
  unreadableParts: number;
  firstUnreadable: string | null;
  /** Requests that name no host (after assumeHost was applied); 0 when skipped. */
  withoutHost: number;
  /**
   * When withoutHost > 0: the case's other sources with requests that name no host, which
   * share endpoints with this one (importWarnings.ts); empty otherwise.
   */
  hostlessPeers: HostlessPeer[];
  /**
   * Accepted requests whose time had no offset of its own, so it was read in the assumed zone
   * (`tz`); 0 when none was (every time carried its offset) and when skipped.
   */
  withoutOffset: number;
  /** Its accepted requests' earliest and latest time (µs, UTC); null when none or skipped. */
  firstUs: number | null;
  lastUs: number | null;
}

/** The source a skipped file duplicates, with what its import gave. */
export interface DuplicateOf {
  sourceId: number;
  format: string;
  lines: number;
  accepted: number;
  /**
   * True when it accepted no line or few (at most POOR_ACCEPTED_SHARE of them): most likely
   * imported in the wrong format, so the skip says how to import the file again.
   */
  poor: boolean;
}

/** An earlier source that accepted at most this share of its lines is a failed import. */
const POOR_ACCEPTED_SHARE = 0.1;

/** Reads the earlier source a skipped file duplicates. */
function duplicateOf(db: CaseDb, sourceId: number): DuplicateOf {
  const row = db
    .prepare('SELECT format, lines_read AS lines, accepted FROM sources WHERE id = ?')
    .get(sourceId) as { format: string; lines: number; accepted: number };
  const poor = row.lines > 0 && row.accepted <= row.lines * POOR_ACCEPTED_SHARE;
  return { sourceId, format: row.format, lines: row.lines, accepted: row.accepted, poor };
}

/**
 * What a skipped file is told: the source it duplicates and, when that one accepted few of its
 * lines (a wrong format), how to import the file again, in the words of `audience`: the CLI's
 * name the command (with `casePath`, the case as it was opened), the app's its controls.
 */
export function skipMessage(d: DuplicateOf, audience: 'cli' | 'app', casePath: string): string {
  const force = audience === 'app' ? '"Import again even if already in the case"' : '--force';
  if (!d.poor) {
    return audience === 'app'
      ? `already imported as source ${d.sourceId} (same SHA-256); to import it again, tick ${force}`
      : `already imported as source ${d.sourceId} (same SHA-256); use ${force} to import again`;
  }
  return (
    `already imported as source ${d.sourceId} (format ${d.format}, ${d.accepted} of ${d.lines} ` +
    `lines accepted): remove it (${removeSourceHint(audience, casePath, d.sourceId)}) and ` +
    `import again, or import again with ${force}${audience === 'app' ? ' ticked' : ''}`
  );
}

export interface ImportControl {
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  /** Progress is reported at most this often (ms). */
  progressIntervalMs?: number;
  /**
   * The built worker script to parse on (dist/electron/importWorker.mjs); false parses on this
   * thread. Default: the script beside the running bundle when there is one.
   */
  workerFile?: string | false | null;
}

/**
 * Imports one source file into the case as one transaction: either every line of it is in the
 * case (as a request or a reject) and the source row says complete, or nothing of it is.
 */
export async function importSource(
  db: CaseDb,
  pathGiven: string,
  opts: ImportOptions = {},
  ctl: ImportControl = {},
): Promise<ImportedSource> {
  // A format no parser has is refused first: before a re-import of the file could be skipped.
  const forcedFormat = opts.format ? formatById(opts.format) : undefined;
  const tz = opts.tz ?? 'UTC';
  if (!isValidTimeZone(tz)) throw new AppError('BAD_INPUT', `Unknown time zone "${tz}"`);
  const assumeHost = opts.assumeHost === undefined ? null : normalizeAssumedHost(opts.assumeHost);
  if (opts.assumeHost !== undefined && assumeHost === null) {
    throw new AppError('BAD_INPUT', `Assumed host "${opts.assumeHost}": ${ASSUMED_HOST_RULE}`);
  }
  const info = await statSource(pathGiven);
  const progress: ImportProgress = {
    file: info.fileName,
    phase: 'hashing',
    bytesDone: 0,
    bytesTotal: info.sizeBytes,
    lines: 0,
    accepted: 0,
    rejected: 0,
  };
  const interval = ctl.progressIntervalMs ?? 100;
  let lastReport = 0;
  const report = (force = false): void => {
    const now = Date.now();
    if (!force && now - lastReport < interval) return;
    lastReport = now;
    ctl.onProgress?.({ ...progress });
  };
  const stop = (): boolean => ctl.signal?.aborted === true;
  const skipped = (dupId: number, sha256: string): ImportedSource => {
    // Nothing is imported, but the attempt is part of the case's history, with what it asked
    // for: a skipped re-import under another time zone or host is not what the source says.
    audit(db, 'import.skipped', {
      file: info.pathGiven,
      sha256,
      duplicateOf: dupId,
      tz,
      assumeHost,
    });
    const dup = duplicateOf(db, dupId);
    return {
      sourceId: dupId,
      file: info.fileName,
      sha256,
      format: dup.format,
      lines: 0,
      accepted: 0,
      rejected: 0,
      status: 'skipped',
      // db.name: the case's path as it was opened (in the CLI, as typed).
      message: skipMessage(dup, opts.audience ?? 'cli', db.name),
      duplicateOf: dup,
      unreadableParts: 0,
      firstUnreadable: null,
      withoutHost: 0,
      hostlessPeers: [],
      withoutOffset: 0,
      firstUs: null,
      lastUs: null,
    };
  };

  // A file can only be a re-import when a complete source of the same size exists; only then
  // is it hashed up front. Otherwise the parser hashes the bytes as it reads them, sparing a
  // whole pass over the file.
  let preHash: string | null = null;
  if (!opts.force && findComplete(db, 'size_bytes', info.sizeBytes) !== undefined) {
    report(true);
    preHash = await hashFile(
      pathGiven,
      (n) => {
        progress.bytesDone += n;
        report();
      },
      ctl.signal,
    );
    const dup = findComplete(db, 'sha256', preHash);
    if (dup !== undefined) return skipped(dup, preHash);
  }

  const parserOptions: ParserOptions = {
    tz,
    logFormat: opts.logFormat,
    map: opts.map,
    ...(assumeHost !== null ? { assumeHost } : {}),
    ...(opts.audience ? { audience: opts.audience } : {}),
  };
  const format = await chooseFormat(info, forcedFormat, opts.audience);
  // Compile the parser once here so a bad option (e.g. a log_format nginx would refuse) fails
  // before the case is touched, with the parser's own message.
  if (format.kind === 'line') format.createParser(parserOptions);
  const storedOptions = JSON.stringify({
    logFormat: opts.logFormat ?? null,
    map: opts.map ?? null,
    gzip: info.gzip,
    assumeHost,
  });

  progress.phase = 'parsing';
  progress.bytesDone = 0;
  report(true);
  const job: ParseJob = { source: info, formatId: format.id, options: parserOptions };
  const workerFile = ctl.workerFile === undefined ? defaultWorkerFile() : ctl.workerFile;

  // The COMMIT would also checkpoint the whole WAL into the case file: on 1M lines ~0.9 s,
  // mostly waiting for the disk. That is left to SQLite's next automatic checkpoint (a later
  // write's, closing the case) or to the next import, which first checkpoints what an earlier
  // one left, so the WAL does not grow from import to import. Crash safety is unchanged: a
  // committed import is whole in the WAL, which is read back when the case is next opened.
  db.pragma('wal_checkpoint(PASSIVE)');
  const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 0');
  db.exec('BEGIN IMMEDIATE');
  try {
    // The row exists from the start with status 'importing'; only the COMMIT below makes it
    // (and every row pointing at it) visible, so a crash leaves no trace of this source.
    const sourceId = Number(
      db
        .prepare(
          `INSERT INTO sources (path_given, file_name, size_bytes, sha256, format, parser_options,
            tz_assumption, imported_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'importing')`,
        )
        .run(
          info.pathGiven,
          info.fileName,
          info.sizeBytes,
          preHash ?? '',
          format.id,
          storedOptions,
          tz,
          new Date().toISOString(),
        ).lastInsertRowid,
    );
    // The requests indexes are kept up to date row by row rather than dropped and rebuilt:
    // line numbers (and, in most logs, times) arrive in order, so each insert appends at the
    // right edge of the index. Measured on 1M lines, that costs ~0.5 s of CPU where building
    // both after the load cost ~1.2 s (and still less on a shuffled log).
    const writer = new RequestWriter(db, sourceId);
    const onBatch = (batch: EncodedBatch, p: ParseProgress): void => {
      writer.write(batch);
      progress.bytesDone = p.rawBytes;
      progress.accepted = writer.accepted;
      progress.rejected = writer.rejected;
      progress.lines = writer.lines;
      report();
    };
    // Parsing runs on a worker thread when the built worker is available, so this thread only
    // inserts; from sources (tests) it runs here, through the same code.
    const end = workerFile
      ? await parseInWorker(workerFile, job, onBatch, ctl.signal)
      : await parseSource(job, onBatch, stop);
    if (stop()) throw new AppError('CANCELLED', 'Import cancelled; the case is unchanged.');
    const sha256 = end.digest;
    if (preHash !== null && sha256 !== preHash) {
      throw new AppError('BAD_INPUT', `${info.fileName} changed while it was being imported`);
    }
    const dup = findComplete(db, 'sha256', sha256);
    if (dup !== undefined && !opts.force) {
      db.exec('ROLLBACK');
      return skipped(dup, sha256);
    }
    if (end.lines !== writer.lines) {
      throw new AppError(
        'INTERNAL',
        `${info.fileName}: ${end.lines} lines read but ${writer.lines} stored or rejected`,
      );
    }
    // Last: COMMIT writes the remaining pages to the WAL (the checkpoint comes later, see above).
    progress.phase = 'indexing';
    report(true);
    // The size recorded is that of the bytes read and hashed: a log still being written grew
    // after the size was taken, and `verify` compares the file with what was imported.
    db.prepare(
      `UPDATE sources SET sha256 = ?, size_bytes = ?, lines_read = ?, accepted = ?, rejected = ?,
        without_offset = ?, first_us = ?, last_us = ?, status = 'complete' WHERE id = ?`,
    ).run(
      sha256,
      end.bytes,
      writer.lines,
      writer.accepted,
      writer.rejected,
      end.withoutOffset,
      end.firstUs,
      end.lastUs,
      sourceId,
    );
    audit(db, 'import', {
      sourceId,
      file: info.pathGiven,
      sha256,
      format: format.id,
      options: JSON.parse(storedOptions) as unknown,
      tz,
      lines: writer.lines,
      accepted: writer.accepted,
      rejected: writer.rejected,
      // Read back by later imports (hostlessPeers) instead of this source's requests.
      withoutHost: end.withoutHost,
      withoutOffset: end.withoutOffset,
      forced: dup !== undefined,
      ...(end.bytes !== info.sizeBytes
        ? { sizeChanged: { beforeReading: info.sizeBytes, bytesRead: end.bytes } }
        : {}),
    });
    const peers = end.withoutHost > 0 ? hostlessPeers(db, sourceId, sha256) : [];
    db.exec('COMMIT');
    progress.phase = 'done';
    report(true);
    return {
      sourceId,
      file: info.fileName,
      sha256,
      format: format.id,
      lines: writer.lines,
      accepted: writer.accepted,
      rejected: writer.rejected,
      status: 'complete',
      unreadableParts: end.unreadableParts,
      firstUnreadable: end.firstUnreadable,
      withoutHost: end.withoutHost,
      hostlessPeers: peers,
      withoutOffset: end.withoutOffset,
      firstUs: end.firstUs,
      lastUs: end.lastUs,
    };
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (err instanceof AppError) throw err;
    throw new AppError('BAD_INPUT', `${info.fileName}: ${(err as Error).message}`);
  } finally {
    db.pragma(`wal_autocheckpoint = ${Number(autoCheckpoint)}`);
  }
}

function findComplete(
  db: CaseDb,
  column: 'sha256' | 'size_bytes',
  value: string | number,
): number | undefined {
  const sql =
    column === 'sha256'
      ? "SELECT id FROM sources WHERE sha256 = ? AND status = 'complete' ORDER BY id LIMIT 1"
      : "SELECT id FROM sources WHERE size_bytes = ? AND status = 'complete' ORDER BY id LIMIT 1";
  const row = db.prepare(sql).get(value) as { id: number } | undefined;
  return row?.id;
}

async function chooseFormat(
  info: SourceFileInfo,
  chosen: FormatDef | undefined,
  audience: 'cli' | 'app' | undefined,
): Promise<FormatDef> {
  const head = await readHead(info, chosen ? 1 : undefined);
  if (head.length === 0) throw new AppError('BAD_INPUT', emptyFileMessage(info));
  return chosen ?? sniffFormat(makeSniffSample(head, info.fileName), audience).format;
}
