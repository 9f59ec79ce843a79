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
import { WaitThenRetry } from '../waitThenRetry.js';
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

/**
 * BUSY from assertIdle while only the text index after a job is being built (no rebuild runs).
 * dispatch (dispatch.ts) does not answer it: as for any WaitThenRetry, it waits for `ended`
 * (the index is a second at most on a million requests) and runs the call again, so a write
 * asked for meanwhile is done once the index is, and no call's guard can be left out.
 * Elsewhere it is the BUSY it says. It relies on what every guard already keeps to: it comes
 * before the call's first write.
 */
export class IndexTailBusy extends WaitThenRetry {
  constructor(what: string, ended: Promise<void>) {
    super(
      'BUSY',
      `Cannot ${what} while the free-text index is being built (a moment after the analysis).`,
      ended,
    );
  }
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
   * The text index a finished job builds after its answer (rebuildWorker.ts), or one built on
   * its own for a case opened with its index behind (buildTextIndex): it holds the case's write
   * lock, so writes wait for it (IndexTailBusy), and a new job cancels it first.
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

  /** True while a text index is being built after a job (or on its own). */
  get indexing(): boolean {
    return this.tail !== null;
  }

  /**
   * For calls that write to the case, before their first write: the rebuild holds the write
   * lock until it ends (BUSY); so does the text index after it, which dispatch waits for
   * (IndexTailBusy). Closing or opening a case waits for the index as well: a cancel is heard
   * only after the index's one insert statement (nearly all of its time), so it would not
   * answer sooner, and it would leave the case's searches without the index until its next job.
   */
  assertIdle(what: string): void {
    if (this.running) {
      throw new AppError('BUSY', `Cannot ${what} while the analysis is being rebuilt.`);
    }
    if (this.tail) throw new IndexTailBusy(what, this.tailEnded());
  }

  /** Resolves once no text index is being built (one begun meanwhile is waited for too). */
  async tailEnded(): Promise<void> {
    // The tail is forgotten by a reaction registered before this one, so the loop sees it gone.
    while (this.tail) await this.tail.ended;
  }

  /**
   * Brings the text index of the case at `job.casePath` up to date on the rebuild's worker, in
   * the background, as a job's tail (no events: the analysis is unchanged). For a case opened
   * with its index behind its analysis (a tail cut short by the app's end): its searches would
   * otherwise test every request until its next rebuild job. False when a job or index runs.
   */
  buildTextIndex(job: Pick<RebuildJob, 'casePath' | 'nativeBinding'>): boolean {
    if (this.running || this.tail) return false;
    const controller = new AbortController();
    let inner: TextIndexTail | undefined;
    let cancelled = false;
    const ended = this.runner({ ...job, textIndexOnly: true }, { signal: controller.signal })
      .then((report) => {
        inner = report.tail;
        if (cancelled) inner?.cancel();
        return inner?.ended;
      })
      .catch((err: unknown) => {
        if (!(err instanceof AppError && err.code === 'CANCELLED'))
          console.error('text index not built at open (searches stay exact):', err);
      });
    const tail: TextIndexTail = {
      ended,
      cancel: () => {
        cancelled = true;
        controller.abort();
        inner?.cancel();
      },
    };
    this.holdTail(tail);
    return true;
  }

  private holdTail(tail: TextIndexTail): void {
    this.tail = tail;
    void tail.ended.then(() => {
      if (this.tail === tail) this.tail = null;
    });
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

  /**
   * Cancels the running rebuild and the text index being built, if any, and waits until they
   * have rolled back. A job that committed before it heard the cancel may leave an index to
   * build after it: that is cancelled and waited for too.
   */
  async cancelAndWait(): Promise<void> {
    while (this.running || this.tail) {
      const { running, tail } = this;
      running?.controller.abort();
      tail?.cancel();
      await Promise.all([running?.done.catch(() => undefined), tail?.ended]);
    }
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
    if (report?.tail) this.holdTail(report.tail);
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
