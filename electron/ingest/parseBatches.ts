import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../shared/contract/errors.js';
import type { RequestRecord } from '../../shared/model/requestRecord.js';
import { acceptOrReject } from './formats/acceptRecord.js';
import { formatById } from './formats/index.js';
import type { ParserOptions, RecordSink } from './formats/types.js';
import { LineSplitter, MAX_LINE_BYTES } from './lineReader.js';
import { BatchBuilder, type EncodedBatch } from './encodedBatch.js';
import { openSourceStream, type SourceFileInfo } from './sourceFile.js';

/** What a parser needs to read one source; plain data so it can cross to a worker. */
export interface ParseJob {
  source: SourceFileInfo;
  formatId: string;
  options: ParserOptions;
}

export interface ParseProgress {
  /** Lines (or records, for stream formats) read so far. */
  lines: number;
  /** Raw (possibly compressed) bytes consumed so far. */
  rawBytes: number;
}

export interface ParseEnd {
  lines: number;
  /** SHA-256 of the raw bytes the parser read. */
  digest: string;
  /** How many raw bytes that is (more than the size taken before reading if the file grew). */
  bytes: number;
  /**
   * Rejects that stand for bytes the reader could not read (a JSON document or HAR damaged in
   * the middle or cut off), as the parser marked them, and the first one's reason.
   */
  unreadableParts: number;
  firstUnreadable: string | null;
  /**
   * Accepted requests that name no host once the assumed host (if any) is applied: counted as
   * they are accepted, so the import can tell whether this source shares host-less endpoints
   * with another one without reading its requests back.
   */
  withoutHost: number;
  /**
   * Accepted requests whose time had no offset of its own, so it was read in the assumed zone
   * (options.tz), as the parser marked them (RequestRecord.zoneAssumed).
   */
  withoutOffset: number;
  /** The earliest and latest time of its accepted requests (µs, UTC); null when none. */
  firstUs: number | null;
  lastUs: number | null;
}

/** Why the end of a cut-short gzip file is rejected (its lines before are all kept). */
const CUT_SHORT =
  'the gzip data ends early (unexpected end of file): cut short here, every line before was read';

/** Lines per batch handed to the writer: big enough to amortise a message, small for memory. */
const BATCH_LINES = 4096;

/**
 * Parses a whole source into encoded batches. `emit` takes each batch synchronously (it writes
 * or posts it); `gate`, when given, is awaited between input chunks so a slow writer holds the
 * reader back instead of batches piling up in memory.
 */
export async function parseSource(
  job: ParseJob,
  emit: (batch: EncodedBatch, progress: ParseProgress) => void,
  shouldStop: () => boolean,
  gate?: () => Promise<void> | null,
): Promise<ParseEnd> {
  const format = formatById(job.formatId);
  const opened = openSourceStream(job.source);
  const batch = new BatchBuilder();
  let units = 0;
  let unreadableParts = 0;
  let firstUnreadable: string | null = null;
  let withoutHost = 0;
  let withoutOffset = 0;
  let firstUs = Infinity;
  let lastUs = -Infinity;
  // Set once the input ended (the splitter's end() emits only an unterminated last line), and
  // when that line was a cut-short gzip's.
  let ending = false;
  let cutLine = false;
  const flush = (): void => {
    if (batch.size === 0) return;
    emit(batch.finish(), { lines: units, rawBytes: opened.rawBytes() });
  };
  // Lines that name no host are of the site the investigator said the source is from; so
  // that two sites' host-less logs do not merge into one set of endpoints.
  const assumeHost = job.options.assumeHost || null;
  const sink: RecordSink = {
    accept(lineNo: number, r: RequestRecord) {
      if (assumeHost !== null && !r.host) r.host = assumeHost;
      // Throws UnstorableRecord before counting: the format then rejects the line instead.
      batch.request(lineNo, r);
      if (!r.host) withoutHost++;
      if (r.zoneAssumed === true) withoutOffset++;
      if (r.tsUs < firstUs) firstUs = r.tsUs;
      if (r.tsUs > lastUs) lastUs = r.tsUs;
      units++;
      if (batch.size >= BATCH_LINES) flush();
    },
    reject(lineNo: number, reason: string, raw: string | Buffer, unreadable?: boolean) {
      units++;
      if (unreadable === true) {
        unreadableParts++;
        firstUnreadable ??= reason;
      }
      batch.reject(lineNo, reason, raw);
      if (batch.size >= BATCH_LINES) flush();
    },
  };
  async function* gated(): AsyncGenerator<Buffer> {
    for await (const chunk of opened.stream as AsyncIterable<Buffer>) {
      if (shouldStop()) break;
      yield chunk;
      const wait = gate?.();
      if (wait) await wait;
    }
  }
  try {
    if (format.kind === 'stream') {
      await format.read(Readable.from(gated(), { objectMode: false }), sink, {
        options: job.options,
        shouldStop,
      });
    } else {
      const parser = format.createParser(job.options);
      const splitter = new LineSplitter({
        line(text, lineNo, raw) {
          if (ending && opened.truncated()) {
            // The unterminated last line of a cut-short gzip: not a whole line, whatever it reads.
            cutLine = true;
            sink.reject(lineNo, CUT_SHORT, raw ?? text);
            return;
          }
          let out: RequestRecord | string;
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
            // The record was read from the bytes decoded with U+FFFD; the bytes themselves
            // are kept so the evidence is not altered.
            out.extra = {
              ...(out.extra ?? {}),
              _encoding: 'invalid-utf8',
              _raw_base64: raw.toString('base64'),
            };
          }
          acceptOrReject(sink, lineNo, out, () => raw ?? text);
        },
        tooLong(lineNo, head, length) {
          units++;
          batch.reject(
            lineNo,
            `line too long: ${length} bytes, over the ${MAX_LINE_BYTES}-byte limit (first ${head.length} bytes kept)`,
            head,
            length,
          );
          if (batch.size >= BATCH_LINES) flush();
        },
      });
      for await (const chunk of gated()) splitter.push(chunk);
      ending = true;
      if (!shouldStop()) splitter.end();
    }
  } finally {
    opened.stream.destroy();
  }
  if (shouldStop()) throw new AppError('CANCELLED', 'Import cancelled; the case is unchanged.');
  if (opened.truncated() && !cutLine) {
    // Cut at a line's end: one row past the last line says where the readable part ends.
    units++;
    batch.reject(units, CUT_SHORT, Buffer.alloc(0));
  }
  flush();
  return {
    lines: units,
    digest: opened.digest(),
    bytes: opened.rawBytes(),
    unreadableParts,
    firstUnreadable,
    withoutHost,
    withoutOffset,
    firstUs: firstUs === Infinity ? null : firstUs,
    lastUs: lastUs === -Infinity ? null : lastUs,
  };
}

