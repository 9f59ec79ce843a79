// Worker-thread entry (built to dist/electron/rebuildWorker.mjs): runs a full analysis rebuild,
// or a rule change and the re-derivation it needs, on a connection of its own, so the thread
// that answers calls stays free. Imported on a main
// thread it provides runRebuildInWorker (the caller's side) and runRebuildHere (the same job
// on the calling thread, for when the built script is absent).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { AnalysisSettings } from '../../shared/analysis/settings.js';
import type { RuleChangeResult } from '../../shared/contract/rulesApi.js';
import { AppError, toErrorInfo } from '../../shared/contract/errors.js';
import { runRuleChange, type RuleChangeJob } from '../rules/rulesDb.js';
import { openCase, type CaseDb } from '../store/openCase.js';
import { checkpointAfterRebuild, type RebuildReport } from './rebuild.js';
import { rebuildWithSettings } from './settingsRebuild.js';
import { TextIndexLater } from './textIndexStep.js';
import { textIndexBuilding } from './textIndexWait.js';
import { runWorkerJob, type WorkerJobEnd } from '../workerJob.js';

export interface RebuildJob {
  casePath: string;
  /** New settings, stored in the rebuild's transaction: a cancel leaves the old ones too. */
  settings?: AnalysisSettings;
  /** The settings `settings` was edited from: CONFLICT when the case holds others by now. */
  base?: AnalysisSettings;
  /** Instead of a full rebuild: a rule change, recorded and re-derived in one transaction. */
  change?: RuleChangeJob;
  nativeBinding?: string;
  /** Requests from which the text index is built after the answer (LATER_MIN_REQUESTS). */
  textIndexLaterFrom?: number;
  /**
   * No rebuild: answer at once, then bring a text index that is behind the analysis up to date
   * as a tail (RebuildJobs.buildTextIndex, for a case opened after a tail was cut short).
   */
  textIndexOnly?: boolean;
}

/**
 * The text index being built after a job's answer (textIndexStep.ts, TextIndexLater): the
 * job's worker still holds the case's write lock until `ended` settles; `cancel` rolls it back.
 */
export interface TextIndexTail {
  ended: Promise<void>;
  cancel: () => void;
}

/**
 * What a job reports: the rebuild's figures, and a rule change's answer when it carried one.
 * `textIndexDue`: the job goes on to build the text index after answering (`tail`, on the
 * caller's side of a worker job).
 */
export type JobReport = RebuildReport & {
  changeResult?: RuleChangeResult;
  textIndexDue?: boolean;
  tail?: TextIndexTail;
};

export interface RebuildControl {
  onStep?: (name: string, index: number, total: number) => void;
  signal?: AbortSignal;
  /** The built worker script; defaults to rebuildWorker.mjs beside the running bundle. */
  workerFile?: string;
}

/** A step begun; the job ends with a WorkerJobEnd, then 'indexed' after a text index tail. */
type RebuildWorkerMessage =
  { type: 'step'; name: string; index: number; total: number } | { type: 'indexed' };

/**
 * The job itself, on whatever thread calls it. `answer` gets the report as soon as the job has
 * committed; the text index it left for later (textIndexTail) and the WAL checkpoint of what
 * it wrote follow, off the caller's wait.
 */
function runJob(
  job: RebuildJob,
  onStep: RebuildControl['onStep'],
  shouldCancel: () => boolean,
  answer: (report: JobReport) => void,
): void {
  const db = openCase(job.casePath, {
    create: false,
    ...(job.nativeBinding ? { nativeBinding: job.nativeBinding } : {}),
  });
  const opts = { ...(onStep ? { onStep } : {}), shouldCancel };
  // A large case's text index is built after the answer, so the analysis opens sooner.
  const later = new TextIndexLater(job.textIndexLaterFrom);
  try {
    if (job.textIndexOnly) {
      answer({ ...tableCounts(db), stepMs: {}, stepCpuMs: {}, textIndexDue: later.pending(db) });
    } else if (job.change) {
      const changeResult = runRuleChange(db, job.change, opts);
      answer({
        ...tableCounts(db),
        stepMs: {},
        stepCpuMs: {},
        changeResult,
        textIndexDue: later.pending(db),
      });
    } else {
      const report = rebuildWithSettings(db, job.settings, {
        ...opts,
        textIndexLater: later,
        ...(job.base ? { base: job.base } : {}),
      });
      answer({ ...report, textIndexDue: later.pending(db) });
    }
    textIndexTail(db, later, shouldCancel);
    checkpointAfterRebuild(db);
  } finally {
    db.close();
  }
}

/**
 * Brings the text index up to date after the job has answered (this rebuild left it for later,
 * or an earlier tail was cancelled or killed). Cancelled, it rolls back and waits for the next
 * job; a failure leaves it behind its due coverage too, where searches stay exact.
 */
