import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../shared/contract/errors.js';

/** Owner-only modes for what holds evidence. */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/** A file name safe to create anywhere: no folders, no control or shell-special characters. */
export function safeFileName(given: string | null): string {
  const base = (given ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return cleaned.slice(0, 120) || 'upload';
}

/**
 * Streams a request body into a fresh folder under `dir` (never into memory) and returns the
 * file's path. The copy is kept: it is the evidence the case's source row points at (its hash
 * is what `verify` checks), so it outlives the import and the server. Logs hold other people's
 * cookies and tokens: the folders are the user's alone (0700, `dir` too when made here) and the
 * file 0600.
 */
export async function receiveUpload(
  req: IncomingMessage,
  dir: string,
  fileName: string | null,
  maxBytes: number,
): Promise<string> {
  const folder = path.join(dir, randomUUID());
  mkdirSync(folder, { recursive: true, mode: PRIVATE_DIR });
  const target = path.join(folder, safeFileName(fileName));
  let seen = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > maxBytes) cb(new AppError('BAD_INPUT', `Upload larger than ${maxBytes} bytes.`));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(req, limit, createWriteStream(target, { flags: 'wx', mode: PRIVATE_FILE }));
  } catch (err) {
    rmSync(folder, { recursive: true, force: true });
    if (err instanceof AppError) throw err;
    throw new AppError('BAD_INPUT', `Upload failed: ${(err as Error).message}`);
  }
  return target;
}
