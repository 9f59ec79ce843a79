import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));
const { createAppProtocolHandler } = await import('./appProtocol.js');

const dir = mkdtempSync(path.join(tmpdir(), 'ss-proto-'));
const root = path.join(dir, 'renderer');
mkdirSync(path.join(root, 'assets'), { recursive: true });
writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
writeFileSync(path.join(root, 'assets', 'a.js'), 'ok');
writeFileSync(path.join(dir, 'secret.txt'), 'SECRET');
symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const handler = createAppProtocolHandler(root);

describe('app:// protocol', () => {
  it('serves the renderer with the CSP', async () => {
    const r = await handler({ url: 'app://sessionscope/index.html' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(r.headers.get('content-security-policy')).not.toContain('unsafe-eval');
    expect(await (await handler({ url: 'app://sessionscope/assets/a.js' })).text()).toBe('ok');
  });

  it('refuses every path outside the build folder', async () => {
    for (const url of [
      'app://x/../../etc/passwd',
      'app://sessionscope/../../etc/passwd',
      'app://sessionscope/../secret.txt',
      'app://sessionscope/%2e%2e/secret.txt',
      'app://sessionscope/%2E%2E%2Fsecret.txt',
      'app://sessionscope/assets/..%2f..%2fsecret.txt',
      'app://sessionscope/..%5csecret.txt',
      'app://sessionscope/assets/link.txt',
      'app://sessionscope/assets/a.js%00.html',
      'app://other/index.html',
      'file:///etc/passwd',
    ]) {
      const r = await handler({ url });
      expect(r.status, url).toBe(404);
      expect(await r.text()).not.toContain('SECRET');
    }
  });
});
