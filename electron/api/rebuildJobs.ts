import { randomUUID } from 'node:crypto';
import type {
  RebuildDoneEvent,
  RebuildProgressEvent,
  RebuildSummary,
} from '../../shared/contract/analysisApi.js';
import type { RuleChangeResult } from '../../shared/contract/rulesApi.js';
import { AppError, toErrorInfo } from '../../shared/contract/errors.js';
import { rebuildSummary } from '../analysis/rebuild.js';
import {
  defaultRebuildWorkerFile,
  runRebuildHere,
  runRebuildInWorker,
  type JobReport,
  type RebuildControl,
  type RebuildJob,
  type TextIndexTail,
} from '../analysis/rebuildWorker.js';
import type { EventHub } from './eventHub.js';

/** Runs one rebuild job; rejects with an AppError (CANCELLED after the signal). */
export type RebuildRunner = (job: RebuildJob, ctl: RebuildControl) => Promise<JobReport>;

/**
 * The worker when its built script is there; otherwise this thread (a bare checkout's tests),
 * which blocks it for the rebuild's length as before.
 */
export function defaultRebuildRunner(
  workerFile: string | null = defaultRebuildWorkerFile(),
): RebuildRunner {
  if (!workerFile) return runRebuildHere;
  return async (job, ctl) => {
    let started = false;
    const onStep: RebuildControl['onStep'] = (name, index, total) => {
      started = true;
      ctl.onStep?.(name, index, total);
    };
    try {
      return await runRebuildInWorker(job, { ...ctl, onStep, workerFile });
    } catch (err) {
      // A worker that could not start (a packaged app's file layout, a native binding it
      // cannot load) must not leave the case without its rebuild: do it here, as before.
      // Before its first step nothing was written, so running it again here is safe.
      if (started || ctl.signal?.aborted) throw err;
      console.error('rebuild worker failed to start; rebuilding on this thread:', err);
      return runRebuildHere(job, ctl);
    }
  };
}

interface Running {
  id: string;
  controller: AbortController;
  done: Promise<JobReport>;
  /** The latest step it reported (null until its first). */
  step: RebuildProgressEvent | null;
}

/**
 * Full rebuilds of the open case, off the thread that answers calls, reported as
 * rebuildProgress (one per step) and rebuildDone events. One at a time: a second request is
 * refused with BUSY rather than queued, since a queued one would redo the same work on the
 * same data (the caller can ask again once rebuildDone arrives). Reads meanwhile see the
 * last committed analysis (WAL readers); cancelling rolls the rebuild back. A large case's
 * job answers before its free-text index is built (textIndexStep.ts, TextIndexLater): a
 * rebuild asked for meanwhile cancels that index and starts once it has rolled back.
 */
export class RebuildJobs {
  private running: Running | null = null;
  /**
   * The text index a finished job builds after its answer (rebuildWorker.ts): it still holds
   * the case's write lock, so writes wait for it, and a new job cancels it first.
   */
  private tail: TextIndexTail | null = null;

  constructor(
    private readonly events: EventHub,
    private readonly runner: RebuildRunner = defaultRebuildRunner(),
  ) {}

  get busy(): boolean {
    return this.running !== null || this.tail !== null;
  }

  /** The running rebuild at its latest step; null when none runs or it has not begun one. */
  get current(): RebuildProgressEvent | null {
    return this.running?.step ?? null;
  }

  /** For calls that write to the case: the rebuild holds the write lock until it ends. */
  assertIdle(what: string): void {
    if (this.running) {
      throw new AppError('BUSY', `Cannot ${what} while the analysis is being rebuilt.`);
    }
    if (this.tail) {
      throw new AppError(
        'BUSY',
        `Cannot ${what} while the free-text index is being built (a moment after the analysis).`,
      );
    }
  }

  /** Starts a rebuild; resolves with its summary once committed. */
  start(job: RebuildJob): { rebuildId: string; done: Promise<RebuildSummary> } {
    const running = this.launch(job);
    const done = running.done.then(rebuildSummary);
    done.catch(() => undefined);
    return { rebuildId: running.id, done };
  }

  /**
   * Runs a rule change (job.change) as a rebuild job: the same events, Cancel and one-at-a-
   * time rule; resolves with the change's answer once committed.
   */
  startChange(
    job: RebuildJob & { change: NonNullable<RebuildJob['change']> },
  ): Promise<RuleChangeResult> {
    return this.launch(job).done.then((r) => {
      if (r.changeResult === undefined)
        throw new AppError('INTERNAL', 'rule change gave no answer');
      return r.changeResult;
    });
  }

  private launch(job: RebuildJob): Running {
    if (this.running) this.assertIdle('start another rebuild');
    const id = randomUUID();
    const controller = new AbortController();
    // A text index still being built after the last job gives way (the new job's tail builds
    // it again), and the new job starts once its lock is released.
    const tail = this.tail;
    tail?.cancel();
    // The job starts once it is the running one (a microtask later), so a step it reports at
    // once is its current step and a failure at once leaves the jobs idle.
    const running: Running = {
      id,
      controller,
      step: null,
      done: (tail ? tail.ended : Promise.resolve()).then(() => this.run(id, job, controller)),
    };
    this.running = running;
    // The caller awaits `done`; this keeps a caller that only listens to events from
    // leaving an unhandled rejection behind.
    running.done.catch(() => undefined);
    return running;
  }

  /** Asks the running rebuild to stop; false when none runs. */
  cancel(): boolean {
    if (!this.running) return false;
    this.running.controller.abort();
    return true;
  }

  /** Cancels the running rebuild, if any, and waits until it has rolled back. */
  async cancelAndWait(): Promise<void> {
    const tail = this.tail;
    tail?.cancel();
    await tail?.ended;
    const r = this.running;
    if (!r) return;
    r.controller.abort();
    await r.done.catch(() => undefined);
  }

  private async run(id: string, job: RebuildJob, controller: AbortController): Promise<JobReport> {
    let done: RebuildDoneEvent;
    let report: JobReport | null = null;
    let failure: unknown = null;
    try {
      report = await this.runner(job, {
        signal: controller.signal,
        onStep: (step, index, total) => {
          const event = { rebuildId: id, step, index, total };
          if (this.running?.id === id) this.running.step = event;
          this.events.emit('rebuildProgress', event);
        },
      });
      done = { rebuildId: id, result: rebuildSummary(report), error: null };
    } catch (err) {
      failure = err;
      done = { rebuildId: id, result: null, error: toErrorInfo(err) };
    }
    // Writes wait for a text index built after the answer (a new job cancels it).
    const tail = report?.tail;
    if (tail) {
      this.tail = tail;
      void tail.ended.then(() => {
        if (this.tail === tail) this.tail = null;
      });
    }
    // Idle before anyone hears it is done, so a listener may start the next one at once.
    if (this.running?.id === id) this.running = null;
    this.events.emit('rebuildDone', done);
    if (report === null) {
      const e = done.error!;
      throw failure instanceof AppError ? failure : new AppError(e.code, e.message);
    }
    return report;
  }
}

const jobsByHub = new WeakMap<EventHub, RebuildJobs>();

/** The rebuild jobs of one backend (one event hub), made on first use. */
export function rebuildJobsFor(events: EventHub, runner?: RebuildRunner): RebuildJobs {
  let jobs = jobsByHub.get(events);
  if (!jobs) {
    jobs = new RebuildJobs(events, runner);
    jobsByHub.set(events, jobs);
  }
  return jobs;
}
