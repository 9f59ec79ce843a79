import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import type { CaseDb } from '../store/openCase.js';
import { importSource } from './importSource.js';
import { verifySources } from './verifySources.js';

const LOG = '10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] "GET /login HTTP/1.1" 200 512 "-" "curl"\n';

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
let log: string;
beforeEach(async () => {
  ws = tempWorkspace('ss-verify-');
  db = ws.openCase();
  log = ws.file('access.log', LOG);
  await importSource(db, log);
});
afterEach(() => ws.cleanup());

/** The source's recorded path, as a crafted (or hand-edited) case may name any. */
function pointAt(p: string): void {
  db.prepare('UPDATE sources SET path_given = ?').run(p);
}

describe('verifySources reads only a regular file, and no more than it imported', () => {
  it('says match, then why a changed file differs (longer: not read past its size + 1)', async () => {
    expect(await verifySources(db)).toMatchObject([{ status: 'match', reason: null }]);
    appendFileSync(log, 'x');
    expect(await verifySources(db)).toMatchObject([
      {
        status: 'mismatch',
        actualSha256: null,
        reason: `it is longer than the ${LOG.length} bytes imported`,
      },
    ]);
    writeFileSync(log, LOG.slice(0, 10));
    const [short] = await verifySources(db);
    expect(short).toMatchObject({ status: 'mismatch', reason: expect.stringMatching(/shorter/) });
    expect(short!.actualSha256).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(log, LOG.replace('login', 'logon'));
    expect(await verifySources(db)).toMatchObject([
      { status: 'mismatch', reason: 'its SHA-256 differs' },
    ]);
    rmSync(log);
    expect(await verifySources(db)).toMatchObject([
      { status: 'missing', reason: expect.stringMatching(/no file at this path/) },
    ]);
  });

  it('answers at once for a huge file (a sparse 8 GiB one was hashed whole)', async () => {
    truncateSync(log, 8 * 2 ** 30);
    const t0 = performance.now();
    expect(await verifySources(db)).toMatchObject([{ status: 'mismatch', actualSha256: null }]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('does not read a FIFO, a device or a folder, and says what is there', async () => {
    const fifo = path.join(ws.dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const dir = path.join(ws.dir, 'folder');
    mkdirSync(dir);
    const seen: string[] = [];
    for (const [p, what] of [
      [fifo, 'a FIFO (named pipe)'],
      ['/dev/zero', 'a character device'],
      [dir, 'a folder'],
    ] as const) {
      pointAt(p);
      const [r] = await verifySources(db);
      expect(r).toMatchObject({ status: 'not_a_file', actualSha256: null, file: p });
      expect(r!.reason).toBe(`${what} is there, not a regular file; it was not read`);
      seen.push(r!.status);
    }
    expect(seen).toHaveLength(3);
  });
});
