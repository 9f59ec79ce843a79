import Database from 'better-sqlite3';
import { copyFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { NEW_CASE_PAGE_SIZE, openCase } from '../store/openCase.js';
import { importSource } from './importSource.js';

const LINE = (i: number): string =>
  `10.0.0.${i & 255} - - [10/Oct/2024:13:55:${String(i % 60).padStart(2, '0')} +0000] "GET /p/${i} HTTP/1.1" 200 ${i} "-" "ua"`;
const log = (n: number): string => Array.from({ length: n }, (_, i) => LINE(i + 1)).join('\n');

describe('the case file under an import', () => {
  const ws = tempWorkspace();
  afterAll(() => ws.cleanup());

  it('a new case gets the larger page size; an existing case keeps its own', () => {
    expect(ws.openCase('new.sscase').pragma('page_size', { simple: true })).toBe(
      NEW_CASE_PAGE_SIZE,
    );
    const old = path.join(ws.dir, 'old.sscase');
    const made = new Database(old);
    made.pragma('page_size = 4096');
    made.pragma('journal_mode = WAL');
    made.close();
    const db = openCase(old);
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    db.close();
  });

  it('leaves the WAL checkpoint to later, and the import survives a crash before it', async () => {
    const db = ws.openCase('ckpt.sscase');
    const before = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    expect(before).toBeGreaterThan(0);
    const r = await importSource(db, ws.file('a.log', log(3000)));
    expect(r.status).toBe('complete');
    // The setting is back for the connection's later writes.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(before);
    // A crash now (the case file and its WAL as they are on disk, no checkpoint, no close)
    // still opens with the whole import.
    const casePath = path.join(ws.dir, 'ckpt.sscase');
    expect(statSync(casePath + '-wal').size).toBeGreaterThan(0);
    const crashed = path.join(ws.dir, 'crashed.sscase');
    copyFileSync(casePath, crashed);
    copyFileSync(casePath + '-wal', crashed + '-wal');
    const back = openCase(crashed);
    expect(back.prepare('SELECT count(*) AS n FROM requests').get()).toEqual({ n: 3000 });
    expect(back.prepare('SELECT status FROM sources').get()).toEqual({ status: 'complete' });
    back.close();
    // The next import first checkpoints what the last one left in the WAL.
    await importSource(db, ws.file('b.log', log(10)));
    const ck = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    expect(ck[0]!.log).toBeLessThan(100);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('restores the setting when an import is cancelled', async () => {
    const db = ws.openCase('fail.sscase');
    const before = db.pragma('wal_autocheckpoint', { simple: true });
    const cancelled = new AbortController();
    cancelled.abort();
    const err = await importSource(
      db,
      ws.file('c.log', log(100)),
      {},
      { signal: cancelled.signal },
    ).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('CANCELLED');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(before);
    expect(db.prepare('SELECT count(*) AS n FROM sources').get()).toEqual({ n: 0 });
  });
});
