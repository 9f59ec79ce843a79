import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../test/runCliCapture.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { listSources } from '../store/sourcesRepo.js';
import { importSource, type ImportOptions } from './importSource.js';

/*
 * A source's zone (tz) is an assumption only for the times that carry no offset of their own.
 * The parser says of each accepted line whether its time was read in that zone; the import
 * counts them per source (the result, the source row), so the Overview says the zone was
 * assumed only where it was, and for how many lines.
 */

// The built parse worker (npm test builds first); its case is skipped from a bare checkout.
const WORKER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../dist/electron/importWorker.mjs',
);

const ws = tempWorkspace('ss-without-offset-');
afterAll(() => ws.cleanup());

/** Imports `content` as `name` into a fresh case: the result's count and the stored one. */
async function counted(
  name: string,
  content: string,
  opts: ImportOptions = {},
): Promise<{ result: number; stored: number | null; accepted: number; rejected: number }> {
  const db = ws.openCase(`${name}.sscase`);
  const r = await importSource(db, ws.file(name, content), opts, { workerFile: false });
  expect(r.status).toBe('complete');
  const [source] = listSources(db);
  return {
    result: r.withoutOffset,
    stored: source!.withoutOffset,
    accepted: r.accepted,
    rejected: r.rejected,
  };
}

const clf = (time: string, target = '/'): string =>
  `203.0.113.7 - - [${time}] "GET ${target} HTTP/1.1" 200 5 "-" "curl/8"`;

