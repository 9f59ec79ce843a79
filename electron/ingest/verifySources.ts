import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { CaseDb } from '../store/openCase.js';
import { listSources, type SourceRow } from '../store/sourcesRepo.js';

/**
 * match: the file holds the bytes imported. mismatch: it holds others (changed). missing: no
 * file there (or it cannot be read). not_a_file: something is there that is not a regular file
 * (a FIFO, a device, a folder), which is not read at all.
 */
export type VerifyStatus = 'match' | 'mismatch' | 'missing' | 'not_a_file';

export interface VerifyResult {
  sourceId: number;
  file: string;
  sha256: string;
  status: VerifyStatus;
  actualSha256: string | null;
  /** Why the source does not match, in a sentence; null when it matches. */
  reason: string | null;
}

/** What a file that is not a regular one is, for the reason. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'something';
}

const CHUNK = 1 << 20;

/**
 * Re-hashes every source file still at its recorded path and compares with the case.
 *
 * The path comes from the case, which may have been crafted: only a regular file is read (one
 * that is a FIFO would block, /dev/zero never ends, a device may act on being opened), and
 * never more than the recorded size + 1 bytes (a longer file has changed; its hash is not
 * needed to say so).
 */
export async function verifySources(db: CaseDb): Promise<VerifyResult[]> {
  const out: VerifyResult[] = [];
  for (const s of listSources(db)) out.push(await verifyOne(s));
  return out;
}

async function verifyOne(s: SourceRow): Promise<VerifyResult> {
  const result = (
    status: VerifyStatus,
    actualSha256: string | null,
    reason: string | null,
  ): VerifyResult => ({
    sourceId: s.id,
    file: s.pathGiven,
    sha256: s.sha256,
    status,
    actualSha256,
    reason,
  });
  const notAFile = (st: Stats): VerifyResult =>
    result('not_a_file', null, `${kindOf(st)} is there, not a regular file; it was not read`);
  let before: Stats;
  try {
    // stat, not lstat: a source imported through a symbolic link is verified through it.
    before = await stat(s.pathGiven);
  } catch (err) {
    return result(
      'missing',
      null,
      `no file at this path (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  // Not opened at all unless a regular file: opening a FIFO blocks, a device may act on it.
  if (!before.isFile()) return notAFile(before);
  let fh;
  try {
    // Non-blocking, so a FIFO swapped in after the stat does not block the open either.
    fh = await open(s.pathGiven, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return result(
      'missing',
      null,
      `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return notAFile(st);
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(CHUNK);
    const limit = s.sizeBytes + 1;
    let total = 0;
    while (total < limit) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, limit - total), null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > s.sizeBytes)
      return result('mismatch', null, `it is longer than the ${s.sizeBytes} bytes imported`);
    const actual = hash.digest('hex');
    if (actual === s.sha256) return result('match', actual, null);
    return result(
      'mismatch',
      actual,
      total < s.sizeBytes
        ? `it is shorter than the ${s.sizeBytes} bytes imported (${total})`
        : 'its SHA-256 differs',
    );
  } catch (err) {
    return result('missing', null, `cannot be read (${(err as Error).message})`);
  } finally {
    await fh.close();
  }
}
