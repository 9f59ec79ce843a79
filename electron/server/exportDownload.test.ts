import { mkdirSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract/api.js';
import { ENDPOINT_EXPORT_HEADER } from '../../shared/export/endpointColumns.js';
import { EXPORT_HEADER } from '../../shared/export/exportColumns.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { rebuild } from '../analysis/rebuild.js';
import { TextIndexLater, textIndexCurrent } from '../analysis/textIndexStep.js';
import { textIndexBuilding } from '../analysis/textIndexWait.js';
import { createBackend, type Backend } from '../api/backend.js';
import { dispatch } from '../api/dispatch.js';
import { inProcessRunner } from '../api/importRunner.js';
import { importSource } from '../ingest/importSource.js';
import { startHttpServer, type RunningServer } from './httpServer.js';

let ws: ReturnType<typeof tempWorkspace>;
let backend: Backend;
let server: RunningServer;
let events: { event: EventName; payload: Record<string, unknown> }[];

const line = (i: number, ip: string, ua: string): string =>
  `${ip} - - [01/Mar/2024:10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /item/${i} HTTP/1.1" 200 512 "-" "${ua}"`;

async function openCaseWith(lines: string[]): Promise<void> {
  const r = await dispatch('createCase', { path: path.join(ws.dir, 'c.sscase') }, backend.ctx);
  expect(r.ok).toBe(true);
  const { db } = backend.ctx.state.requireCase();
  await importSource(db, ws.file('a.log', lines.join('\n') + '\n'), {}, { workerFile: false });
  rebuild(db);
}

beforeEach(async () => {
  ws = tempWorkspace('ss-download-');
  const staticDir = path.join(ws.dir, 'renderer');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  backend = createBackend({
    mode: 'browser',
    userDataDir: path.join(ws.dir, 'userdata'),
    demoCaptureDir: path.join(ws.dir, 'none'),
    runner: inProcessRunner,
  });
  events = [];
  backend.ctx.events.subscribe((event, payload) =>
    events.push({ event, payload: payload as Record<string, unknown> }),
  );
  server = await startHttpServer({
    ctx: backend.ctx,
    staticDir,
    uploadDir: path.join(ws.dir, 'uploads'),
    port: 0,
  });
});

afterEach(async () => {
  await server.close();
  await backend.dispose();
  ws.cleanup();
});

function exportPath(id: string, input: unknown): string {
  return `/api/export?id=${id}&input=${encodeURIComponent(JSON.stringify(input))}`;
}

/**
 * Starts a GET; resolves with the response as soon as its head arrives. With the token header
 * unless `asBrowser`: then as Chromium sends a download navigation from our page (no token,
 * Sec-Fetch-Site same-origin).
 */
function get(
  p: string,
  headers: Record<string, string> = {},
  asBrowser = false,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: p,
        headers: {
          host: `127.0.0.1:${server.port}`,
          ...(asBrowser
            ? { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate' }
            : { 'x-sessionscope-token': server.token }),
          ...headers,
        },
      },
      resolve,
    );
    req.on('error', reject);
    req.end();
  });
}

function body(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    res.on('data', (c: Buffer) => parts.push(c));
    res.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    res.on('error', reject);
  });
}

