import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { importDoneSchema, type ImportPreview } from '../../shared/contract/caseApi.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { createBackend, type Backend } from './backend.js';
import { dispatch } from './dispatch.js';
import { inProcessRunner } from './importRunner.js';

/*
 * Across the contract: an import's result says how many of a file's requests were read in the
 * assumed zone (importDone, the source's row), and the import form's preview says which of
 * the open case's sources hold requests without a host, the ones a host-less file would merge
 * with.
 */

const ws = tempWorkspace('ss-preview-contract-');
afterAll(() => ws.cleanup());
let backend: Backend | null = null;
afterEach(async () => {
  await backend?.dispose();
  backend = null;
});

function api(): Backend {
  backend = createBackend({
    mode: 'browser',
    userDataDir: path.join(ws.dir, 'ud'),
    demoCaptureDir: path.join(ws.dir, 'none'),
    runner: inProcessRunner,
  });
  return backend;
}

async function call<T>(b: Backend, name: string, input: unknown): Promise<T> {
  const r = await dispatch(name as never, input, b.ctx);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

const line = (s: number, target: string, offset = ''): string =>
  `203.0.113.7 - - [10/Oct/2024:13:55:${String(s).padStart(2, '0')}${offset}] "GET ${target} HTTP/1.1" 200 5 "-" "ua"`;

describe('the import across the contract', () => {
  it('reports the lines read in the assumed zone, and the case’s host-less requests in the preview', async () => {
    const b = api();
    const a = ws.file('a.log', [line(1, '/'), line(2, '/x', ' +0200'), line(3, '/y')].join('\n'));
    const next = ws.file('b.log', line(4, '/') + '\n');
    const hosted = ws.file('c.log', line(5, 'http://shop.example/') + '\n');

    // No case open: nothing to merge with, nothing said.
    const before = await call<ImportPreview>(b, 'previewImport', { path: next });
    expect(before.caseHostless).toBeUndefined();

    await call(b, 'createCase', { path: path.join(ws.dir, 'c.sscase') });
    const empty = await call<ImportPreview>(b, 'previewImport', { path: next });
    expect(empty.caseHostless).toEqual({ requests: 0, sources: [] });

    const { importId } = await call<{ importId: string }>(b, 'startImport', {
      paths: [a, hosted],
      tz: 'Europe/Berlin',
    });
    const done = await b.ctx.jobs.wait(importId);
    // The event as the renderer validates it, with the count.
    const parsed = importDoneSchema.parse(done);
    expect(parsed.result?.sources.map((s) => [s.file, s.withoutOffset])).toEqual([
      ['a.log', 2],
      ['c.log', 1],
    ]);
    const sources = await call<
      {
        fileName: string;
        withoutOffset: number | null;
        firstUs: number | null;
        lastUs: number | null;
      }[]
    >(b, 'listSources', {});
    expect(sources.map((s) => [s.fileName, s.withoutOffset])).toEqual([
      ['a.log', 2],
      ['c.log', 1],
    ]);
    // Each file's time span, in the event as in the case.
    const spans = sources.map((s) => [s.firstUs, s.lastUs]);
    expect(spans.every(([first, last]) => typeof first === 'number' && first <= last!)).toBe(true);
    expect(parsed.result?.sources.map((s) => [s.firstUs, s.lastUs])).toEqual(spans);

    const preview = await call<ImportPreview>(b, 'previewImport', { path: next });
    expect(preview.hosts).toEqual({ read: 1, withoutHost: 1 });
    expect(preview.caseHostless).toEqual({
      requests: 3,
      sources: [{ sourceId: 1, file: 'a.log', withoutHost: 3 }],
    });
  });

  it('leaves the previewed file out of the host-less sources when the case already holds it', async () => {
    const b = api();
    const a = ws.file('self-a.log', [line(1, '/'), line(2, '/x')].join('\n') + '\n');
    // The same size as self-a.log, other bytes: another file, still named.
    const twin = ws.file('self-twin.log', [line(1, '/'), line(2, '/y')].join('\n') + '\n');
    const other = ws.file('self-b.log', line(3, '/') + '\n');
    await call(b, 'createCase', { path: path.join(ws.dir, 'self.sscase') });
    const { importId } = await call<{ importId: string }>(b, 'startImport', { paths: [a] });
    expect((await b.ctx.jobs.wait(importId)).error).toBeNull();

    const named = { requests: 2, sources: [{ sourceId: 1, file: 'self-a.log', withoutHost: 2 }] };
    expect((await call<ImportPreview>(b, 'previewImport', { path: other })).caseHostless).toEqual(
      named,
    );
    expect((await call<ImportPreview>(b, 'previewImport', { path: twin })).caseHostless).toEqual(
      named,
    );
    // The file itself (source 1, the same SHA-256) shares no endpoints with itself.
    expect((await call<ImportPreview>(b, 'previewImport', { path: a })).caseHostless).toEqual({
      requests: 0,
      sources: [],
    });
  });

  it('refuses an importDone event whose source lacks the count', () => {
    const source = {
      sourceId: 1,
      file: 'a.log',
      sha256: 'ab',
      format: 'combined',
      lines: 1,
      accepted: 1,
      rejected: 0,
      status: 'complete',
      message: null,
      unreadableParts: 0,
      withoutHost: 0,
      hostlessPeers: [],
      firstUs: 1,
      lastUs: 2,
    };
    const event = { importId: 'j', result: { sources: [source] }, error: null };
    expect(importDoneSchema.safeParse(event).success).toBe(false);
    expect(
      importDoneSchema.safeParse({
        ...event,
        result: { sources: [{ ...source, withoutOffset: 1 }] },
      }).success,
    ).toBe(true);
  });
});
