// Worker-thread entry (built to dist/electron/verdictsWorker.mjs): the session verdicts judged
// on another core while the rebuild's thread writes the derived tables. Started once the
// requests are scanned, it takes their query strings (posting a million strings would cost the
// rebuild's thread more than reading them costs the worker): from the analysis columns the scan
// built, as query ids and each distinct query once, or else on a read-only connection of its own
// (verdictsQueries.ts), while that thread finds the endpoints and sessions; then it waits for
// the rest of its input (the rebuild's arrays, in shared memory) and judges. Imported on the
// rebuild's thread it provides the caller's side: start, send the input, join the answer.
import { setPriority } from 'node:os';
import { isMainThread, workerData } from 'node:worker_threads';
import type { SessionVerdict } from '../../shared/verdicts/index.js';
import type { CaseDb } from '../store/openCase.js';
import {
  runSnapshotRole,
  bundledWorkerFile,
  launchSyncWorker,
  nextSyncMessage,
  postToSyncWorker,
  snapshotJob,
  stopSyncWorker,
  workerCanRead,
  type SnapshotJob,
  type SyncChannel,
  type SyncWorker,
} from './syncWorker.js';
import type { BuiltQueries } from './scanBuild.js';
import { verdictQueries, type QuerySource } from './verdictsQueries.js';
import { judgeSessions, type Judged, type VerdictInput } from './verdictsJudge.js';

export interface VerdictsJob extends SyncChannel, SnapshotJob {
  /** Per request (index i), its id: the worker's snapshot must hold exactly these. */
  requestIds: Float64Array;
  /** The requests' query strings from the columns the scan built; null: the worker reads them. */
  queries: BuiltQueries | null;
}

/** What the caller sends once the sessions are known: the input without its query strings. */
interface VerdictsInputMessage {
  type: 'input';
  input: VerdictInput;
}

type VerdictsWorkerMessage =
  | {
      type: 'judged';
      flagged: [number, SessionVerdict][];
      ipGroups: number;
      sessions: number;
      querySource: QuerySource;
      cpuMs: number | null;
    }
  | { type: 'error'; message: string };

/** A judging running in a worker, as its caller holds it. */
export interface VerdictsInWorker extends SyncWorker {
  /** The worker's CPU in ms (Linux), once joined. */
  cpuMs: number | null;
  /** Where the worker took the query strings from, once joined. */
  querySource: QuerySource | null;
}

export function defaultVerdictsWorkerFile(): string | null {
  return bundledWorkerFile('verdictsWorker.mjs');
}

/**
 * Starts a worker that takes the query strings of the requests `requestIds` names (from
 * `queries` when given, else from `db`: verdictsQueries.ts), then waits for sendVerdictsInput;
 * null when it cannot run there (an in-memory case, no built script).
 */
export function startVerdictsWorker(
  db: CaseDb,
  requestIds: Float64Array,
  workerFile: string | null = defaultVerdictsWorkerFile(),
  queries: BuiltQueries | null = null,
): VerdictsInWorker | null {
  if (!workerCanRead(db, workerFile)) return null;
  const w = launchSyncWorker(workerFile, 'verdicts', (channel) => ({
    ...snapshotJob(db),
    requestIds,
    queries,
    ...channel,
  }));
  return w === null ? null : Object.assign(w, { cpuMs: null, querySource: null });
}

/**
 * Hands the started worker what it judges: `input` for the requests it was started with. The
 * per-request columns are in shared memory (sharedArrays.ts): they go without a copy; the
 * query strings stay behind (the worker has read its own).
 */
export function sendVerdictsInput(p: VerdictsInWorker, input: VerdictInput): void {
  const msg: VerdictsInputMessage = { type: 'input', input: { ...input, query: [] } };
  postToSyncWorker(p, msg);
}

/**
 * The worker's verdicts (none where it found none), or null when it failed or stalled (the
 * caller then judges here). `cancelPoint` is polled while waiting; when it throws, the worker
 * is stopped and the error goes on.
 */
export function joinVerdictsWorker(p: VerdictsInWorker, cancelPoint?: () => void): Judged | null {
  try {
    const msg = nextSyncMessage<VerdictsWorkerMessage>(p, cancelPoint);
    if (msg?.type !== 'judged') return null;
    p.cpuMs = msg.cpuMs;
    p.querySource = msg.querySource;
    const none: SessionVerdict = { level: 'none', botType: null, confidence: 0, reasons: [] };
    const verdicts = Array<SessionVerdict>(msg.sessions).fill(none);
    for (const [k, v] of msg.flagged) verdicts[k] = v;
    return { verdicts, ipGroups: msg.ipGroups };
  } finally {
    stopSyncWorker(p);
  }
}

/**
 * On Linux a thread can lower its own priority (setpriority on the calling thread): the
 * judging then takes what the rebuild's thread and the detection worker leave of two cores
 * instead of slowing them, and runs at full speed once a core is free. Elsewhere the call
 * would lower the whole process, so it is not made.
 */
function yieldToOtherThreads(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, 19);
  } catch {
    // Not allowed here: the judging then shares the cores evenly, which is still correct.
  }
}

function runVerdictsRole(job: VerdictsJob): void {
  runSnapshotRole(job, (db, side) => {
    // Only after the start signal: a thread starved from its start would look never started.
    yieldToOtherThreads();
    const { query, source } = verdictQueries(db, job.requestIds, job.queries, side.bump);
    const { input } = side.awaitCaller<VerdictsInputMessage>();
    if (input.n !== query.length) throw new Error('verdict input for other requests than read');
    const judged = judgeSessions({ ...input, query }, side.bump);
    const flagged: [number, SessionVerdict][] = [];
    judged.verdicts.forEach((v, k) => {
      if (v.level !== 'none') flagged.push([k, v]);
    });
    return {
      message: {
        type: 'judged',
        flagged,
        ipGroups: judged.ipGroups,
        sessions: judged.verdicts.length,
        querySource: source,
      },
    };
  });
}

if (!isMainThread) {
  const data = workerData as { role?: string; job?: VerdictsJob } | null;
  if (data?.role === 'verdicts' && data.job) runVerdictsRole(data.job);
}
