import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { createBackend, type Backend } from './backend.js';
import { caseFileFor } from './casePath.js';
import { dispatch } from './dispatch.js';
import { inProcessRunner } from './importRunner.js';

let ws: ReturnType<typeof tempWorkspace>;
let backend: Backend;
let userData: string;
beforeEach(() => {
  ws = tempWorkspace('ss-case-path-');
  userData = path.join(ws.dir, 'userdata');
  backend = createBackend({
    mode: 'browser',
    userDataDir: userData,
    demoCaptureDir: path.join(ws.dir, 'no-demo'),
    runner: inProcessRunner,
  });
});
afterEach(async () => {
  await backend.dispose();
  ws.cleanup();
});

describe('a case named in the app', () => {
  it('goes under the app’s cases folder with .sscase, not where the backend was started', async () => {
    const created = await dispatch('createCase', { path: 'customer-x' }, backend.ctx);
    const file = path.join(userData, 'cases', 'customer-x.sscase');
    expect(created).toMatchObject({ ok: true, value: { path: file } });
    expect(existsSync(file)).toBe(true);
    expect(existsSync(path.resolve('customer-x'))).toBe(false);
    await dispatch('closeCase', {}, backend.ctx);
    // Opened by the same name (or with its extension, or in a folder of its own).
    expect(await dispatch('openCase', { path: 'customer-x' }, backend.ctx)).toMatchObject({
      ok: true,
      value: { path: file },
    });
    const nested = await dispatch('createCase', { path: 'acme/2026 breach' }, backend.ctx);
    expect(nested).toMatchObject({
      ok: true,
      value: { path: path.join(userData, 'cases', 'acme', '2026 breach.sscase') },
    });
  });

  it('takes an absolute path as it is, and opens an extension-less file that exists', () => {
    const abs = path.join(ws.dir, 'elsewhere', 'case.db');
    expect(caseFileFor(abs, userData, true)).toBe(abs);
    const bare = path.join(ws.dir, 'legacy');
    writeFileSync(bare, '');
    expect(caseFileFor(bare, userData, false)).toBe(bare);
    expect(caseFileFor(bare, userData, true)).toBe(`${bare}.sscase`);
  });
});
