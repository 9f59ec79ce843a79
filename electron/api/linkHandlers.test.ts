import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseInfo, RecentCase } from '../../shared/contract/caseApi.js';
import type { LocateCaseResult } from '../../shared/contract/linkApi.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { createBackend, type Backend } from './backend.js';
import { dispatch } from './dispatch.js';
import { inProcessRunner } from './importRunner.js';

let ws: ReturnType<typeof tempWorkspace>;
let backend: Backend;
beforeEach(() => {
  ws = tempWorkspace('ss-locate-');
  backend = createBackend({
    mode: 'browser',
    userDataDir: path.join(ws.dir, 'ud'),
    demoCaptureDir: path.join(ws.dir, 'none'),
    runner: inProcessRunner,
  });
});
afterEach(async () => {
  await backend.dispose();
  ws.cleanup();
});

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await dispatch(name, input, backend.ctx);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as T;
}

describe('locating the case a link names', () => {
  it('opens the file only when its UUID is the link’s; another case is refused and nothing changes', async () => {
    const a = await call<CaseInfo>('createCase', { path: path.join(ws.dir, 'a.sscase') });
    const bPath = path.join(ws.dir, 'b.sscase');
    const b = await call<CaseInfo>('createCase', { path: bPath });
    await call('openCase', { path: a.path });
    // Forget b, as on a machine that never opened it.
    writeFileSync(path.join(ws.dir, 'ud', 'recent-cases.json'), JSON.stringify({ cases: [] }));

    const wrong = await call<LocateCaseResult>('locateCase', { path: bPath, uuid: a.meta.uuid });
    expect(wrong).toEqual({ opened: null, foundUuid: b.meta.uuid });
    expect((await call<CaseInfo>('getCaseInfo', {})).meta.uuid).toBe(a.meta.uuid);

    const right = await call<LocateCaseResult>('locateCase', {
      path: bPath,
      uuid: b.meta.uuid.toUpperCase(),
    });
    expect(right.opened?.meta.uuid).toBe(b.meta.uuid);
    expect((await call<CaseInfo>('getCaseInfo', {})).path).toBe(bPath);
    // Remembered with its UUID: the next link to it resolves from the recent list.
    const recent = await call<RecentCase[]>('listRecentCases', {});
    expect(recent[0]).toMatchObject({ path: bPath, uuid: b.meta.uuid, exists: true });
  });

  it('says when the file is not a case, and refuses a malformed UUID', async () => {
    const notes = ws.file('notes.sscase', 'not sqlite at all');
    await expect(
      call('locateCase', { path: notes, uuid: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({ code: 'NOT_A_CASE' });
    await expect(call('locateCase', { path: notes, uuid: "x' OR 1=1" })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });

  it('recent cases carry their UUID, read from the file for entries written before it was kept', async () => {
    const a = await call<CaseInfo>('createCase', { path: path.join(ws.dir, 'a.sscase') });
    const file = path.join(ws.dir, 'ud', 'recent-cases.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { cases: { uuid?: string }[] };
    expect(stored.cases[0]!.uuid).toBe(a.meta.uuid);
    const old = {
      cases: [
        { path: a.path, openedAt: '2026-01-01T00:00:00Z' },
        { path: path.join(ws.dir, 'gone.sscase'), openedAt: '2026-01-01T00:00:00Z' },
      ],
    };
    writeFileSync(file, JSON.stringify(old));
    const recent = await call<RecentCase[]>('listRecentCases', {});
    expect(recent.map((r) => [r.exists, r.uuid])).toEqual([
      [true, a.meta.uuid],
      [false, null],
    ]);
  });
});
