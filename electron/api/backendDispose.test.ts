import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors.js';
import type { JobReport } from '../analysis/rebuildWorker.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { JOB_REPORT, backendWithRunner } from '../../test/fixtures/rebuildJobs.js';
import type { Backend } from './backend.js';
import { dispatch } from './dispatch.js';
import { rebuildJobsFor, type RebuildRunner } from './rebuildJobs.js';

/**
 * Disposing the backend (browser mode's server stopping, the app quitting) stops a rebuild and
 * the text index built after one, and waits for them to roll back before closing the case.
 */

let ws: ReturnType<typeof tempWorkspace> | undefined;
let backend: Backend | undefined;
afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
  ws?.cleanup();
  ws = undefined;
});

/** A backend with `runner` for its rebuilds and a new case open. */
async function withCase(runner: RebuildRunner): Promise<Backend> {
  ws = tempWorkspace('ss-dispose-');
  backend = backendWithRunner(ws.dir, runner);
  const made = await dispatch('createCase', { path: path.join(ws.dir, 'c.sscase') }, backend.ctx);
  expect(made.ok).toBe(true);
  return backend;
}

/** Something that ends when told to, and records when it has. */
function stoppable(log: string[], name: string) {
  let end = (): void => undefined;
  const ended = new Promise<void>((resolve) => (end = resolve));
  return {
    ended: ended.then(() => void log.push(`${name} ended`)),
    cancel: () => {
      log.push(`${name} cancelled`);
      // Rolling back takes a moment.
      setTimeout(end, 20);
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('backend.dispose', () => {
  it('cancels a running rebuild and waits for it to roll back before closing the case', async () => {
    const log: string[] = [];
    const b = await withCase(
      (_job, ctl) =>
        new Promise<JobReport>((_resolve, reject) => {
          ctl.signal!.addEventListener('abort', () => {
            log.push('rebuild cancelled');
            setTimeout(() => {
              log.push('rebuild rolled back');
              reject(new AppError('CANCELLED', 'cancelled'));
            }, 20);
          });
        }),
    );
    const started = dispatch('rebuild', {}, b.ctx);
    await tick();
    expect(rebuildJobsFor(b.ctx.events).busy).toBe(true);
    await b.dispose();
    log.push('disposed');
    expect(log).toEqual(['rebuild cancelled', 'rebuild rolled back', 'disposed']);
    expect(rebuildJobsFor(b.ctx.events).busy).toBe(false);
    expect(b.ctx.state.openCase).toBeNull();
    expect((await started).ok).toBe(false);
  });

  it('cancels the text index built after a rebuild and waits for it', async () => {
    const log: string[] = [];
    const tail = stoppable(log, 'index');
    const b = await withCase(() => Promise.resolve({ ...JOB_REPORT, textIndexDue: true, tail }));
    expect((await dispatch('rebuild', {}, b.ctx)).ok).toBe(true);
    await tick();
    expect(rebuildJobsFor(b.ctx.events).indexing).toBe(true);
    await b.dispose();
    log.push('disposed');
    expect(log).toEqual(['index cancelled', 'index ended', 'disposed']);
    expect(rebuildJobsFor(b.ctx.events).busy).toBe(false);
  });

  it('cancels the index of a rebuild that committed before it heard the cancel', async () => {
    const log: string[] = [];
    const tail = stoppable(log, 'index');
    const b = await withCase(
      (_job, ctl) =>
        new Promise<JobReport>((resolve) => {
          // Past its commit: it answers, with its index still to build.
          ctl.signal!.addEventListener('abort', () =>
            setTimeout(() => resolve({ ...JOB_REPORT, textIndexDue: true, tail }), 10),
          );
        }),
    );
    const started = dispatch('rebuild', {}, b.ctx);
    await tick();
    await b.dispose();
    log.push('disposed');
    expect(log).toEqual(['index cancelled', 'index ended', 'disposed']);
    expect(rebuildJobsFor(b.ctx.events).busy).toBe(false);
    expect((await started).ok).toBe(true);
  });
});
