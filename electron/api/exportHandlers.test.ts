import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exportCalls } from '../../shared/contract/exportApi.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { importSource } from '../ingest/importSource.js';
import type { CaseDb } from '../store/openCase.js';
import type { ApiContext } from './context.js';
import { createEventHub } from './eventHub.js';
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

describe('startExport call (desktop Download CSV)', () => {
  function ctxWith(chooseSavePath?: (name: string) => Promise<string | null>): {
    ctx: ApiContext;
    seen: { event: string; payload: unknown }[];
  } {
    const events = createEventHub();
    const seen: { event: string; payload: unknown }[] = [];
    events.subscribe((event, payload) => seen.push({ event, payload }));
    const ctx = {
      state: { requireCase: () => ({ db, path: '/cases/My case.sscase' }) },
      events,
      ...(chooseSavePath ? { chooseSavePath } : {}),
    } as unknown as ApiContext;
    return { ctx, seen };
  }
  const start = exportCalls.startExport.input;

  it('asks where to save, then streams there and reports progress and done', async () => {
    const out = path.join(ws.dir, 'chosen.csv');
    const asked: string[] = [];
    const { ctx, seen } = ctxWith(async (name) => {
      asked.push(name);
      return out;
    });
    const r = await exportHandlers.startExport(start.parse({ exportId: 'ex-000001' }), ctx);
    expect(r).toEqual({ started: true, path: out });
    expect(asked).toEqual(['My_case-requests.csv']);
    await vi.waitFor(() => expect(seen.some((e) => e.event === 'exportDone')).toBe(true));
    expect(seen.at(-1)).toEqual({
      event: 'exportDone',
      payload: {
        exportId: 'ex-000001',
        result: { rows: 2, bytes: readFileSync(out).length, path: out },
        error: null,
      },
    });
    expect(seen.filter((e) => e.event === 'exportProgress').at(-1)?.payload).toMatchObject({
      rows: 2,
      total: 2,
    });
  });

  it('starts nothing when the dialog is cancelled, and is refused where there is no dialog', async () => {
    const { ctx, seen } = ctxWith(async () => null);
    expect(await exportHandlers.startExport(start.parse({ exportId: 'ex-000002' }), ctx)).toEqual({
      started: false,
      path: null,
    });
    expect(seen).toEqual([]);
    const none = ctxWith();
    await expect(
      exportHandlers.startExport(start.parse({ exportId: 'ex-000003' }), none.ctx),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(start.safeParse({ exportId: 'short' }).success).toBe(false);
    expect(start.safeParse({ exportId: 'ex-000004', path: '/tmp/x.csv' }).success).toBe(false);
  });
});
