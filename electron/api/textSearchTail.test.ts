import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionPage } from '../../shared/contract/analysisApi.js';
import type { Result } from '../../shared/contract/errors.js';
import { benchRequests } from '../../bench/analysisBench.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import {
  REBUILD_WORKER,
  JOB_REPORT,
  backendWithRunner,
  settledSoon,
} from '../../test/fixtures/rebuildJobs.js';
import { rebuild } from '../analysis/rebuild.js';
import { runRebuildInWorker } from '../analysis/rebuildWorker.js';
import { TextIndexLater, textIndexCurrent } from '../analysis/textIndexStep.js';
import { textIndexBuilding } from '../analysis/textIndexWait.js';
import { openCase, type CaseDb } from '../store/openCase.js';
import type { Backend } from './backend.js';
import { dispatch } from './dispatch.js';
import { rebuildJobsFor, type RebuildRunner } from './rebuildJobs.js';

// A free-text search asked for while the text index is built after a rebuild job's answer (or
// after opening a case whose index is behind) waits for the index without holding the thread
// that answers calls (textFilterSql.ts, dispatch.ts), then answers from it.

let ws: ReturnType<typeof tempWorkspace> | undefined;
let backend: Backend | undefined;
afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
  ws?.cleanup();
});

/** A case of `n` bench requests analysed with its text index left for later; its path. */
function caseWithIndexBehind(n: number): string {
  ws = tempWorkspace('ss-tail-search-');
  const casePath = path.join(ws.dir, 'c.sscase');
  const db = openCase(casePath);
  try {
    seedSource(db, 'bench', benchRequests(n));
    rebuild(db, { textIndexLater: new TextIndexLater(0) });
    expect(textIndexCurrent(db)).toBe(false);
  } finally {
    db.close();
  }
  return casePath;
}

/** A browser-mode backend that opens the case, its text index built by `runner`. */
async function openWith(casePath: string, runner: RebuildRunner): Promise<Backend> {
  backend = backendWithRunner(ws!.dir, runner);
  expect((await dispatch('openCase', { path: casePath }, backend.ctx)).ok).toBe(true);
  // Opened with its index behind: it is being built in the background (caseHandlers.ts).
  expect(rebuildJobsFor(backend.ctx.events).indexing).toBe(true);
  return backend;
}

/** The needle's requests and sessions by the definition (every request's text tested). */
function exactly(db: CaseDb, needle: string): { ids: number[]; sids: string[] } {
  const test = ['path', 'query', 'user_agent', 'referer']
    .map((c) => `instr(lower(r.${c}), ?) > 0`)
    .join(' OR ');
  const params = Array<string>(4).fill(needle.toLowerCase());
  const ids = db
    .prepare(`SELECT id FROM requests r WHERE ${test} ORDER BY id`)
    .pluck()
    .all(...params) as number[];
  const sids = db
    .prepare(
      `SELECT DISTINCT s.sid FROM requests r JOIN request_facts f ON f.request_id = r.id
         JOIN sessions s ON s.id = f.session_id WHERE ${test} ORDER BY 1`,
    )
    .pluck()
    .all(...params) as string[];
  return { ids, sids };
}

/** The path of request `id`: a rare needle. */
function needleOf(casePath: string, id: number): { needle: string; ids: number[]; sids: string[] } {
  const db = openCase(casePath, { create: false });
  try {
    const needle = (
      db.prepare('SELECT path FROM requests WHERE id = ?').pluck().get(id) as string
    ).toLowerCase();
    return { needle, ...exactly(db, needle) };
  } finally {
    db.close();
  }
}

const sidsOf = (r: Result<unknown>): string[] =>
  r.ok ? (r.value as SessionPage).sessions.map((s) => s.id).sort() : [];

/** The ids (first column) of an exported CSV. */
const exportedIds = (file: string): number[] =>
  Papa.parse<string[]>(readFileSync(file, 'utf8').trim())
    .data.slice(1)
    .map((row) => Number(row[0]))
    .sort((a, b) => a - b);

