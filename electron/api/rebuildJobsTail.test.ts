import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { benchRequests } from '../../bench/analysisBench.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import {
  REBUILD_WORKER,
  JOB_REPORT,
  backendWithRunner,
  settledSoon,
} from '../../test/fixtures/rebuildJobs.js';
import { runRebuildInWorker } from '../analysis/rebuildWorker.js';
import { textIndexCurrent } from '../analysis/textIndexStep.js';
import { filtersSchema } from '../../shared/query/filterModel.js';
import { factsWhere } from '../query/filterSql.js';
import { openCase } from '../store/openCase.js';
import { retryAfterWaits } from '../waitThenRetry.js';
import { rebuild } from '../analysis/rebuild.js';
import { TextIndexLater } from '../analysis/textIndexStep.js';
import type { Backend } from './backend.js';
import { dispatch } from './dispatch.js';
import { createEventHub } from './eventHub.js';
import { IndexTailBusy, RebuildJobs, rebuildJobsFor, type RebuildRunner } from './rebuildJobs.js';

// A rebuild job goes on to build the text index after its answer (rebuildWorker.ts): its
// worker holds the case's write lock meanwhile, so the jobs are not idle until it ends.

describe('a text index built after a rebuild job answered', () => {
  it('keeps writes waiting, and gives way to the next rebuild', async () => {
    let endTail = (): void => undefined;
    const ended = new Promise<void>((resolve) => (endTail = resolve));
    let cancelled = 0;
    const runs: string[] = [];
    const jobs = new RebuildJobs(createEventHub(), (job) => {
      runs.push(job.casePath);
      return Promise.resolve(
        runs.length === 1
          ? { ...JOB_REPORT, textIndexDue: true, tail: { ended, cancel: () => void cancelled++ } }
          : JOB_REPORT,
      );
    });
    await jobs.start({ casePath: 'first' }).done;
    // The analysis answered; its index is still being built.
    expect(jobs.current).toBeNull();
    expect(jobs.busy).toBe(true);
    expect(() => jobs.assertIdle('mark a false positive')).toThrow(/free-text index/);
    // A new rebuild cancels the index and starts once its lock is released.
    const second = jobs.start({ casePath: 'second' }).done;
    expect(cancelled).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(runs).toEqual(['first']);
    expect(() => jobs.assertIdle('start an import')).toThrow(/being rebuilt/);
    endTail();
    await second;
    expect(runs).toEqual(['first', 'second']);
    expect(jobs.busy).toBe(false);
    expect(() => jobs.assertIdle('mark a false positive')).not.toThrow();
  });

  describe.skipIf(!existsSync(REBUILD_WORKER))('on the worker', () => {
    let ws: ReturnType<typeof tempWorkspace> | undefined;
    afterEach(() => ws?.cleanup());

    it('answers first, then builds the index and ends idle with it current', async () => {
      ws = tempWorkspace('ss-rebuild-tail-');
      const casePath = path.join(ws.dir, 'c.sscase');
      const db = openCase(casePath);
      seedSource(db, 'bench', benchRequests(40_000));
      const jobs = new RebuildJobs(createEventHub(), (job, ctl) =>
        runRebuildInWorker(job, { ...ctl, workerFile: REBUILD_WORKER }),
      );
      const summary = await jobs.start({ casePath, textIndexLaterFrom: 0 }).done;
      expect(summary.requests).toBe(40_000);
      // A search asked for at once, as dispatch runs it, waits for the index (off the thread)
      // rather than testing every request; outside it is exact at once.
      const filters = filtersSchema.parse({ text: 'users/4242' });
      const searched = retryAfterWaits(() => factsWhere(db, filters));
      expect(factsWhere(db, filters).indexed).toBe(false);
      const where = await searched;
      expect(where.indexed).toBe(true);
      const ids = db
        .prepare(`SELECT f.request_id FROM request_facts f WHERE ${where.sql} ORDER BY 1`)
        .pluck()
        .all(...where.params);
      const exact = db
        .prepare(
          "SELECT id FROM requests WHERE instr(lower(path), 'users/4242') > 0 OR instr(lower(query), 'users/4242') > 0 OR instr(lower(user_agent), 'users/4242') > 0 OR instr(lower(referer), 'users/4242') > 0 ORDER BY id",
        )
        .pluck()
        .all();
      expect(ids).toEqual(exact);
      db.close();
      while (jobs.busy) await new Promise((r) => setTimeout(r, 10));
      const after = openCase(casePath, { create: false });
      try {
        expect(textIndexCurrent(after)).toBe(true);
      } finally {
        after.close();
      }
    });
  });
});

