// Worker-thread entry (built to dist/electron/detectWorker.mjs): the request scan of attack
// detection on a read-only connection of its own, so it runs on a second core while the
// rebuild's thread derives sessions and writes its tables. Imported on the rebuild's thread it
// provides the caller's side: start the scan early, then collect its rows at the detection step.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  isMainThread,
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  workerData,
  type MessagePort,
} from 'node:worker_threads';
import { nativeBindingOf, openCase, type CaseDb } from '../store/openCase.js';
import {
  DETECT_SELECT,
  FINDING_WIDTH,
  RequestScanner,
  type DetectRow,
  type FindingValues,
  type ScanCounts,
} from './detectRows.js';
import { compilePatternRules, readPatternRows, type PatternRow } from './ruleVerdicts.js';

/**
 * What the scan read: the requests' count and last id. The rebuild's transaction and the
 * worker's snapshot must agree on it, or the worker's rows are thrown away (requests written
 * but not committed, e.g. a rebuild inside a caller's transaction).
 */
export interface Basis {
  requests: number;
  last: number | null;
}

export interface DetectJob {
  casePath: string;
  rules: PatternRow[];
  /** [0]: bumped by the worker after every batch and message; [1]: set to 1 to stop it. */
  control: Int32Array;
  port: MessagePort;
  /** The rebuild's connection's native binding (Electron's ABI), for the worker's own. */
  nativeBinding?: string;
}

type DetectWorkerMessage =
  | { type: 'rows'; values: unknown[] }
  | { type: 'done'; counts: ScanCounts; basis: Basis; cpuMs: number | null }
  | { type: 'error'; message: string };

const SEQ = 0;
const STOP = 1;
/** Requests per read; findings are posted once this many values have gathered. */
const BATCH = 2000;
const POST_VALUES = FINDING_WIDTH * 4096;
/** A worker that shows no progress for this long is taken for dead; the thread scans instead. */
const STALL_MS = 30_000;
/**
 * A worker whose script cannot load (a packaged layout, a binding it cannot open) only says so
 * through an event this busy thread cannot hear; one not started this long after launch is
 * taken for failed.
 */
const START_MS = 5_000;
/** How often the waiting thread looks at its cancel flag. */
const POLL_MS = 50;

