// A worker the rebuild's thread starts and then waits on synchronously. The rebuild is one
// synchronous SQLite transaction, so it cannot await: it reads the worker's messages with
// receiveMessageOnPort and sleeps on a shared counter the worker bumps with every message and
// batch (Atomics.wait), which also tells a slow worker from a dead one. A worker that needs
// more from its caller after it started waits the same way on a counter of its own.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from 'node:worker_threads';
import { nativeBindingOf, openCase, type CaseDb } from '../store/openCase.js';

const SEQ = 0;
const STOP = 1;
/** Bumped by the caller with every message it posts to the worker (postToSyncWorker). */
const CALLER = 2;
/** A worker that shows no progress for this long is taken for dead; the thread works instead. */
const STALL_MS = 30_000;
/**
 * A worker whose script cannot load (a packaged layout, a binding it cannot open) only says so
 * through an event this busy thread cannot hear; one not started this long after launch is
 * taken for failed.
 */
const START_MS = 5_000;
/** How often the waiting thread looks at its cancel flag. */
const POLL_MS = 50;

/** What the worker is handed beside its own job: the counter and its end of the channel. */
export interface SyncChannel {
  /**
   * [0]: bumped by the worker after every batch and message; [1]: set to 1 to stop it; [2]:
   * bumped by the caller after every message to the worker.
   */
  control: Int32Array;
  port: MessagePort;
}

/** A worker as the thread that started it holds it. */
export interface SyncWorker {
  worker: Worker;
  port: MessagePort;
  control: Int32Array;
  launchedAt: number;
  stopped: boolean;
  /** The counter's value when it last changed, and when (stall detection). */
  seen: number;
  changedAt: number;
}

/** `name` beside the running bundle (or under dist/electron from dist/bench), or null. */
export function bundledWorkerFile(name: string): string | null {
  const dirs: string[] = [];
  if (typeof import.meta.url === 'string' && import.meta.url.startsWith('file:')) {
    dirs.push(path.dirname(fileURLToPath(import.meta.url)));
  }
  if (typeof __dirname === 'string') dirs.push(__dirname);
  for (const dir of dirs) {
    for (const rel of [name, `../electron/${name}`]) {
      const p = path.join(dir, rel);
      if (existsSync(p)) return p;
    }
  }
  return null;
}

/**
 * Starts `workerFile` with `{ role, job }` as its workerData, the job built around the shared
 * channel; null when it cannot start. unref: a worker nobody collects never holds the process
 * open, and its failures reach the caller as a stall (an unheard 'error' event would otherwise
 * end the process).
 */
export function launchSyncWorker(
  workerFile: string,
  role: string,
  job: (channel: SyncChannel) => object,
): SyncWorker | null {
  const control = new Int32Array(new SharedArrayBuffer(12));
  const channel = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(workerFile, {
      workerData: { role, job: job({ control, port: channel.port2 }) },
      transferList: [channel.port2],
    });
  } catch {
    channel.port1.close();
    return null;
  }
  worker.on('error', () => undefined);
  worker.unref();
  const launchedAt = performance.now();
  return {
    worker,
    port: channel.port1,
    control,
    launchedAt,
    stopped: false,
    seen: 0,
    changedAt: launchedAt,
  };
}

export function stopSyncWorker(p: SyncWorker): void {
  if (p.stopped) return;
  p.stopped = true;
  Atomics.store(p.control, STOP, 1);
  void p.worker.terminate();
  p.port.close();
}

/**
 * The worker's next message, waiting for it; null when the worker stalls or never starts.
 * `cancelPoint` is polled throughout (what it throws goes on; the caller stops the worker).
 */
export function nextSyncMessage<M>(p: SyncWorker, cancelPoint?: () => void): M | null {
  for (;;) {
    cancelPoint?.();
    // Read the counter before the port: a message posted after this read also bumps it, so
    // the wait below returns at once instead of sleeping past it.
    const seq = Atomics.load(p.control, SEQ);
    const m = receiveMessageOnPort(p.port) as { message: M } | undefined;
    if (m !== undefined) return m.message;
    const now = performance.now();
    if (seq !== p.seen) {
      p.seen = seq;
      p.changedAt = now;
    } else if (now - p.changedAt > (p.seen === 0 ? START_MS : STALL_MS)) return null;
    Atomics.wait(p.control, SEQ, seq, POLL_MS);
  }
}

/** Thrown by a role's work when its caller has stopped it: the role then posts nothing more. */
export const ROLE_STOPPED = new Error('worker stopped');

/** Posts `msg` to a started worker, which waits for it with SyncWorkerSide.awaitCaller. */
export function postToSyncWorker(p: SyncWorker, msg: unknown): void {
  if (p.stopped) return;
  p.port.postMessage(msg);
  Atomics.add(p.control, CALLER, 1);
  Atomics.notify(p.control, CALLER);
}