describe('a call that writes while the text index is being built', () => {
  let ws: ReturnType<typeof tempWorkspace>;
  let backend: Backend | undefined;
  afterEach(async () => {
    await backend?.dispose();
    backend = undefined;
    ws.cleanup();
  });

  /** A browser-mode backend on a case of two seeded sources, its rebuilds run by `runner`. */
  async function openSeeded(runner: RebuildRunner): Promise<Backend> {
    ws = tempWorkspace('ss-tail-write-');
    const casePath = path.join(ws.dir, 'c.sscase');
    const db = openCase(casePath);
    seedSource(db, 'one', benchRequests(50));
    seedSource(db, 'two', benchRequests(50));
    db.close();
    backend = backendWithRunner(ws.dir, runner);
    expect((await dispatch('openCase', { path: casePath }, backend.ctx)).ok).toBe(true);
    return backend;
  }

  /** A rebuild whose text index goes on until `endTail` is called. */
  function tailUntilEnded(): { runner: RebuildRunner; endTail: () => void } {
    let endTail = (): void => undefined;
    const ended = new Promise<void>((resolve) => (endTail = resolve));
    const runner: RebuildRunner = () =>
      Promise.resolve({
        ...JOB_REPORT,
        textIndexDue: true,
        tail: { ended, cancel: () => undefined },
      });
    return { runner, endTail };
  }

  it('waits for the index and then writes, while reads answer at once', async () => {
    const { runner, endTail } = tailUntilEnded();
    const { ctx } = await openSeeded(runner);
    expect((await dispatch('rebuild', {}, ctx)).ok).toBe(true);
    expect(rebuildJobsFor(ctx.events).indexing).toBe(true);

    const removal = dispatch('removeSource', { sourceId: 1 }, ctx);
    const closing = dispatch('closeCase', {}, ctx);
    // Refused with BUSY before: now it waits, and the case answers reads meanwhile.
    expect(await settledSoon(removal)).toBe(false);
    const sources = await dispatch('listSources', {}, ctx);
    expect(sources.ok && (sources.value as unknown[]).length).toBe(2);
    expect((await dispatch('getCaseInfo', {}, ctx)).ok).toBe(true);
    expect(await settledSoon(closing)).toBe(false);

    endTail();
    expect(await removal).toEqual({ ok: true, value: { removed: true } });
    // In the order asked: the source went before the case was closed.
    expect(await closing).toEqual({ ok: true, value: { closed: true } });
    const db = openCase(path.join(ws.dir, 'c.sscase'), { create: false });
    try {
      expect(db.prepare('SELECT id FROM sources ORDER BY id').pluck().all()).toEqual([2]);
    } finally {
      db.close();
    }
  });

  it('is still BUSY while the analysis itself is rebuilt, and the guard says why outside dispatch', async () => {
    let finish = (): void => undefined;
    const running = new Promise<void>((resolve) => (finish = resolve));
    const { ctx } = await openSeeded(() => running.then(() => JOB_REPORT));
    const rebuilt = dispatch('rebuild', {}, ctx);
    const r = await dispatch('removeSource', { sourceId: 1 }, ctx);
    expect(r.ok || r.error).toMatchObject({ code: 'BUSY', message: /being rebuilt/ });
    finish();
    expect((await rebuilt).ok).toBe(true);
    const jobs = new RebuildJobs(createEventHub(), tailUntilEnded().runner);
    await jobs.start({ casePath: 'x' }).done;
    expect(() => jobs.assertIdle('remove a source')).toThrow(IndexTailBusy);
  });
});

describe.skipIf(!existsSync(REBUILD_WORKER))('a case opened with its text index behind', () => {
  let ws: ReturnType<typeof tempWorkspace> | undefined;
  let backend: Backend | undefined;
  afterEach(async () => {
    await backend?.dispose();
    ws?.cleanup();
  });

  it('gets it built in the background on the worker; a write meanwhile waits for it', async () => {
    ws = tempWorkspace('ss-tail-open-');
    const casePath = path.join(ws.dir, 'c.sscase');
    const db = openCase(casePath);
    seedSource(db, 'bench', benchRequests(40_000));
    seedSource(db, 'more', benchRequests(10));
    // As after an app that ended while the index was being built after the rebuild.
    rebuild(db, { textIndexLater: new TextIndexLater(0) });
    expect(textIndexCurrent(db)).toBe(false);
    db.close();
    backend = backendWithRunner(ws.dir, (job, ctl) =>
      runRebuildInWorker(job, { ...ctl, workerFile: REBUILD_WORKER }),
    );
    const { ctx } = backend;
    const jobs = rebuildJobsFor(ctx.events);
    expect((await dispatch('openCase', { path: casePath }, ctx)).ok).toBe(true);
    expect(jobs.indexing).toBe(true);
    // The worker holds the write lock: the write waits off the thread, then is done.
    expect(await dispatch('removeSource', { sourceId: 2 }, ctx)).toEqual({
      ok: true,
      value: { removed: true },
    });
    expect(jobs.indexing).toBe(false);
    const after = openCase(casePath, { create: false });
    try {
      expect(after.prepare('SELECT id FROM sources').pluck().all()).toEqual([1]);
      expect(textIndexCurrent(after)).toBe(true);
    } finally {
      after.close();
    }
  });

  it('is left alone when the index is current', async () => {
    ws = tempWorkspace('ss-tail-open-');
    const casePath = path.join(ws.dir, 'c.sscase');
    const db = openCase(casePath);
    seedSource(db, 'bench', benchRequests(2_000));
    rebuild(db);
    db.close();
    backend = backendWithRunner(ws.dir, () => {
      throw new Error('no job expected');
    });
    const jobs = rebuildJobsFor(backend.ctx.events);
    expect((await dispatch('openCase', { path: casePath }, backend.ctx)).ok).toBe(true);
    expect(jobs.indexing).toBe(false);
  });
});
