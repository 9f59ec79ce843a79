import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { electronAbiBindingPath, nativeBindingFor } from './nativeBinding.js';

let ws: ReturnType<typeof tempWorkspace> | undefined;
afterEach(() => ws?.cleanup());

describe('native binding choice', () => {
  it('uses the rebuilt node_modules in a packaged app', () => {
    expect(
      nativeBindingFor({ isPackaged: true, appRoot: '/nowhere', electronVersion: '45.5.0' }),
    ).toBeUndefined();
  });

  it('uses the Electron-ABI build from a checkout, and says how to make it when missing', () => {
    ws = tempWorkspace('ss-abi-');
    const opts = { isPackaged: false, appRoot: ws.dir, electronVersion: '45.5.0' };
    expect(() => nativeBindingFor(opts)).toThrow(/npm start/);
    const file = electronAbiBindingPath(ws.dir, '45.5.0');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '');
    expect(nativeBindingFor(opts)).toBe(file);
    expect(file).toContain(path.join('.cache', 'electron-abi', '45.5.0'));
  });
});
