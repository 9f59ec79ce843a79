import { request } from 'node:http';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { createBackend, type Backend } from '../api/backend.js';
import { inProcessRunner } from '../api/importRunner.js';
import { startHttpServer, type RunningServer } from './httpServer.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http rather than fetch, so tests can send any Host and an unnormalised path. */
function send(
  server: RunningServer,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: { host: `127.0.0.1:${server.port}`, ...opts.headers },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const callOpts = (server: RunningServer, name: string, input: unknown, token = server.token) => ({
  method: 'POST',
  path: `/api/call/${name}`,
  headers: { 'content-type': 'application/json', 'x-sessionscope-token': token },
  body: JSON.stringify(input),
});

let ws: ReturnType<typeof tempWorkspace>;
let backend: Backend;
let server: RunningServer;

beforeEach(async () => {
  ws = tempWorkspace('ss-http-');
  const staticDir = path.join(ws.dir, 'renderer');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(ws.dir, 'secret.txt'), 'SECRET');
  backend = createBackend({
    mode: 'browser',
    userDataDir: path.join(ws.dir, 'userdata'),
    demoCaptureDir: path.join(ws.dir, 'none'),
    runner: inProcessRunner,
  });
  server = await startHttpServer({
    ctx: backend.ctx,
    staticDir,
    uploadDir: path.join(ws.dir, 'uploads'),
    port: 0,
    maxJsonBytes: 4096,
  });
});

afterEach(async () => {
  await server.close();
  await backend.dispose();
  ws.cleanup();
});