function textIndexTail(db: CaseDb, later: TextIndexLater, shouldCancel: () => boolean): void {
  if (!later.pending(db)) return;
  try {
    later.build(db, shouldCancel);
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'CANCELLED'))
      console.error('text index not built after the analysis (searches stay exact):', err);
  }
}

/** The case's figures after a rule change (which leaves requests, sessions, endpoints alone). */
function tableCounts(
  db: CaseDb,
): Pick<RebuildReport, 'requests' | 'endpoints' | 'sessions' | 'outliers'> {
  const n = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  return {
    requests: n('SELECT count(*) AS n FROM requests'),
    endpoints: n('SELECT count(*) AS n FROM endpoints'),
    sessions: n('SELECT count(*) AS n FROM sessions'),
    outliers: n('SELECT coalesce(sum(outlier_count), 0) AS n FROM endpoints'),
  };
}

/**
 * The rebuild on the calling thread, over a connection of its own (as the worker would). It
 * blocks this thread: only for when no worker script was built (tests from a bare checkout).
 */
export function runRebuildHere(job: RebuildJob, ctl: RebuildControl = {}): Promise<JobReport> {
  try {
    let report: JobReport | undefined;
    runJob(
      job,
      ctl.onStep,
      () => ctl.signal?.aborted ?? false,
      (r) => (report = r),
    );
    return Promise.resolve(report!);
  } catch (err) {
    return Promise.reject(err as Error);
  }
}

/** rebuildWorker.mjs beside the running bundle (or under dist/electron from dist/bench). */
export function defaultRebuildWorkerFile(): string | null {
  const dirs: string[] = [];
  if (typeof import.meta.url === 'string' && import.meta.url.startsWith('file:')) {
    dirs.push(path.dirname(fileURLToPath(import.meta.url)));
  }
  if (typeof __dirname === 'string') dirs.push(__dirname);
  for (const dir of dirs) {
    for (const rel of ['rebuildWorker.mjs', '../electron/rebuildWorker.mjs']) {
      const p = path.join(dir, rel);
      if (existsSync(p)) return p;
    }
  }
  return null;
}

/**
 * Rebuilds the case at `job.casePath` on a worker thread. The worker's rebuild is synchronous,
 * so it cannot read a message while it runs: cancelling sets a flag in shared memory that its
 * shouldCancel reads, and the rebuild rolls back (the case is left as it was).
 */
export function runRebuildInWorker(job: RebuildJob, ctl: RebuildControl = {}): Promise<JobReport> {
  const workerFile = ctl.workerFile ?? defaultRebuildWorkerFile();
  if (!workerFile) {
    return Promise.reject(
      new AppError('INTERNAL', 'rebuild worker script not found (build first)'),
    );
  }
  // [0]: cancel.
  const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
  // The tail after the answer ends with 'indexed', or with the worker.
  let tailEnded = (): void => undefined;
  const ended = new Promise<void>((resolve) => (tailEnded = resolve));
  // Meanwhile a free-text search through dispatch waits for the index (textFilterSql.ts): from
  // the start for a job that only builds the index (its worker starts in a few hundred ms).
  if (job.textIndexOnly) textIndexBuilding(job.casePath, ended);
  return runWorkerJob<JobReport, RebuildWorkerMessage>({
    what: 'rebuild',
    workerFile,
    workerData: { role: 'rebuild', job, cancelFlag },
    signal: ctl.signal,
    onAbort: () => void Atomics.store(cancelFlag, 0, 1),
    onWorker: (w) => w.on('exit', () => tailEnded()),
    onMessage: (m) => {
      if (m.type === 'indexed') tailEnded();
      else ctl.onStep?.(m.name, m.index, m.total);
    },
  }).then((report) => {
    if (!report.textIndexDue) return report;
    if (!job.textIndexOnly) textIndexBuilding(job.casePath, ended);
    return { ...report, tail: { ended, cancel: () => void Atomics.store(cancelFlag, 0, 1) } };
  });
}

function runRebuildRole(data: { job: RebuildJob; cancelFlag: Int32Array }): void {
  const port = parentPort!;
  let answered = false;
  const end = (msg: WorkerJobEnd<JobReport>): void => {
    answered = true;
    port.postMessage(msg);
  };
  try {
    runJob(
      data.job,
      (name, index, total) => port.postMessage({ type: 'step', name, index, total }),
      () => Atomics.load(data.cancelFlag, 0) === 1,
      (report) => end({ type: 'done', result: report }),
    );
  } catch (err) {
    // After the answer only the checkpoint can fail: the next commit checkpoints instead.
    if (!answered) end({ type: 'error', ...toErrorInfo(err) });
  }
  port.postMessage({ type: 'indexed' });
  port.close();
}

if (!isMainThread && parentPort) {
  const data = workerData as { role?: string } | null;
  if (data?.role === 'rebuild') runRebuildRole(data as Parameters<typeof runRebuildRole>[0]);
}
