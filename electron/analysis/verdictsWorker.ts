// Worker-thread entry (built to dist/electron/verdictsWorker.mjs): the session verdicts judged
// on another core while the rebuild's thread writes the derived tables. It reads the request
// texts the features need (query, user agent) on a read-only connection of its own; the rest
// comes from the rebuild's arrays. Imported on the rebuild's thread it provides the caller's side.
import { existsSync } from 'node:fs';
import { isMainThread, workerData } from 'node:worker_threads';
import {
  classifyUserAgent,
  type SessionVerdict,
  type UaClass,
} from '../../shared/verdicts/index.js';
import { nativeBindingOf, openCase, type CaseDb } from '../store/openCase.js';
import {
  bundledWorkerFile,
  launchSyncWorker,
  nextSyncMessage,
  stopSyncWorker,
  syncWorkerSide,
  type SyncChannel,
  type SyncWorker,
} from './syncWorker.js';
import { judgeSessions, type Judged, type VerdictInput } from './verdictsJudge.js';

export interface VerdictsJob extends SyncChannel {
  casePath: string;
  input: VerdictInput;
  /** The last request id the rebuild's snapshot holds: the worker reads up to it. */
  lastId: number;
  nativeBinding?: string;
}

type VerdictsWorkerMessage =
  | { type: 'judged'; flagged: [number, SessionVerdict][]; ipGroups: number; sessions: number }
  | { type: 'error'; message: string };

const CHUNK = 5000;

export function defaultVerdictsWorkerFile(): string | null {
  return bundledWorkerFile('verdictsWorker.mjs');
}

/** Starts the judging in a worker, or returns null when it cannot run there. */
export function startVerdictsWorker(
  db: CaseDb,
  input: VerdictInput,
  lastId: number,
  workerFile: string | null = defaultVerdictsWorkerFile(),
): SyncWorker | null {
  if (workerFile === null || db.memory || db.name === '' || !existsSync(workerFile)) return null;
  const nativeBinding = nativeBindingOf(db);
  return launchSyncWorker(workerFile, 'verdicts', (channel) => ({
    casePath: db.name,
    input,
    lastId,
    ...channel,
    ...(nativeBinding ? { nativeBinding } : {}),
  }));
}

/**
 * The worker's verdicts (none where it found none), or null when it failed, stalled, or read
 * other requests than the rebuild's (the caller then judges here).
 */
export function joinVerdictsWorker(p: SyncWorker, cancelPoint?: () => void): Judged | null {
  try {
    const msg = nextSyncMessage<VerdictsWorkerMessage>(p, cancelPoint);
    if (msg?.type !== 'judged') return null;
    const none: SessionVerdict = { level: 'none', botType: null, confidence: 0, reasons: [] };
    const verdicts = Array<SessionVerdict>(msg.sessions).fill(none);
    for (const [k, v] of msg.flagged) verdicts[k] = v;
    return { verdicts, ipGroups: msg.ipGroups };
  } finally {
    stopSyncWorker(p);
  }
}

/** The query and user-agent class of every request up to `lastId`, in rowid order. */
function readTexts(
  db: CaseDb,
  lastId: number,
  n: number,
  progress: () => void,
): { query: (string | null)[]; uaClass: UaClass[] } {
  const query = new Array<string | null>(n).fill(null);
  const uaClass = new Array<UaClass>(n);
  const classes = new Map<string | null, UaClass>();
  const stmt = db
    .prepare(
      `SELECT id, query, user_agent FROM requests WHERE id > ? AND id <= ? ORDER BY id LIMIT ${CHUNK}`,
    )
    .raw(true);
  let i = 0;
  let after = -Infinity;
  for (;;) {
    const rows = stmt.all(after, lastId) as [number, string | null, string | null][];
    if (rows.length === 0) break;
    for (const [, q, ua] of rows) {
      if (i >= n) throw new Error('requests changed during the rebuild');
      query[i] = q === '' ? null : q;
      let c = classes.get(ua);
      if (c === undefined) classes.set(ua, (c = classifyUserAgent(ua)));
      uaClass[i++] = c;
    }
    after = rows[rows.length - 1]![0];
    progress();
  }
  if (i !== n) throw new Error(`requests changed during the rebuild (${i} of ${n} read)`);
  return { query, uaClass };
}

function runVerdictsRole(job: VerdictsJob): void {
  const side = syncWorkerSide(job);
  side.bump();
  let db: CaseDb | null = null;
  try {
    db = openCase(job.casePath, {
      create: false,
      readonly: true,
      ...(job.nativeBinding ? { nativeBinding: job.nativeBinding } : {}),
    });
    db.exec('BEGIN');
    const texts = readTexts(db, job.lastId, job.input.n, side.bump);
    db.exec('COMMIT');
    const judged = judgeSessions(job.input, {
      query: (i) => texts.query[i]!,
      uaClass: (i) => texts.uaClass[i]!,
    });
    const flagged: [number, SessionVerdict][] = [];
    judged.verdicts.forEach((v, k) => {
      if (v.level !== 'none') flagged.push([k, v]);
    });
    side.post({
      type: 'judged',
      flagged,
      ipGroups: judged.ipGroups,
      sessions: judged.verdicts.length,
    } satisfies VerdictsWorkerMessage);
  } catch (err) {
    side.post({ type: 'error', message: (err as Error).message } satisfies VerdictsWorkerMessage);
  } finally {
    db?.close();
    job.port.close();
  }
}

if (!isMainThread) {
  const data = workerData as { role?: string; job?: VerdictsJob } | null;
  if (data?.role === 'verdicts' && data.job) runVerdictsRole(data.job);
}