describe('browser-mode server', () => {
  it('refuses API calls without the token, or with a wrong one (401)', async () => {
    const none = await send(server, {
      ...callOpts(server, 'getAppInfo', {}),
      headers: { 'content-type': 'application/json' },
    });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const wrong = await send(
      server,
      callOpts(server, 'getAppInfo', {}, 'x'.repeat(server.token.length)),
    );
    expect(wrong.status).toBe(401);
    const events = await send(server, { path: '/api/events' });
    expect(events.status).toBe(401);
  });

  it('refuses a foreign Host or Origin (403), even with the token', async () => {
    const host = await send(server, {
      ...callOpts(server, 'getAppInfo', {}),
      headers: {
        ...callOpts(server, 'getAppInfo', {}).headers,
        host: `evil.example:${server.port}`,
      },
    });
    expect(host.status).toBe(403);
    const origin = await send(server, {
      ...callOpts(server, 'getAppInfo', {}),
      headers: { ...callOpts(server, 'getAppInfo', {}).headers, origin: 'http://evil.example' },
    });
    expect(origin.status).toBe(403);
    const page = await send(server, { path: '/', headers: { host: 'rebound.example' } });
    expect(page.status).toBe(403);
  });

  it('serves a call with the token, and refuses malformed bodies', async () => {
    const ok = await send(server, callOpts(server, 'getAppInfo', {}));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({
      ok: true,
      value: { mode: 'browser', canUpload: true },
    });
    const bad = await send(server, callOpts(server, 'openCase', { path: 7 }));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const unknown = await send(server, callOpts(server, 'dropEverything', {}));
    expect(unknown.status).toBe(404);
    const notJson = await send(server, { ...callOpts(server, 'getAppInfo', {}), body: '{' });
    expect(notJson.status).toBe(400);
    const form = await send(server, {
      ...callOpts(server, 'getAppInfo', {}),
      headers: { 'content-type': 'text/plain', 'x-sessionscope-token': server.token },
    });
    expect(form.status).toBe(415);
    const big = await send(server, callOpts(server, 'openCase', { path: 'x'.repeat(10_000) }));
    expect(big.status).toBe(413);
  });

  it('answers a batch of calls one JSON line each, in order, each as on its own', async () => {
    const batch = (calls: unknown, token = server.token) =>
      send(server, {
        method: 'POST',
        path: '/api/batch',
        headers: { 'content-type': 'application/json', 'x-sessionscope-token': token },
        body: JSON.stringify(calls),
      });
    const r = await batch([
      { name: 'getAppInfo', input: {} },
      { name: 'openCase', input: { path: 7 } },
      { name: 'dropEverything', input: {} },
      { name: 'getAppInfo', input: {} },
    ]);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = r.body.split('\n');
    expect(lines.pop()).toBe('');
    const single = JSON.parse((await send(server, callOpts(server, 'getAppInfo', {}))).body);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      single,
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'BAD_INPUT' }) }),
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) }),
      single,
    ]);
    // Not a batch: nothing is dispatched.
    for (const bad of [
      [],
      {},
      [{ name: 'getAppInfo', input: {}, extra: 1 }],
      Array(9).fill({ name: 'getAppInfo', input: {} }),
    ]) {
      const refused = await batch(bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    }
    expect((await batch([{ name: 'getAppInfo', input: {} }], 'wrong')).status).toBe(401);
  });

  // A cookie goes to every server on 127.0.0.1, whatever its port: the token never is one.
  it('sets no cookie on any response, and a cookie authorises nothing', async () => {
    const replies = [
      await send(server, { path: `/?token=${server.token}` }),
      await send(server, { path: `/sessions?token=${server.token}` }),
      await send(server, { path: '/assets/app.js' }),
      await send(server, { path: '/favicon.ico' }),
      await send(server, callOpts(server, 'getAppInfo', {})),
      await send(server, callOpts(server, 'getAppInfo', {}, 'wrong')),
    ];
    expect(replies[0]!.status).toBe(200);
    expect(replies[0]!.headers['content-security-policy']).toContain("default-src 'self'");
    for (const r of replies) expect(r.headers['set-cookie']).toBeUndefined();
    const cookie = `sessionscope_token_${server.port}=${server.token}; token=${server.token}`;
    const viaCookie = await send(server, {
      ...callOpts(server, 'getAppInfo', {}),
      headers: { 'content-type': 'application/json', cookie },
    });
    expect(viaCookie.status).toBe(401);
    for (const p of ['/api/export?id=abcdefgh12&input=%7B%7D', '/api/events']) {
      expect((await send(server, { path: p, headers: { cookie } })).status, p).toBe(401);
    }
  });

  it('refuses a browser request its own page did not make (Sec-Fetch-Site), token or not', async () => {
    const events = (site?: string) =>
      send(server, {
        path: `/api/events?token=${server.token}`,
        headers: site ? { 'sec-fetch-site': site } : {},
      });
    // A page on another 127.0.0.1 port is same-site; an address typed or pasted is none.
    for (const site of ['same-site', 'cross-site', 'none']) {
      expect((await events(site)).status, site).toBe(403);
      const call = await send(server, {
        ...callOpts(server, 'getAppInfo', {}),
        headers: {
          'content-type': 'application/json',
          'x-sessionscope-token': server.token,
          'sec-fetch-site': site,
        },
      });
      expect(call.status, site).toBe(403);
    }
    const ours = await send(server, {
      ...callOpts(server, 'getAppInfo', {}),
      headers: {
        'content-type': 'application/json',
        'x-sessionscope-token': server.token,
        'sec-fetch-site': 'same-origin',
      },
    });
    expect(ours.status).toBe(200);
    // The query token opens the event stream only, and only by GET.
    const viaQuery = await send(server, {
      ...callOpts(server, 'getAppInfo', {}),
      path: `/api/call/getAppInfo?token=${server.token}`,
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
    });
    expect(viaQuery.status).toBe(401);
  });

  it('serves the renderer but nothing outside it', async () => {
    expect((await send(server, { path: '/assets/app.js' })).body).toBe('console.log(1)');
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/assets/%00.js',
    ]) {
      const r = await send(server, { path: p });
      expect(r.status, p).not.toBe(200);
      expect(r.body).not.toContain('SECRET');
    }
  });

  it('takes an upload, imports it, and streams the progress and done events', async () => {
    const events: string[] = [];
    let connected!: () => void;
    const isConnected = new Promise<void>((r) => (connected = r));
    const stream = new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: `/api/events?token=${server.token}`,
          headers: { host: `127.0.0.1:${server.port}` },
        },
        (res) => {
          res.on('data', (c: Buffer) => {
            events.push(c.toString('utf8'));
            connected();
            if (events.join('').includes('event: importDone')) {
              req.destroy();
              resolve();
            }
          });
        },
      );
      req.on('error', () => undefined);
      req.end();
      setTimeout(() => reject(new Error('no importDone event')), 10_000);
    });
    await send(server, callOpts(server, 'createCase', { path: path.join(ws.dir, 'u.sscase') }));
    const line = '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET /a HTTP/1.1" 200 5 "-" "ua"\n';
    const up = await send(server, {
      method: 'POST',
      path: '/api/upload?name=../../evil%20name.log',
      headers: { 'content-type': 'application/octet-stream', 'x-sessionscope-token': server.token },
      body: line,
    });
    expect(up.status).toBe(200);
    const uploaded = (JSON.parse(up.body) as { value: { path: string } }).value.path;
    expect(path.basename(uploaded)).toBe('evil_name.log');
    expect(uploaded.startsWith(path.join(ws.dir, 'uploads'))).toBe(true);
    // Evidence is the user's alone: the file 0600, its folder and the uploads folder 0700.
    const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);
    expect(mode(uploaded)).toBe('600');
    expect(mode(path.dirname(uploaded))).toBe('700');
    expect(mode(path.join(ws.dir, 'uploads'))).toBe('700');
    expect(mode(path.join(ws.dir, 'u.sscase'))).toBe('600');
    await isConnected;
    const started = await send(server, callOpts(server, 'startImport', { paths: [uploaded] }));
    expect(started.status).toBe(200);
    await stream;
    const text = events.join('');
    expect(text).toContain('event: importProgress');
    expect(text).toMatch(/"accepted":1/);
    // So are cases made under the data dir, their folder and the data dir itself.
    await send(server, callOpts(server, 'createCase', { path: 'named' }));
    const userdata = path.join(ws.dir, 'userdata');
    expect(mode(path.join(userdata, 'cases', 'named.sscase'))).toBe('600');
    expect(mode(path.join(userdata, 'cases'))).toBe('700');
    expect(mode(userdata)).toBe('700');
  });
});