/** `requests` when the caller already counted them (the rebuild's scan does): one pass less. */
export function readBasis(db: CaseDb, requests?: number): Basis {
  const last = (db.prepare('SELECT max(id) AS last FROM requests').get() as { last: number | null })
    .last;
  const n = requests ?? (db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n;
  return { requests: n, last };
}

/** detectWorker.mjs beside the running bundle (or under dist/electron from dist/bench). */
export function defaultDetectWorkerFile(): string | null {
  const dirs: string[] = [];
  if (typeof import.meta.url === 'string' && import.meta.url.startsWith('file:')) {
    dirs.push(path.dirname(fileURLToPath(import.meta.url)));
  }
  if (typeof __dirname === 'string') dirs.push(__dirname);
  for (const dir of dirs) {
    for (const rel of ['detectWorker.mjs', '../electron/detectWorker.mjs']) {
      const p = path.join(dir, rel);
      if (existsSync(p)) return p;
    }
  }
  return null;
}

/** A scan running in a worker, as its caller holds it. */
export interface DetectionInWorker {
  worker: Worker;
  port: MessagePort;
  control: Int32Array;
  launchedAt: number;
  /** The worker's CPU in ms (Linux), once done: per-step figures cannot tell it apart. */
  cpuMs: number | null;
  stopped: boolean;
}

let running: DetectionInWorker | null = null;

/**
 * Starts the scan of `db`'s requests in a worker, or returns null when it cannot run there
 * (an in-memory case, no built script). A scan left behind by a rebuild that failed before
 * collecting it is stopped first.
 */
/** What the worker is handed: the case, its detect rules, and how the rebuild's db was opened. */
export function detectJobFor(db: CaseDb, control: Int32Array, port: MessagePort): DetectJob {
  const nativeBinding = nativeBindingOf(db);
  return {
    casePath: db.name,
    rules: readPatternRows(db, 'detect'),
    control,
    port,
    ...(nativeBinding ? { nativeBinding } : {}),
  };
}

export function startDetectionWorker(
  db: CaseDb,
  workerFile: string | null = defaultDetectWorkerFile(),
): DetectionInWorker | null {
  if (running) stopDetectionWorker(running);
  if (workerFile === null || db.memory || db.name === '' || !existsSync(workerFile)) return null;
  const control = new Int32Array(new SharedArrayBuffer(8));
  const channel = new MessageChannel();
  const job = detectJobFor(db, control, channel.port2);
  let worker: Worker;
  try {
    worker = new Worker(workerFile, {
      workerData: { role: 'detect', job },
      transferList: [channel.port2],
    });
  } catch {
    channel.port1.close();
    return null;
  }
  // Failures reach the caller as a stalled or missing 'done'; an unheard 'error' event would
  // otherwise end the process. unref: a scan nobody collects never holds the process open.
  worker.on('error', () => undefined);
  worker.unref();
  running = {
    worker,
    port: channel.port1,
    control,
    launchedAt: performance.now(),
    cpuMs: null,
    stopped: false,
  };
  return running;
}

export function stopDetectionWorker(p: DetectionInWorker): void {
  if (running === p) running = null;
  if (p.stopped) return;
  p.stopped = true;
  Atomics.store(p.control, STOP, 1);
  void p.worker.terminate();
  p.port.close();
}

/**
 * Waits for the worker's scan, handing each finding to `emit` in the order the worker found
 * them (the same order a scan on this thread gives). Returns the counts, or null when the
 * worker failed, stalled, or read other requests than the caller's `expected` snapshot (the
 * caller then scans here, after rolling back what `emit` wrote). `cancelPoint` is polled
 * throughout; when it throws, the worker is stopped and the error goes on.
 */
export function joinDetectionWorker(
  p: DetectionInWorker,
  emit: (values: FindingValues) => void,
  expected: () => Basis,
  cancelPoint?: () => void,
): ScanCounts | null {
  try {
    // The worker bumps the counter first thing, so 0 means it has not started.
    let seen = 0;
    let changedAt = p.launchedAt;
    for (;;) {
      cancelPoint?.();
      // Read the counter before the port: a message posted after this read also bumps it, so
      // the wait below returns at once instead of sleeping past it.
      const seq = Atomics.load(p.control, SEQ);
      const m = receiveMessageOnPort(p.port) as { message: DetectWorkerMessage } | undefined;
      if (m !== undefined) {
        const msg = m.message;
        if (msg.type === 'rows') {
          const v = msg.values;
          for (let i = 0; i < v.length; i += FINDING_WIDTH)
            emit(v.slice(i, i + FINDING_WIDTH) as FindingValues);
        } else if (msg.type === 'done') {
          p.cpuMs = msg.cpuMs;
          const mine = expected();
          const same = msg.basis.requests === mine.requests && msg.basis.last === mine.last;
          return same ? msg.counts : null;
        } else return null;
        continue;
      }
      const now = performance.now();
      if (seq !== seen) {
        seen = seq;
        changedAt = now;
      } else if (now - changedAt > (seen === 0 ? START_MS : STALL_MS)) return null;
      Atomics.wait(p.control, SEQ, seq, POLL_MS);
    }
  } finally {
    stopDetectionWorker(p);
  }
}

/** This thread's CPU time on Linux (utime + stime of /proc/thread-self/stat), else null. */
function threadCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5), counted after the command name: clock ticks (100 Hz).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function runDetectRole(job: DetectJob): void {
  const { control, port } = job;
  const bump = (): void => {
    Atomics.add(control, SEQ, 1);
    Atomics.notify(control, SEQ);
  };
  const post = (msg: DetectWorkerMessage): void => {
    port.postMessage(msg);
    bump();
  };
  bump();
  let db: CaseDb | null = null;
  try {
    const cpu0 = threadCpuMs();
    db = openCase(job.casePath, {
      create: false,
      readonly: true,
      ...(job.nativeBinding ? { nativeBinding: job.nativeBinding } : {}),
    });
    // One read transaction: every batch reads the same snapshot.
    db.exec('BEGIN');
    let values: unknown[] = [];
    const scanner = new RequestScanner(
      (v) => {
        for (const x of v) values.push(x);
      },
      compilePatternRules(job.rules, 'detect'),
    );
    const select = db.prepare(DETECT_SELECT).raw(true);
    let after = 0;
    for (;;) {
      if (Atomics.load(control, STOP) === 1) return;
      const rows = select.all(after, BATCH) as DetectRow[];
      if (rows.length === 0) break;
      for (const r of rows) scanner.scan(r);
      after = rows[rows.length - 1]![0];
      if (values.length >= POST_VALUES) {
        post({ type: 'rows', values });
        values = [];
      } else bump();
    }
    if (values.length > 0) post({ type: 'rows', values });
    db.exec('COMMIT');
    const cpu1 = threadCpuMs();
    post({
      type: 'done',
      counts: scanner.counts,
      // What the scan read describes its snapshot: every request, the last one last.
      basis: { requests: scanner.counts.requests, last: after === 0 ? null : after },
      cpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0,
    });
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  } finally {
    db?.close();
    port.close();
  }
}

if (!isMainThread) {
  const data = workerData as { role?: string; job?: DetectJob } | null;
  if (data?.role === 'detect' && data.job) runDetectRole(data.job);
}
