import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../test/runCliCapture.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { listSources } from '../store/sourcesRepo.js';
import { importSource } from './importSource.js';

/*
 * Each source records the time of its earliest and latest accepted request, as the import
 * reads them: which period a file covers, whatever the order of its lines.
 */

// The built parse worker (npm test builds first); its case is skipped from a bare checkout.
const WORKER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../dist/electron/importWorker.mjs',
);

const ws = tempWorkspace('ss-source-span-');
afterAll(() => ws.cleanup());

const clf = (time: string): string =>
  `203.0.113.7 - - [${time}] "GET / HTTP/1.1" 200 5 "-" "curl/8"`;
const us = (iso: string): number => Date.parse(iso) * 1000;

// Out of order, in two zones, and a rejected line dated outside the others.
const LOG = [
  clf('10/Oct/2024:13:55:36 +0200'),
  clf('10/Oct/2024:09:00:00 +0000'),
  clf('10/Oct/2024:14:30:00 +0000'),
  clf('10/Oct/2024:13:00:00 +0000'),
  '203.0.113.7 - - [01/Jan/2030:00:00:00 +0000] "GET / HTTP/1.1" abc 5 "-" "curl/8"',
].join('\n');

describe('the time span of a source', () => {
  const readers: [string, string | false][] = [['this thread', false]];
  if (existsSync(WORKER)) readers.push(['the parse worker', WORKER]);
  it.each(readers)(
    'is its accepted requests’ earliest and latest time, read on %s',
    async (_, workerFile) => {
      const db = ws.openCase(`span-${workerFile ? 'worker' : 'here'}.sscase`);
      const r = await importSource(db, ws.file('span.log', LOG + '\n'), {}, { workerFile });
      expect([r.accepted, r.rejected]).toEqual([4, 1]);
      const [source] = listSources(db);
      expect([source!.firstUs, source!.lastUs]).toEqual([
        us('2024-10-10T09:00:00Z'),
        us('2024-10-10T14:30:00Z'),
      ]);
      // The stored requests agree.
      expect(db.prepare('SELECT min(ts_us) AS lo, max(ts_us) AS hi FROM requests').get()).toEqual({
        lo: source!.firstUs,
        hi: source!.lastUs,
      });
      db.close();
    },
  );

  it('is none for a file with no accepted line', async () => {
    const db = ws.openCase('none.sscase');
    await importSource(
      db,
      ws.file('none.log', 'not a log line\n'),
      { format: 'combined' },
      {
        workerFile: false,
      },
    );
    const [source] = listSources(db);
    expect([source!.accepted, source!.firstUs, source!.lastUs]).toEqual([0, null, null]);
    db.close();
  });

  it('info gives it per source, in µs and ISO 8601, and in its table', async () => {
    const casePath = path.join(ws.dir, 'cli.sscase');
    const log = ws.file('cli.log', LOG + '\n');
    expect((await cli('import', casePath, log)).code).toBe(0);
    const json = await cli('info', casePath, '--json');
    const [s] = (JSON.parse(json.out) as { sources: Record<string, unknown>[] }).sources;
    expect(s).toMatchObject({
      firstUs: us('2024-10-10T09:00:00Z'),
      lastUs: us('2024-10-10T14:30:00Z'),
      firstSeen: '2024-10-10T09:00:00.000Z',
      lastSeen: '2024-10-10T14:30:00.000Z',
    });
    const text = await cli('info', casePath);
    expect(text.out).toMatch(/first\s+last/);
    expect(text.out).toContain('2024-10-10T09:00:00.000Z  2024-10-10T14:30:00.000Z');
  });
});
