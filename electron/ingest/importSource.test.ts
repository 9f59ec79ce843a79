import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors.js';
import { fixture } from '../../test/corpus.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { CaseDb } from '../store/openCase.js';
import { importSource, type ImportProgress } from './importSource.js';
import { MAX_LINE_BYTES } from './lineReader.js';

const LINE = (i: number, extra = ''): string =>
  `10.0.${(i >> 8) & 255}.${i & 255} - - [10/Oct/2024:13:55:${String(i % 60).padStart(2, '0')} +0000] "GET /p/${i}${extra} HTTP/1.1" 200 ${i} "-" "ua"`;

function counts(db: CaseDb): { sources: number; requests: number; rejects: number } {
  return db
    .prepare(
      `SELECT (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM requests) AS requests,
        (SELECT count(*) FROM rejects) AS rejects`,
    )
    .get() as { sources: number; requests: number; rejects: number };
}

async function expectAppError(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  expect((err as AppError).message).toMatch(message);
}

describe('importSource edge cases', () => {
  const ws = tempWorkspace();
  afterAll(() => ws.cleanup());

  it('imports the fixture, accounting for every line', async () => {
    const db = ws.openCase('fixture.sscase');
    const r = await importSource(db, fixture('access/small-combined.log'));
    expect(r).toMatchObject({ format: 'combined', lines: 5, accepted: 4, rejected: 1 });
    const rej = db.prepare('SELECT line_no, reason, raw FROM rejects').get() as {
      line_no: number;
      reason: string;
      raw: Buffer;
    };
    expect(rej.line_no).toBe(4);
    expect(rej.reason).toBe('not an access log line: no [time] field');
    expect(rej.raw.toString()).toBe('this line is not a request');
    const src = db.prepare('SELECT * FROM sources').get() as Record<string, unknown>;
    expect(src).toMatchObject({ status: 'complete', lines_read: 5, accepted: 4, rejected: 1 });
    expect(src.sha256).toBe(
      createHash('sha256')
        .update(readFileSync(fixture('access/small-combined.log')))
        .digest('hex'),
    );
  });

  it('handles CRLF, a BOM and a last line without newline', async () => {
    const text = '\uFEFF' + [LINE(1), LINE(2), LINE(3)].join('\r\n');
    const db = ws.openCase('crlf.sscase');
    const r = await importSource(db, ws.file('crlf.log', text));
    expect(r).toMatchObject({ lines: 3, accepted: 3, rejected: 0 });
    const ua = db.prepare('SELECT ip, user_agent FROM requests ORDER BY line_no').all();
    expect(ua[0]).toEqual({ ip: '10.0.0.1', user_agent: 'ua' });
    expect(ua[2]).toEqual({ ip: '10.0.0.3', user_agent: 'ua' });
  });

  it('keeps the raw bytes of lines that are not UTF-8, accepted or rejected', async () => {
    const bad = Buffer.concat([
      Buffer.from(LINE(1, '?q=')),
      Buffer.from([0xff, 0xfe, 0x41]),
      Buffer.from('\n'),
    ]);
    const badReject = Buffer.from([0x66, 0x6f, 0xc3, 0x28, 0x0a]);
    const file = ws.file('latin.log', Buffer.concat([bad, badReject, Buffer.from(LINE(2))]));
    const db = ws.openCase('latin.sscase');
    const r = await importSource(db, file);
    expect(r).toMatchObject({ lines: 3, accepted: 2, rejected: 1 });
    const extra = JSON.parse(
      db.prepare('SELECT extra FROM requests WHERE line_no = 1').pluck().get() as string,
    ) as { _encoding: string; _raw_base64: string };
    expect(extra._encoding).toBe('invalid-utf8');
    expect(Buffer.from(extra._raw_base64, 'base64')).toEqual(bad.subarray(0, -1));
    const raw = db.prepare('SELECT raw FROM rejects WHERE line_no = 2').pluck().get() as Buffer;
    expect(raw).toEqual(badReject.subarray(0, -1));
  });

  it('accepts a 1 MB line and rejects an over-long one, keeping its head and length', async () => {
    const big = LINE(1, '?q=' + 'a'.repeat(1024 * 1024));
    const huge = 'x'.repeat(MAX_LINE_BYTES + 10);
    const file = ws.file('long.log', [big, huge, LINE(3)].join('\n') + '\n');
    const db = ws.openCase('long.sscase');
    const r = await importSource(db, file);
    expect(r).toMatchObject({ lines: 3, accepted: 2, rejected: 1 });
    const q = db.prepare('SELECT length(query) FROM requests WHERE line_no = 1').pluck().get();
    expect(q).toBe(1024 * 1024 + 2);
    const rej = db.prepare('SELECT line_no, raw, raw_length, reason FROM rejects').get() as {
      line_no: number;
      raw: Buffer;
      raw_length: number;
      reason: string;
    };
    expect(rej.line_no).toBe(2);
    expect(rej.raw_length).toBe(MAX_LINE_BYTES + 10);
    expect(rej.raw.length).toBe(64 * 1024);
    expect(rej.reason).toMatch(/line too long/);
    expect(db.prepare('SELECT ip FROM requests WHERE line_no = 3').pluck().get()).toBe('10.0.0.3');
  });

  it('refuses an empty file with a clear error, leaving the case unchanged', async () => {
    const db = ws.openCase('empty.sscase');
    await expectAppError(importSource(db, ws.file('empty.log', '')), 'BAD_INPUT', /is empty/);
    await expectAppError(
      importSource(db, ws.file('empty.log.gz', gzipSync(Buffer.alloc(0))), { format: 'combined' }),
      'BAD_INPUT',
      /empty once decompressed/,
    );
    expect(counts(db)).toEqual({ sources: 0, requests: 0, rejects: 0 });
  });

  it('names the formats it tried when it recognises none; no source row is left', async () => {
    const db = ws.openCase('unknown.sscase');
    const file = ws.file('notes.txt', 'dear diary\ntoday I parsed logs\n');
    await expectAppError(importSource(db, file), 'UNKNOWN_FORMAT', /tried: combined 0%.*nginx 0%/);
    expect(counts(db)).toEqual({ sources: 0, requests: 0, rejects: 0 });
  });

  it('reads .gz transparently and records the hash of the compressed bytes', async () => {
    const gz = gzipSync(readFileSync(fixture('access/small-combined.log')));
    const db = ws.openCase('gz.sscase');
    const r = await importSource(db, ws.file('small.log.gz', gz));
    expect(r).toMatchObject({ format: 'combined', lines: 5, accepted: 4, rejected: 1 });
    expect(r.sha256).toBe(createHash('sha256').update(gz).digest('hex'));
    const opts = db.prepare('SELECT parser_options FROM sources').pluck().get() as string;
    expect(JSON.parse(opts)).toMatchObject({ gzip: true });
  });

  it('refuses a corrupt .gz as bad input, leaving the case unchanged', async () => {
    // Damaged compressed data (not a file cut short, whose whole lines are kept:
    // gzipTruncated.test.ts): nothing after the damage can be trusted.
    const gz = gzipSync(Buffer.from(Array.from({ length: 2000 }, (_, i) => LINE(i)).join('\n')));
    const bad = Buffer.from(gz);
    for (let i = 20; i < 60; i++) bad[i] = bad[i]! ^ 0xff;
    const db = ws.openCase('cut-gz.sscase');
    await expectAppError(
      importSource(db, ws.file('cut.log.gz', bad), { format: 'combined' }),
      'BAD_INPUT',
      /cut\.log\.gz/,
    );
    expect(counts(db)).toEqual({ sources: 0, requests: 0, rejects: 0 });
  });

  it('reads zone-less times in --tz across DST changes and records the assumption', async () => {
    const t = (wall: string): string => `1.1.1.1 - - [${wall}] "GET / HTTP/1.1" 200 1`;
    const file = ws.file(
      'berlin.log',
      [
        t('31/Mar/2024:01:59:59'), // CET, +01:00
        t('31/Mar/2024:03:00:00'), // CEST, +02:00 (02:xx does not exist that night)
        t('27/Oct/2024:02:30:00'), // happens twice: the earlier instant (CEST) is chosen
        t('27/Oct/2024:03:30:00'), // CET again
      ].join('\n'),
    );
    const db = ws.openCase('berlin.sscase');
    const r = await importSource(db, file, { tz: 'Europe/Berlin' });
    expect(r.accepted).toBe(4);
    const times = (
      db.prepare('SELECT ts_us FROM requests ORDER BY line_no').pluck().all() as number[]
    ).map((us) => new Date(us / 1000).toISOString());
    expect(times).toEqual([
      '2024-03-31T00:59:59.000Z',
      '2024-03-31T01:00:00.000Z',
      '2024-10-27T00:30:00.000Z',
      '2024-10-27T02:30:00.000Z',
    ]);
    expect(db.prepare('SELECT tz_assumption FROM sources').pluck().get()).toBe('Europe/Berlin');
    await expectAppError(importSource(db, file, { tz: 'Mars/Olympus' }), 'BAD_INPUT', /time zone/);
  });

  it('skips a file already imported (same SHA-256) unless forced', async () => {
    const db = ws.openCase('dup.sscase');
    const file = fixture('access/small-combined.log');
    const first = await importSource(db, file);
    const again = await importSource(db, file);
    expect(again).toMatchObject({ status: 'skipped', sourceId: first.sourceId, lines: 0 });
    expect(again.message).toMatch(/already imported as source/);
    expect(counts(db)).toEqual({ sources: 1, requests: 4, rejects: 1 });
    const forced = await importSource(db, file, { force: true });
    expect(forced).toMatchObject({ status: 'complete', lines: 5 });
    expect(forced.sourceId).not.toBe(first.sourceId);
    expect(counts(db)).toEqual({ sources: 2, requests: 8, rejects: 2 });
  });

  it('a cancelled import leaves the case as it was', async () => {
    const lines = Array.from({ length: 60_000 }, (_, i) => LINE(i)).join('\n');
    const file = ws.file('big.log', lines);
    const db = ws.openCase('cancel.sscase');
    await importSource(db, fixture('access/small-combined.log'));
    const before = counts(db);
    const controller = new AbortController();
    const seen: ImportProgress[] = [];
    await expectAppError(
      importSource(
        db,
        file,
        {},
        {
          signal: controller.signal,
          progressIntervalMs: 0,
          onProgress(p) {
            seen.push(p);
            if (p.phase === 'parsing' && p.lines > 0) controller.abort();
          },
        },
      ),
      'CANCELLED',
      /case is unchanged/,
    );
    expect(seen.some((p) => p.lines > 0)).toBe(true);
    expect(counts(db)).toEqual(before);
    expect(db.inTransaction).toBe(false);
    // …and the same file imports fine afterwards.
    const r = await importSource(db, file);
    expect(r).toMatchObject({ status: 'complete', lines: 60_000, accepted: 60_000 });
  });
});
