import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import type { ImportedSource } from '../ingest/importSource.js';
import { workerImportRunner } from './importRunner.js';

// The worker runs the built script (npm test builds first); from a bare checkout it is skipped.
const WORKER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../dist/electron/importWorker.mjs',
);

const LINE = (i: number): string =>
  `10.0.0.1 - - [10/Oct/2024:13:55:00 +0000] "GET /p/${i} HTTP/1.1" 200 ${i} "-" "ua"`;

let ws: ReturnType<typeof tempWorkspace>;
afterEach(() => ws?.cleanup());

describe.skipIf(!existsSync(WORKER))('import on the worker thread', () => {
  it('imports every file and reports progress per file', async () => {
    ws = tempWorkspace('ss-worker-');
    const db = ws.openCase('w.sscase');
    const casePath = db.name;
    const files = [ws.file('a.log', LINE(1) + '\n'), ws.file('b.log', LINE(2) + '\nbad\n')];
    const done: ImportedSource[] = [];
    const progressed = new Set<number>();
    await workerImportRunner(WORKER)(
      { casePath, paths: files, options: {} },
      {
        signal: new AbortController().signal,
        onProgress: (i) => progressed.add(i),
        onFileDone: (_i, r) => done.push(r),
      },
    );
    expect(done.map((r) => [r.accepted, r.rejected])).toEqual([
      [1, 0],
      [1, 1],
    ]);
    expect([...progressed].sort()).toEqual([0, 1]);
    expect(db.prepare('SELECT count(*) AS n FROM requests').get()).toEqual({ n: 2 });
  });

  it('stops before the next file once cancelled', async () => {
    ws = tempWorkspace('ss-worker-');
    const db = ws.openCase('w.sscase');
    const controller = new AbortController();
    controller.abort();
    await expect(
      workerImportRunner(WORKER)(
        { casePath: db.name, paths: [ws.file('a.log', LINE(1) + '\n')], options: {} },
        { signal: controller.signal, onProgress: () => undefined, onFileDone: () => undefined },
      ),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(db.prepare('SELECT count(*) AS n FROM requests').get()).toEqual({ n: 0 });
  });
});
