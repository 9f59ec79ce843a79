import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { AppState } from './appState.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-state-');
});
afterEach(() => ws.cleanup());

describe('app state', () => {
  it('keeps one case open and lists recent ones newest first, without duplicates', () => {
    const state = new AppState({ userDataDir: path.join(ws.dir, 'ud') });
    const a = path.join(ws.dir, 'a.sscase');
    const b = path.join(ws.dir, 'b.sscase');
    const first = state.open(a, { create: true });
    state.open(b, { create: true });
    expect(first.db.open).toBe(false);
    state.open(a, { create: false });
    expect(state.recentCases().map((r) => r.path)).toEqual([a, b]);
    expect(state.close()).toBe(true);
    expect(state.close()).toBe(false);
    expect(() => state.requireCase()).toThrow(/No case is open/);
  });

  it('refuses to create over an existing file or open a missing one', () => {
    const state = new AppState({ userDataDir: path.join(ws.dir, 'ud') });
    const existing = ws.file('x.sscase', '');
    expect(() => state.open(existing, { create: true })).toThrow(/already exists/);
    expect(() => state.open(path.join(ws.dir, 'missing.sscase'), { create: false })).toThrow(
      /No case file/,
    );
    expect(existsSync(path.join(ws.dir, 'missing.sscase'))).toBe(false);
  });

  it('treats a damaged recent-cases file as empty', () => {
    const ud = path.join(ws.dir, 'ud');
    const state = new AppState({ userDataDir: ud });
    state.open(path.join(ws.dir, 'a.sscase'), { create: true });
    writeFileSync(path.join(ud, 'recent-cases.json'), '{"cases": [{"path": 5}]}');
    expect(state.recentCases()).toEqual([]);
    writeFileSync(path.join(ud, 'recent-cases.json'), 'not json');
    expect(state.recentCases()).toEqual([]);
  });
});
