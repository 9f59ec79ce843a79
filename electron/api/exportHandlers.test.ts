import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportCalls } from '../../shared/contract/exportApi.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { importSource } from '../ingest/importSource.js';
import type { CaseDb } from '../store/openCase.js';
import type { ApiContext } from './context.js';
import { exportHandlers } from './exportHandlers.js';

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(async () => {
  ws = tempWorkspace('ss-export-api-');
  db = ws.openCase();
  const log = ws.file(
    'a.log',
    '10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] "GET /a HTTP/1.1" 200 5 "-" "@x"\n' +
      '10.0.0.2 - - [01/Mar/2024:10:00:01 +0000] "GET /b HTTP/1.1" 404 5 "-" "ua"\n',
  );
  await importSource(db, log, {}, { workerFile: false });
  rebuild(db);
});
afterEach(() => ws.cleanup());

const input = exportCalls.exportCsv.input;

describe('exportCsv call', () => {
  it('accepts only an absolute path ending in .csv', () => {
    expect(input.safeParse({ path: '/tmp/x.csv' }).success).toBe(true);
    expect(input.safeParse({ path: 'C:\\Users\\me\\x.CSV' }).success).toBe(true);
    expect(input.safeParse({ path: 'x.csv' }).success).toBe(false);
    expect(input.safeParse({ path: '/home/me/.bashrc' }).success).toBe(false);
    expect(input.safeParse({ path: '/tmp/x\0.csv' }).success).toBe(false);
    expect(input.safeParse({ path: '/tmp/x.csv', sessionId: 'nope' }).success).toBe(false);
    expect(input.safeParse({ path: '/tmp/x.csv', extra: 1 }).success).toBe(false);
  });

  it('writes the filtered requests of the open case and reports rows, bytes and path', async () => {
    const out = path.join(ws.dir, 'out.csv');
    const parsed = input.parse({ path: out, filters: { statuses: ['4xx'] } });
    const ctx = { state: { requireCase: () => ({ db }) } } as unknown as ApiContext;
    const res = await exportHandlers.exportCsv(parsed, ctx);
    expect(res).toEqual({ rows: 1, bytes: readFileSync(out).length, path: out });
    expect(readFileSync(out, 'utf8')).toContain(',/b,');
  });
});