/** Messages from the parse worker to the thread that writes. */
export type ParseWorkerMessage =
  | ({ type: 'batch' } & EncodedBatch & ParseProgress)
  | ({ type: 'end' } & ParseEnd)
  | { type: 'error'; code: ErrorCode; message: string };

/**
 * Runs parseSource in a worker thread, handing each batch to `onBatch` on this thread. At most
 * a few batches are in flight: the worker waits for an ack before reading further.
 */
export function parseInWorker(
  workerFile: string,
  job: ParseJob,
  onBatch: (batch: EncodedBatch, progress: ParseProgress) => void,
  signal?: AbortSignal,
): Promise<ParseEnd> {
  return new Promise<ParseEnd>((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: { role: 'parse', job } });
    let settled = false;
    const finish = (err: Error | null, end?: ParseEnd): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (err) {
        void worker.terminate();
        reject(err);
      } else {
        resolve(end!);
      }
    };
    const onAbort = (): void =>
      finish(new AppError('CANCELLED', 'Import cancelled; the case is unchanged.'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: ParseWorkerMessage) => {
      if (settled) return;
      if (m.type === 'batch') {
        try {
          onBatch(m, { lines: m.lines, rawBytes: m.rawBytes });
        } catch (err) {
          finish(err as Error);
          return;
        }
        worker.postMessage('ack');
      } else if (m.type === 'end') {
        finish(null, {
          lines: m.lines,
          digest: m.digest,
          bytes: m.bytes,
          unreadableParts: m.unreadableParts,
          firstUnreadable: m.firstUnreadable,
          withoutHost: m.withoutHost,
          withoutOffset: m.withoutOffset,
          firstUs: m.firstUs,
          lastUs: m.lastUs,
        });
      } else {
        finish(new AppError(m.code, m.message));
      }
    });
    worker.on('error', (err) => finish(err));
    // Deferred: a message posted just before the worker ended is delivered first.
    worker.on('exit', (code) =>
      setImmediate(() =>
        finish(new AppError('INTERNAL', `parser worker stopped unexpectedly (exit ${code})`)),
      ),
    );
  });
}

/**
 * The built worker script (dist/electron/importWorker.mjs) next to the running bundle, or null
 * when running from sources (tests), where parsing then happens on the calling thread.
 */
export function defaultWorkerFile(): string | null {
  const dirs: string[] = [];
  if (typeof import.meta.url === 'string' && import.meta.url.startsWith('file:')) {
    dirs.push(path.dirname(fileURLToPath(import.meta.url)));
  }
  if (typeof __dirname === 'string') dirs.push(__dirname);
  for (const dir of dirs) {
    for (const rel of ['importWorker.mjs', '../electron/importWorker.mjs']) {
      const p = path.join(dir, rel);
      if (existsSync(p)) return p;
    }
  }
  return null;
}
