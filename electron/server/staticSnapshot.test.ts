import { request } from 'node:http';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { createBackend, type Backend } from '../api/backend.js';
import { inProcessRunner } from '../api/importRunner.js';
import { BUILD_ID } from '../buildId.js';
import { TOOL_VERSION } from '../version.js';
import { startHttpServer, type RunningServer } from './httpServer.js';
import { snapshotStaticDir, staticRelPath } from './staticFiles.js';

/*
 * Browser mode serves the renderer it read when it started, whatever happens to the files on
 * disk after (a rebuild or an upgrade under a running `serve`), and tells the page its build.
 */

function get(
  server: RunningServer,
  p: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: init.method ?? 'GET',
        path: p,
        headers: { host: `127.0.0.1:${server.port}`, ...init.headers },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(parts).toString('utf8'),
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

let ws: ReturnType<typeof tempWorkspace>;
let backend: Backend;
let server: RunningServer;
let staticDir: string;

beforeEach(async () => {
  ws = tempWorkspace('ss-static-');
  staticDir = path.join(ws.dir, 'renderer');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>old</title>');
  writeFileSync(path.join(staticDir, 'assets', 'index-OLD.js'), 'old()');
  writeFileSync(path.join(ws.dir, 'secret.txt'), 'SECRET');
  symlinkSync(path.join(ws.dir, 'secret.txt'), path.join(staticDir, 'assets', 'out.js'));
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
  });
});

afterEach(async () => {
  await server.close();
  await backend.dispose();
  ws.cleanup();
});

describe('the renderer as the server read it at start', () => {
  it('is what it serves after the files on disk were rebuilt', async () => {
    // A rebuild empties the folder and writes new hashed names.
    rmSync(staticDir, { recursive: true });
    mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>new</title>');
    writeFileSync(path.join(staticDir, 'assets', 'index-NEW.js'), 'callsTheServerDoesNotKnow()');

    for (const p of ['/', `/?token=${server.token}`, '/sessions', '/./index.html']) {
      const page = await get(server, p);
      expect(page.status, p).toBe(200);
      expect(page.body, p).toBe('<!doctype html><title>old</title>');
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    }
    const old = await get(server, '/assets/index-OLD.js');
    expect([old.status, old.body]).toEqual([200, 'old()']);
    expect(old.headers['content-length']).toBe('5');
    expect((await get(server, '/assets/index-NEW.js')).status).toBe(404);
    const head = await get(server, '/assets/index-OLD.js', { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, '']);
  });

  it('holds nothing from outside the folder, a symlink out included', async () => {
    for (const p of ['/assets/out.js', '/../secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const r = await get(server, p);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('SECRET');
    }
    expect([...snapshotStaticDir(staticDir).keys()]).toEqual(['assets/index-OLD.js', 'index.html']);
    expect(staticRelPath('//assets//x.js')).toBe('assets/x.js');
    expect(staticRelPath('/a/%2e%2e/b.js')).toBeNull();
  });

  it('tells the page its version and build (dev from sources)', async () => {
    const r = await get(server, '/api/call/getAppInfo', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sessionscope-token': server.token },
      body: '{}',
    });
    expect(JSON.parse(r.body)).toMatchObject({
      ok: true,
      value: { version: TOOL_VERSION, buildId: BUILD_ID },
    });
    expect(BUILD_ID).toBe('dev');
  });
});