describe('lines read in the assumed zone, counted per source', () => {
  it('combined: only the times without an offset, also within one remembered minute', async () => {
    const lines = [
      clf('10/Oct/2024:13:55:36 +0200'),
      clf('10/Oct/2024:13:55:37'),
      clf('10/Oct/2024:13:55:38 +0200'),
      clf('10/Oct/2024:13:55:39'),
      clf('10/Oct/2024:13:55:40'),
      // Read in the zone, then rejected: not an accepted line, not counted.
      '203.0.113.7 - - [10/Oct/2024:13:55:41] "GET / HTTP/1.1" abc 5 "-" "curl/8"',
    ];
    const c = await counted('mixed.log', lines.join('\n') + '\n', { tz: 'Europe/Berlin' });
    expect(c).toMatchObject({ accepted: 5, result: 3, stored: 3 });
    const all = await counted('offsets.log', clf('10/Oct/2024:13:55:36 +0000') + '\n');
    expect(all).toMatchObject({ accepted: 1, result: 0, stored: 0 });
  });

  it('CSV: ISO times without an offset, not those with Z or +01:00, nor epoch numbers', async () => {
    const csv = [
      'timestamp,client_ip,method,path,status',
      '2024-10-10T13:55:36Z,203.0.113.9,GET,/a,200',
      '2024-10-10T13:55:36.250,203.0.113.9,GET,/b,200',
      '2024-10-10T13:55:36.500,203.0.113.9,GET,/c,200',
      '2024-10-10T13:55:36.750+01:00,203.0.113.9,GET,/d,200',
      '2024-10-10 13:55:37,203.0.113.9,GET,/e,200',
      '1728568537,203.0.113.9,GET,/f,200',
    ].join('\n');
    expect(await counted('times.csv', csv + '\n')).toMatchObject({
      accepted: 6,
      result: 3,
      stored: 3,
    });
  });

  it('JSON lines: a text time without an offset; not Z, an offset or an epoch number', async () => {
    const rec = (time: unknown, path: string): string =>
      JSON.stringify({ time, method: 'GET', path, status: 200, remote_addr: '203.0.113.9' });
    const jsonl = [
      rec('2024-05-01T10:00:00Z', '/a'),
      rec('2024-05-01 10:00:01', '/b'),
      rec('2024-05-01T10:00:02+09:00', '/c'),
      rec(1714557603000, '/d'),
      rec('01/May/2024:10:00:04', '/e'),
    ].join('\n');
    expect(await counted('app.jsonl', jsonl + '\n', { tz: 'Asia/Tokyo' })).toMatchObject({
      accepted: 5,
      result: 2,
      stored: 2,
    });
  });

  it('HAR: an entry whose startedDateTime has no offset', async () => {
    const entry = (startedDateTime: string, url: string): unknown => ({
      startedDateTime,
      time: 10,
      request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: [], bodySize: 0 },
      response: { status: 200, headers: [], content: { size: 0 }, bodySize: 0 },
    });
    const har = JSON.stringify({
      log: {
        version: '1.2',
        creator: { name: 't', version: '1' },
        entries: [
          entry('2024-05-01T10:00:00.000+02:00', 'https://shop.example/a'),
          entry('2024-05-01T10:00:01.000', 'https://shop.example/b'),
          entry('2024-05-01T10:00:02.000Z', 'https://shop.example/c'),
        ],
      },
    });
    expect(await counted('capture.har', har)).toMatchObject({ accepted: 3, result: 1, stored: 1 });
  });

  it('W3C and HAProxy: their times carry no offset, so every accepted line took the zone', async () => {
    const w3c = [
      '#Software: Microsoft Internet Information Services 10.0',
      '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken',
      '2024-05-01 10:00:00 10.0.0.1 GET /a - 443 - 203.0.113.9 curl/8 200 0 0 12',
      '2024-05-01 10:00:01 10.0.0.1 GET /b - 443 - 203.0.113.9 curl/8 404 0 0 3',
    ].join('\n');
    expect(await counted('u_ex240501.log', w3c + '\n')).toMatchObject({
      accepted: 2,
      rejected: 2,
      result: 2,
      stored: 2,
    });
    const haproxy =
      'Feb 25 16:19:49 lb1 haproxy[7]: 203.0.113.7:53332 [25/Feb/2019:16:19:48.143] www~ api/srv1 0/0/7/1457/1487 200 11394 - - ---- 2/1/0/0/0 0/0 "GET /admin HTTP/1.1"';
    expect(await counted('haproxy.log', haproxy + '\n')).toMatchObject({
      accepted: 1,
      result: 1,
      stored: 1,
    });
  });

  it('nginx log_format: $time_local by its offset, $msec never', async () => {
    const opts = { format: 'nginx', logFormat: '$remote_addr [$time_local] "$request" $status' };
    const lines = [
      '203.0.113.9 [10/Oct/2024:13:55:36 +0000] "GET /a HTTP/1.1" 200',
      '203.0.113.9 [10/Oct/2024:13:55:37] "GET /b HTTP/1.1" 200',
    ];
    expect(await counted('nginx.log', lines.join('\n') + '\n', opts)).toMatchObject({
      accepted: 2,
      result: 1,
    });
    const msec = { format: 'nginx', logFormat: '$remote_addr $msec "$request" $status' };
    const epoch = '203.0.113.9 1728568536.123 "GET /a HTTP/1.1" 200\n';
    expect(await counted('msec.log', epoch, msec)).toMatchObject({ accepted: 1, result: 0 });
  });

  it.skipIf(!existsSync(WORKER))('counts the same on the parse worker', async () => {
    const log = ws.file(
      'worker.log',
      [clf('10/Oct/2024:13:55:36'), clf('10/Oct/2024:13:55:37 +0000')].join('\n'),
    );
    const db = ws.openCase('worker.sscase');
    const r = await importSource(db, log, {}, { workerFile: WORKER });
    expect([r.withoutOffset, listSources(db)[0]!.withoutOffset]).toEqual([1, 1]);
  });

  it('import --json says it per file', async () => {
    const log = ws.file(
      'cli.log',
      [clf('10/Oct/2024:13:55:36'), clf('10/Oct/2024:13:55:37')].join('\n'),
    );
    const r = await cli('import', path.join(ws.dir, 'cli.sscase'), log, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { sources: { withoutOffset: number }[] };
    expect(j.sources.map((s) => s.withoutOffset)).toEqual([2]);
  });
});
