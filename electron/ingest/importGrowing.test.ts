import { appendFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { importSource } from './importSource.js';
import { verifySources } from './verifySources.js';

const line = (i: number): string =>
  `10.0.0.${i % 250} - - [01/Mar/2024:10:00:00 +0000] "GET /p/${i} HTTP/1.1" 200 512 "-" "curl"\n`;

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-growing-');
  db = ws.openCase();
});
afterEach(() => ws.cleanup());

describe('a log still being written while it is imported', () => {
  it('records the bytes it read and hashed, so verify matches the file as it was read', async () => {
    // ~4 MB: read in several chunks, so lines appended at the first progress report are read.
    const log = ws.file('access.log', Array.from({ length: 50_000 }, (_, i) => line(i)).join(''));
    const before = statSync(log).size;
    let appended = false;
    const r = await importSource(
      db,
      log,
      {},
      {
        workerFile: null,
        progressIntervalMs: 0,
        onProgress: () => {
          if (appended) return;
          appended = true;
          appendFileSync(log, Array.from({ length: 1000 }, (_, i) => line(50_000 + i)).join(''));
        },
      },
    );
    const after = statSync(log).size;
    expect(after).toBeGreaterThan(before);
    expect(r.lines).toBe(51_000);
    const row = db.prepare('SELECT size_bytes AS size FROM sources').get() as { size: number };
    expect(row.size).toBe(after);
    const entry = listAudit(db).find((a) => a.action === 'import');
    expect(entry?.details).toMatchObject({
      sizeChanged: { beforeReading: before, bytesRead: after },
    });
    expect(await verifySources(db)).toMatchObject([{ status: 'match', reason: null }]);
    // Cut back to the size taken before reading: what was imported is no longer all there.
    writeFileSync(log, Array.from({ length: 50_000 }, (_, i) => line(i)).join(''));
    expect((await verifySources(db))[0]?.status).toBe('mismatch');
  });
});
