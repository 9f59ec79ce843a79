import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp, constants as fsc } from 'node:fs';
import { resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { AppError } from '../../shared/contract/errors.js';

export interface SourceFileInfo {
  /** The path as given, made absolute: `verify` finds the file again from any folder. */
  pathGiven: string;
  fileName: string;
  sizeBytes: number;
  gzip: boolean;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Stats a source file and checks it can be read; never opens it for writing. */
export async function statSource(pathGiven: string): Promise<SourceFileInfo> {
  let size: number;
  try {
    const st = await fsp.stat(pathGiven);
    if (!st.isFile()) throw new AppError('BAD_INPUT', `${pathGiven} is not a regular file`);
    size = st.size;
    await fsp.access(pathGiven, fsc.R_OK);
  } catch (err) {
    if (err instanceof AppError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('BAD_INPUT', `No file at ${pathGiven}`);
    }
    throw new AppError('BAD_INPUT', `Cannot read ${pathGiven}: ${(err as Error).message}`);
  }
  const fh = await fsp.open(pathGiven, 'r');
  const head = Buffer.alloc(2);
  try {
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  const gzip = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  const fileName = pathGiven.split(/[\\/]/).pop() ?? pathGiven;
  return { pathGiven: resolve(pathGiven), fileName, sizeBytes: size, gzip };
}

/** What a file with nothing in it (once decompressed) is told, at preview and at import. */
export function emptyFileMessage(info: SourceFileInfo): string {
  return `${info.fileName}: the file is empty${info.gzip ? ' once decompressed' : ''}: nothing to import`;
}

/** SHA-256 of the file's bytes as stored (compressed files hash compressed). */
export async function hashFile(
  path: string,
  onBytes?: (n: number) => void,
  signal?: AbortSignal,
): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path, { flags: 'r', highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (signal?.aborted) {
      stream.destroy();
      throw new AppError('CANCELLED', 'Import cancelled');
    }
    hash.update(chunk);
    onBytes?.(chunk.length);
  }
  return hash.digest('hex');
}

export interface OpenedSource {
  /** Decompressed bytes. */
  stream: Readable;
  /** Raw bytes consumed so far (for progress against the file size). */
  rawBytes(): number;
  /** SHA-256 of the raw bytes read; call after the stream ended. */
  digest(): string;
  /**
   * True once a gzip file turned out cut short: the stream ended with what it held, and the
   * importer records that the rest could not be read (call after the stream ended).
   */
  truncated(): boolean;
}

/**
 * Opens a source read-only for parsing. The raw bytes are hashed as they pass, so the importer
 * can check the file did not change between the hash pass and the parse.
 */
export function openSourceStream(info: SourceFileInfo): OpenedSource {
  const hash = createHash('sha256');
  let raw = 0;
  const file = createReadStream(info.pathGiven, { flags: 'r', highWaterMark: 1 << 20 });
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      raw += chunk.length;
      cb(null, chunk);
    },
  });
  file.on('error', (err) => tap.destroy(err));
  let stream: Readable = file.pipe(tap);
  let truncated = false;
  if (info.gzip) {
    const gunzip = createGunzip();
    tap.on('error', (err) => gunzip.destroy(err));
    // A cut-short gzip (a partial copy, a rotation caught mid-write) fails only at its end,
    // after every byte it held came out: those lines are kept, the cut is recorded.
    const out = new PassThrough();
    gunzip.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'Z_BUF_ERROR') {
        truncated = true;
        out.end();
      } else out.destroy(err);
    });
    out.on('close', () => gunzip.destroy());
    stream = tap.pipe(gunzip).pipe(out);
  }
  let digest: string | undefined;
  return {
    stream,
    rawBytes: () => raw,
    digest: () => (digest ??= hash.digest('hex')),
    truncated: () => truncated,
  };
}

/** How much of a file the format is sniffed from. */
export const SNIFF_HEAD_BYTES = 64 * 1024;

/** The first `max` decompressed bytes, for format sniffing. */
export async function readHead(info: SourceFileInfo, max = SNIFF_HEAD_BYTES): Promise<Buffer> {
  const { stream } = openSourceStream(info);
  const parts: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      n += chunk.length;
      if (n >= max) break;
    }
  } catch (err) {
    throw new AppError('BAD_INPUT', `Cannot read ${info.pathGiven}: ${(err as Error).message}`);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, max);
}
