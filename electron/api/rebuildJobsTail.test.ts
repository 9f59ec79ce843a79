import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { benchRequests } from '../../bench/analysisBench.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { runRebuildInWorker, type JobReport } from '../analysis/rebuildWorker.js';
import { textIndexCurrent } from '../analysis/textIndexStep.js';
import { filtersSchema } from '../../shared/query/filterModel.js';
import { factsWhere } from '../query/filterSql.js';
import { openCase } from '../store/openCase.js';
import { createEventHub } from './eventHub.js';
import { RebuildJobs } from './rebuildJobs.js';

// A rebuild job goes on to build the text index after its answer (rebuildWorker.ts): its
// worker holds the case's write lock meanwhile, so the jobs are not idle until it ends.

const WORKER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../dist/electron/rebuildWorker.mjs',
);

const REPORT: JobReport = {
  requests: 1,
  endpoints: 1,
  sessions: 1,
  outliers: 0,
  stepMs: {},
  stepCpuMs: {},
};

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
          ? { ...REPORT, textIndexDue: true, tail: { ended, cancel: () => void cancelled++ } }
          : REPORT,
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

  describe.skipIf(!existsSync(WORKER))('on the worker', () => {
    let ws: ReturnType<typeof tempWorkspace> | undefined;
    afterEach(() => ws?.cleanup());

    it('answers first, then builds the index and ends idle with it current', async () => {
      ws = tempWorkspace('ss-rebuild-tail-');
      const casePath = path.join(ws.dir, 'c.sscase');
      const db = openCase(casePath);
      seedSource(db, 'bench', benchRequests(40_000));
      const jobs = new RebuildJobs(createEventHub(), (job, ctl) =>
        runRebuildInWorker(job, { ...ctl, workerFile: WORKER }),
      );
      const summary = await jobs.start({ casePath, textIndexLaterFrom: 0 }).done;
      expect(summary.requests).toBe(40_000);
      // A search asked for at once waits for the index rather than testing every request.
      const where = factsWhere(db, filtersSchema.parse({ text: 'users/4242' }));
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