describe('a free-text search while the text index is being built', () => {
  it('waits off the thread while other calls answer, then answers; an export with it too', async () => {
    const casePath = caseWithIndexBehind(3_000);
    const { needle, ids, sids } = needleOf(casePath, 1234);
    expect(ids.length).toBeGreaterThan(0);
    let endTail = (): void => undefined;
    const ended = new Promise<void>((resolve) => (endTail = resolve));
    // As runRebuildInWorker does for a worker's tail.
    const { ctx } = await openWith(casePath, (job) => {
      textIndexBuilding(job.casePath, ended);
      return Promise.resolve({
        ...JOB_REPORT,
        textIndexDue: true,
        tail: { ended, cancel: () => {} },
      });
    });
    const filters = { text: needle };
    const search = dispatch('listSessions', { filters, limit: 500 }, ctx);
    const count = dispatch('countSessions', { filters }, ctx);
    const out = path.join(ws!.dir, 'out.csv');
    const exported = dispatch('exportCsv', { path: out, filters }, ctx);
    // Other calls answer meanwhile (the thread is not held), the search waits for the index.
    expect((await dispatch('getAppInfo', {}, ctx)).ok).toBe(true);
    expect((await dispatch('listSessions', { filters: {}, limit: 1 }, ctx)).ok).toBe(true);
    expect(await settledSoon(search)).toBe(false);
    expect(await settledSoon(exported)).toBe(false);
    // The export waited before it made a file.
    expect(existsSync(out)).toBe(false);

    // The worker's index, committed; then its tail ends.
    const worker = openCase(casePath, { create: false });
    expect(new TextIndexLater(0).build(worker)).toBe('built');
    worker.close();
    endTail();
    expect(sidsOf(await search)).toEqual(sids);
    expect(await count).toEqual({ ok: true, value: { count: sids.length, nextCursor: null } });
    expect(await exported).toMatchObject({ ok: true, value: { rows: ids.length } });
    expect(exportedIds(out)).toEqual(ids);
  });

  it('is exact once the wait bound has passed, and outside dispatch never waits', async () => {
    const casePath = caseWithIndexBehind(2_000);
    const { needle, ids, sids } = needleOf(casePath, 777);
    // A tail that does not end while the searches run (a stalled worker), with a short bound.
    let endTail = (): void => undefined;
    const ended = new Promise<void>((resolve) => (endTail = resolve));
    const { ctx } = await openWith(casePath, (job) => {
      textIndexBuilding(job.casePath, ended, 50);
      return Promise.resolve({
        ...JOB_REPORT,
        textIndexDue: true,
        tail: { ended, cancel: () => {} },
      });
    });
    const filters = { text: needle };
    expect(sidsOf(await dispatch('listSessions', { filters, limit: 500 }, ctx))).toEqual(sids);
    // The bound passed: the next search answers at once.
    expect(await settledSoon(dispatch('listSessions', { filters, limit: 500 }, ctx))).toBe(true);
    // Called outside dispatch (the download route's rows, a detached export): exact at once.
    const out = path.join(ws!.dir, 'direct.csv');
    const { exportCsv } = await import('../export/exportCsv.js');
    await exportCsv(ctx.state.requireCase().db, out, { filters });
    expect(exportedIds(out)).toEqual(ids);
    endTail();
  });

  describe.skipIf(!existsSync(REBUILD_WORKER))('on the worker', () => {
    it('answers other calls first, then the search from the index', async () => {
      const casePath = caseWithIndexBehind(40_000);
      const { needle, sids } = needleOf(casePath, 4242);
      const { ctx } = await openWith(casePath, (job, ctl) =>
        runRebuildInWorker(job, { ...ctl, workerFile: REBUILD_WORKER }),
      );
      const order: string[] = [];
      const search = dispatch('listSessions', { filters: { text: needle }, limit: 500 }, ctx).then(
        (r) => (order.push('search'), r),
      );
      const info = dispatch('getAppInfo', {}, ctx).then((r) => (order.push('info'), r));
      expect((await info).ok).toBe(true);
      expect(sidsOf(await search)).toEqual(sids);
      // Before: the search held the thread until the index was built, and answered first.
      expect(order).toEqual(['info', 'search']);
      expect(textIndexCurrent(ctx.state.requireCase().db)).toBe(true);
    });
  });
});
