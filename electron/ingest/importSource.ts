import { AppError } from '../../shared/contract/errors.js';
import { isValidTimeZone } from '../../shared/time/parseTime.js';
import type { CaseDb } from '../store/openCase.js';
import { audit } from '../store/auditLog.js';
import { requestIndexes } from '../store/migrations/001_caseStore.js';
import { formatById, makeSniffSample, sniffFormat } from './formats/index.js';
import type { FormatDef, ParserOptions, RecordSink } from './formats/types.js';
import { readLines } from './lineReader.js';
import { RequestWriter } from './requestWriter.js';
import {
  hashFile,
  openSourceStream,
  readHead,
  statSource,
  type SourceFileInfo,
} from './sourceFile.js';

export interface ImportOptions {
  format?: string;
  logFormat?: string;
  map?: Record<string, string>;
  tz?: string;
  force?: boolean;
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
}

export interface ImportControl {
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  /** Progress is reported at most this often (ms). */
  progressIntervalMs?: number;
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
  const tz = opts.tz ?? 'UTC';
  if (!isValidTimeZone(tz)) throw new AppError('BAD_INPUT', `Unknown time zone "${tz}"`);
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
  report(true);

  const sha256 = await hashFile(
    pathGiven,
    (n) => {
      progress.bytesDone += n;
      report();
    },
    ctl.signal,
  );
  const dup = db
    .prepare("SELECT id FROM sources WHERE sha256 = ? AND status = 'complete' LIMIT 1")
    .get(sha256) as { id: number } | undefined;
  if (dup && !opts.force) {
    return {
      sourceId: dup.id,
      file: info.fileName,
      sha256,
      format: '',
      lines: 0,
      accepted: 0,
      rejected: 0,
      status: 'skipped',
      message: `already imported as source ${dup.id} (same SHA-256); use --force to import again`,
    };
  }

  const format = await chooseFormat(info, opts.format);
  const parserOptions: ParserOptions = { tz, logFormat: opts.logFormat, map: opts.map };
  const storedOptions = JSON.stringify({
    logFormat: opts.logFormat ?? null,
    map: opts.map ?? null,
    gzip: info.gzip,
  });

  progress.phase = 'parsing';
  progress.bytesDone = 0;
  report(true);
  const opened = openSourceStream(info);
  const stop = (): boolean => ctl.signal?.aborted === true;

  db.exec('BEGIN IMMEDIATE');
  try {
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
          sha256,
          format.id,
          storedOptions,
          tz,
          new Date().toISOString(),
        ).lastInsertRowid,
    );
    const bulk = isEmpty(db);
    if (bulk) dropRequestIndexes(db);
    const writer = new RequestWriter(db, sourceId);
    const tick = (): void => {
      progress.bytesDone = opened.rawBytes();
      progress.accepted = writer.accepted;
      progress.rejected = writer.rejected;
      progress.lines = writer.lines;
      report();
    };
    const sink: RecordSink = {
      accept: (n, r) => {
        writer.accept(n, r);
        if ((writer.lines & 1023) === 0) tick();
      },
      reject: (n, reason, raw) => {
        writer.reject(n, reason, raw);
        if ((writer.lines & 1023) === 0) tick();
      },
    };
    await runFormat(format, opened.stream, sink, writer, parserOptions, stop);
    if (stop()) throw new AppError('CANCELLED', 'Import cancelled; the case is unchanged.');
    if (opened.digest() !== sha256 && !info.gzip) {
      throw new AppError('BAD_INPUT', `${info.fileName} changed while it was being imported`);
    }
    tick();
    progress.phase = 'indexing';
    report(true);
    if (bulk) for (const ix of requestIndexes) db.exec(ix.create);
    db.prepare(
      `UPDATE sources SET lines_read = ?, accepted = ?, rejected = ?, status = 'complete' WHERE id = ?`,
    ).run(writer.lines, writer.accepted, writer.rejected, sourceId);
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
      forced: Boolean(dup),
    });
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
    };
  } catch (err) {
    opened.stream.destroy();
    if (db.inTransaction) db.exec('ROLLBACK');
    if (err instanceof AppError) throw err;
    throw new AppError('BAD_INPUT', `${info.fileName}: ${(err as Error).message}`);
  }
}

async function chooseFormat(info: SourceFileInfo, forced: string | undefined): Promise<FormatDef> {
  if (forced) return formatById(forced);
  const head = await readHead(info);
  if (head.length === 0) throw new AppError('BAD_INPUT', `${info.fileName} is empty`);
  return sniffFormat(makeSniffSample(head, info.fileName)).format;
}

async function runFormat(
  format: FormatDef,
  stream: NodeJS.ReadableStream & import('node:stream').Readable,
  sink: RecordSink,
  writer: RequestWriter,
  options: ParserOptions,
  stop: () => boolean,
): Promise<void> {
  if (format.kind === 'stream') {
    await format.read(stream, sink, { options, shouldStop: stop });
    return;
  }
  const parser = format.createParser(options);
  let first = true;
  await readLines(
    stream,
    {
      line(text, lineNo, raw) {
        if (first) {
          first = false;
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        }
        let out: ReturnType<typeof parser.parse>;
        try {
          out = parser.parse(text, lineNo);
        } catch (err) {
          out = `parser error: ${(err as Error).message}`;
        }
        if (typeof out === 'string') {
          sink.reject(lineNo, out, raw ?? text);
          return;
        }
        if (raw) {
          out.extra = {
            ...(out.extra ?? {}),
            _encoding: 'invalid-utf8',
            _raw_base64: raw.toString('base64'),
          };
        }
        sink.accept(lineNo, out);
      },
      tooLong(lineNo, head, length) {
        writer.rejectTooLong(lineNo, head, length);
      },
    },
    stop,
  );
}

function isEmpty(db: CaseDb): boolean {
  return db.prepare('SELECT 1 FROM requests LIMIT 1').get() === undefined;
}

function dropRequestIndexes(db: CaseDb): void {
  for (const ix of requestIndexes) db.exec(ix.drop);
}
