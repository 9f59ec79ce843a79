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

/** Starts a GET; resolves with the response as soon as its head arrives. */
function get(p: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: p,
        headers: {
          host: `127.0.0.1:${server.port}`,
          'x-sessionscope-token': server.token,
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
    expect(res.headers['content-disposition']).toBe('attachment; filename="c-requests.csv"');
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