describe('GET /api/export (browser-mode download)', () => {
  it('streams the matching requests as a chunked CSV attachment, formula-safe, with events', async () => {
    await openCaseWith([
      line(1, '10.0.0.1', '=HYPERLINK(A1)'),
      line(2, '10.0.0.2', 'curl'),
      line(3, '10.0.0.1', '@SUM(A1)'),
    ]);
    const res = await get(exportPath('dl-test-1', { filters: { ips: ['10.0.0.1'] }, bom: true }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    // Filtered: the filters' hash in the name (electron/export/exportFileName.ts).
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="c-requests-f[0-9a-f]{8}\.csv"$/,
    );
    // Streamed: no length known up front.
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    const text = await body(res);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = Papa.parse<string[]>(text.slice(1), { newline: '\r\n', skipEmptyLines: true });
    expect(rows.data[0]).toEqual(EXPORT_HEADER);
    const ua = EXPORT_HEADER.indexOf('user_agent');
    expect(rows.data.slice(1).map((r) => r[ua])).toEqual(["'=HYPERLINK(A1)", "'@SUM(A1)"]);
    const mine = events.filter((e) => e.payload.exportId === 'dl-test-1');
    expect(mine.at(-1)).toEqual({
      event: 'exportDone',
      payload: {
        exportId: 'dl-test-1',
        result: { rows: 2, bytes: Buffer.byteLength(text), path: null },
        error: null,
      },
    });
    expect(mine.filter((e) => e.event === 'exportProgress').at(-1)!.payload).toMatchObject({
      rows: 2,
      total: 2,
    });
  });

  it('with a text filter while the text index is built after a rebuild: waits off the thread, then streams', async () => {
    const r = await dispatch('createCase', { path: path.join(ws.dir, 'c.sscase') }, backend.ctx);
    expect(r.ok).toBe(true);
    const { db, path: casePath } = backend.ctx.state.requireCase();
    const lines = Array.from({ length: 40 }, (_, i) => line(i, `10.0.0.${i % 5}`, 'agent'));
    await importSource(db, ws.file('a.log', lines.join('\n') + '\n'), {}, { workerFile: false });
    // Analysed with its index left to a worker (rebuildWorker.ts registers it so).
    rebuild(db, { textIndexLater: new TextIndexLater(0) });
    expect(textIndexCurrent(db)).toBe(false);
    let endTail = (): void => undefined;
    textIndexBuilding(casePath, new Promise<void>((resolve) => (endTail = resolve)));
    let answered = false;
    const download = get(exportPath('dl-text-tail', { filters: { text: '/item/2' } })).then(
      (res) => {
        answered = true;
        return res;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    // The server answers meanwhile: the count waits off the thread.
    const page = await get('/');
    expect(page.statusCode).toBe(200);
    await body(page);
    expect(new TextIndexLater(0).build(db)).toBe('built');
    endTail();
    const res = await download;
    expect(res.statusCode).toBe(200);
    const rows = Papa.parse<string[]>(await body(res), { newline: '\r\n', skipEmptyLines: true });
    const at = EXPORT_HEADER.indexOf('path');
    // /item/2 and /item/20 to /item/29.
    expect(rows.data.slice(1).map((row) => row[at])).toEqual(
      [2, ...Array.from({ length: 10 }, (_, k) => 20 + k)].map((i) => `/item/${i}`),
    );
    const done = events.filter(
      (e) => e.payload.exportId === 'dl-text-tail' && e.event === 'exportDone',
    );
    expect(done).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ error: null }) }),
    ]);
  });

  it('downloads the endpoint inventory as endpoints.csv; refuses a session with it', async () => {
    await openCaseWith([line(1, '10.0.0.1', 'a'), line(2, '10.0.0.2', 'b')]);
    const res = await get(exportPath('dl-endpoints', { table: 'endpoints' }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="c-endpoints.csv"');
    const rows = Papa.parse<string[]>(await body(res), { newline: '\r\n', skipEmptyLines: true });
    expect(rows.data[0]).toEqual([...ENDPOINT_EXPORT_HEADER]);
    expect(rows.data.slice(1).map((r) => `${r[1]} ${r[3]} ${r[4]}`)).toEqual(['GET /item/{id} 2']);
    const bad = await get(
      exportPath('dl-endpoints-2', { table: 'endpoints', sessionId: 's0123456789abcdef' }),
    );
    expect(bad.statusCode).toBe(400);
  });

  it('checks the token, Host and Origin, and validates the input with the contract schema', async () => {
    await openCaseWith([line(1, '10.0.0.1', 'a')]);
    const ok = exportPath('dl-test-2', {});
    expect((await get(ok, { 'x-sessionscope-token': 'nope' })).statusCode).toBe(401);
    expect((await get(ok, { host: 'evil.example:80' })).statusCode).toBe(403);
    expect((await get(ok, { origin: 'http://evil.example' })).statusCode).toBe(403);
    // The token in the query is only for the event stream, never for a download.
    const viaQuery = await get(`${ok}&token=${server.token}`, { 'x-sessionscope-token': '' });
    expect(viaQuery.statusCode).toBe(401);
    for (const bad of [
      exportPath('x', {}),
      exportPath('dl-test-2', { sessionId: "s'; DROP TABLE requests;--" }),
      exportPath('dl-test-2', { filters: {}, extra: 1 }),
      '/api/export?id=dl-test-2&input=%7Bnot-json',
    ]) {
      const res = await get(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(JSON.parse(await body(res))).toMatchObject({
        ok: false,
        error: { code: 'BAD_INPUT' },
      });
    }
    const unknown = await get(exportPath('dl-test-3', { sessionId: 's0000000000000000' }));
    expect(unknown.statusCode).toBe(404);
    expect(events.find((e) => e.payload.exportId === 'dl-test-3')?.payload).toMatchObject({
      error: { code: 'NOT_FOUND' },
    });
  });

  it('a download ticket lets one download of its own input through, once', async () => {
    await openCaseWith([line(1, '10.0.0.1', 'a'), line(2, '10.0.0.2', 'b')]);
    const ticketFor = async (exportId: string, input: object): Promise<string> => {
      const r = await dispatch('exportTicket', { ...input, exportId }, backend.ctx);
      if (!r.ok) throw new Error(r.error.message);
      return (r.value as { ticket: string }).ticket;
    };
    const one = { filters: { ips: ['10.0.0.1'] } };
    const t1 = await ticketFor('dl-ticket-1', one);
    expect(t1).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const url1 = `${exportPath('dl-ticket-1', one)}&ticket=${t1}`;
    // Not from our page (another 127.0.0.1 port is same-site): refused before the ticket is spent.
    expect((await get(url1, { 'sec-fetch-site': 'same-site' }, true)).statusCode).toBe(403);
    expect((await get(url1, { 'sec-fetch-site': 'none' }, true)).statusCode).toBe(403);
    const ok = await get(url1, {}, true);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['set-cookie']).toBeUndefined();
    const rows = Papa.parse<string[]>(await body(ok), { newline: '\r\n', skipEmptyLines: true });
    expect(rows.data).toHaveLength(2);
    // Spent: the same URL again is refused.
    const again = await get(url1, {}, true);
    expect(again.statusCode).toBe(401);
    expect(JSON.parse(await body(again))).toMatchObject({ error: { code: 'UNAUTHORIZED' } });

    // Bound to its input: another filter (all requests) is refused, and that spends it.
    const t2 = await ticketFor('dl-ticket-2', one);
    const other = `${exportPath('dl-ticket-2', {})}&ticket=${t2}`;
    expect((await get(other, {}, true)).statusCode).toBe(401);
    expect((await get(`${exportPath('dl-ticket-2', one)}&ticket=${t2}`, {}, true)).statusCode).toBe(
      401,
    );
    // ...and to its export id.
    const t3 = await ticketFor('dl-ticket-3', one);
    expect((await get(`${exportPath('dl-ticket-4', one)}&ticket=${t3}`, {}, true)).statusCode).toBe(
      401,
    );
    // No ticket, a made-up one, or the token in the query: refused, and no event went out.
    for (const p of [
      exportPath('dl-ticket-3', one),
      `${exportPath('dl-ticket-3', one)}&ticket=${'A'.repeat(43)}`,
      `${exportPath('dl-ticket-3', one)}&ticket=../${t3}`,
      `${exportPath('dl-ticket-3', one)}&token=${server.token}`,
    ]) {
      expect((await get(p, {}, true)).statusCode, p).toBe(401);
    }
    expect(events.some((e) => String(e.payload.exportId).startsWith('dl-ticket-2'))).toBe(false);
    expect(events.some((e) => e.payload.exportId === 'dl-ticket-4')).toBe(false);
  });

  it('exportTicket wants an open case, an idle export id, and browser mode', async () => {
    const ask = (ctx = backend.ctx) => dispatch('exportTicket', { exportId: 'dl-ticket-x' }, ctx);
    expect((await ask()).ok).toBe(false);
    await openCaseWith([line(1, '10.0.0.1', 'a')]);
    expect((await ask()).ok).toBe(true);
    const desktop = createBackend({
      mode: 'electron',
      userDataDir: path.join(ws.dir, 'desktop'),
      demoCaptureDir: path.join(ws.dir, 'none'),
      runner: inProcessRunner,
    });
    try {
      expect(await ask(desktop.ctx)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    } finally {
      await desktop.dispose();
    }
  });

  it('cancelExport cuts the download off without its last chunk and reports CANCELLED', async () => {
    await openCaseWith(
      Array.from({ length: 3000 }, (_, i) => line(i, `10.0.${i % 7}.1`, 'x'.repeat(4000))),
    );
    const res = await get(exportPath('dl-test-4', {}));
    expect(res.statusCode).toBe(200);
    // Read one chunk, then stop reading: the server is held by backpressure mid-file.
    await new Promise((resolve) => res.once('data', resolve));
    res.pause();
    const r = await dispatch('cancelExport', { exportId: 'dl-test-4' }, backend.ctx);
    expect(r, JSON.stringify(events.at(-1))).toEqual({ ok: true, value: { cancelled: true } });
    res.resume();
    res.on('data', () => undefined);
    await new Promise((resolve) => res.once('close', resolve));
    // An incomplete chunked body: the browser fails the download and keeps no file.
    expect(res.complete).toBe(false);
    const done = events.find((e) => e.event === 'exportDone' && e.payload.exportId === 'dl-test-4');
    expect(done?.payload).toMatchObject({ result: null, error: { code: 'CANCELLED' } });
    expect((await dispatch('cancelExport', { exportId: 'dl-test-4' }, backend.ctx)).ok).toBe(true);

    // Shutting the backend down stops a running download the same way.
    const again = await get(exportPath('dl-test-5', {}));
    await new Promise((resolve) => again.once('data', resolve));
    again.pause();
    await backend.dispose();
    again.resume();
    again.on('data', () => undefined);
    await new Promise((resolve) => again.once('close', resolve));
    expect(again.complete).toBe(false);
    const stopped = events.find(
      (e) => e.event === 'exportDone' && e.payload.exportId === 'dl-test-5',
    );
    expect(stopped?.payload).toMatchObject({ result: null, error: { code: 'CANCELLED' } });
  });
});