/** The worker's side of the channel. */
export interface SyncWorkerSide {
  /** Progress without a message (a batch done). */
  bump(): void;
  post(msg: unknown, transfer?: ArrayBuffer[]): void;
  stopRequested(): boolean;
  /**
   * The caller's next message (postToSyncWorker), waiting for it; throws ROLE_STOPPED once
   * the caller stops the worker (a rebuild that failed or was cancelled before sending it).
   */
  awaitCaller<M>(): M;
}

export function syncWorkerSide(channel: SyncChannel): SyncWorkerSide {
  const { control, port } = channel;
  const bump = (): void => {
    Atomics.add(control, SEQ, 1);
    Atomics.notify(control, SEQ);
  };
  return {
    bump,
    post(msg, transfer) {
      port.postMessage(msg, transfer);
      bump();
    },
    stopRequested: () => Atomics.load(control, STOP) === 1,
    awaitCaller<M>(): M {
      for (;;) {
        // The counter before the port, as in nextSyncMessage.
        const seq = Atomics.load(control, CALLER);
        const m = receiveMessageOnPort(port) as { message: M } | undefined;
        if (m !== undefined) return m.message;
        if (Atomics.load(control, STOP) === 1) throw ROLE_STOPPED;
        Atomics.wait(control, CALLER, seq, POLL_MS);
      }
    },
  };
}

/** A role's last message (its `type` and fields; cpuMs is added), and what it transfers. */
export interface RoleAnswer {
  message: { type: string };
  transfer?: ArrayBuffer[];
}

/**
 * The frame of a worker role that reads the case: says it started, opens the read-only
 * snapshot, runs `work`, then posts its answer with the thread's CPU time (`cpuMs`); an
 * error becomes an `{ type: 'error', message }` message, unless the caller stopped the work
 * (ROLE_STOPPED, or `work` answering null). Closes the snapshot and the channel either way.
 */
export function runSnapshotRole(
  job: SyncChannel & SnapshotJob,
  work: (db: CaseDb, side: SyncWorkerSide) => RoleAnswer | null,
): void {
  const side = syncWorkerSide(job);
  side.bump();
  let db: CaseDb | null = null;
  try {
    const cpu0 = threadCpuMs();
    db = openSnapshot(job);
    const answer = work(db, side);
    if (answer === null) return;
    db.exec('COMMIT');
    const cpu1 = threadCpuMs();
    const cpuMs = cpu0 === null || cpu1 === null ? null : cpu1 - cpu0;
    side.post({ ...answer.message, cpuMs }, answer.transfer);
  } catch (err) {
    if (err !== ROLE_STOPPED) side.post({ type: 'error', message: (err as Error).message });
  } finally {
    db?.close();
    job.port.close();
  }
}

/** Which case a worker reads, and the native binding the caller's connection was opened with. */
export interface SnapshotJob {
  casePath: string;
  /** The caller's connection's native binding (Electron's ABI), for the worker's own. */
  nativeBinding?: string;
}

export function snapshotJob(db: CaseDb): SnapshotJob {
  const nativeBinding = nativeBindingOf(db);
  return { casePath: db.name, ...(nativeBinding ? { nativeBinding } : {}) };
}

/** True when a worker can read `db` with `workerFile`: a case on disk and a built script. */
export function workerCanRead(db: CaseDb, workerFile: string | null): workerFile is string {
  return workerFile !== null && !db.memory && db.name !== '' && existsSync(workerFile);
}

/**
 * The worker's read-only connection to the case, opened with the caller's native binding (the
 * Electron ABI) and inside one read transaction: every batch reads the same snapshot.
 */
export function openSnapshot(job: SnapshotJob): CaseDb {
  const db = openCase(job.casePath, {
    create: false,
    readonly: true,
    ...(job.nativeBinding ? { nativeBinding: job.nativeBinding } : {}),
  });
  db.exec('BEGIN');
  return db;
}

/** This thread's CPU time on Linux (utime + stime of /proc/thread-self/stat), else null. */
export function threadCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5), counted after the command name: clock ticks (100 Hz).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * Makes the rebuild's cancel points also stop a worker it started: a rebuild cancelled inside
 * a step (its cancel point throws) no longer needs the worker's answer.
 */
export function stopOnCancel(ctx: { cancelPoint?: () => void }, stop: () => void): void {
  const inner = ctx.cancelPoint;
  if (!inner) return;
  ctx.cancelPoint = () => {
    try {
      inner();
    } catch (err) {
      stop();
      throw err;
    }
  };
}
