import { effectiveParams } from '../../shared/analysis/settings.js';
import type { RebuildSummary } from '../../shared/contract/analysisApi.js';
import type { AnalysisStale } from '../../shared/contract/caseApi.js';
import { AppError } from '../../shared/contract/errors.js';
import { audit } from '../store/auditLog.js';
import { TOOL_VERSION } from '../version.js';
import type { CaseDb } from '../store/openCase.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';
import { rebuildSteps } from './rebuildSteps.js';
import { caseSalt, readSettings, readState, REBUILT_AT_KEY, writeState } from './settingsRepo.js';
import type { TextIndexLater } from './textIndexStep.js';

export interface RebuildReport {
  requests: number;
  endpoints: number;
  sessions: number;
  outliers: number;
  /** Milliseconds per step, in run order (for benchmarks; never part of the case). */
  stepMs: Record<string, number>;
  /** CPU milliseconds (user + system, this process) per step: comparable on a busy machine. */
  stepCpuMs: Record<string, number>;
}

export interface RebuildOptions {
  /** Called as each step starts (progress). */
  onStep?: (name: string, index: number, total: number) => void;
  steps?: readonly RebuildStep[];
  /**
   * Polled between steps and inside the long ones; true aborts the rebuild with CANCELLED and
   * its transaction rolls back, so the case is exactly as it was before.
   */
  shouldCancel?: () => boolean;
  /**
   * Named in the audit entry: full, from the detections onward, marks re-applied only, or
   * session verdicts under new thresholds (rebuildDetections.ts, settingsRebuild.ts).
   */
  kind?: 'full' | 'detections' | 'marks' | 'verdicts';
  /**
   * The text index left for after the commit (textIndexStep.ts): the caller calls its `build`
   * once it has answered. Without it the rebuild brings the index up to date itself.
   */
  textIndexLater?: TextIndexLater;
}

/** The figures a rebuild reports over the contract (its per-step timings stay here). */
export function rebuildSummary(r: RebuildReport): RebuildSummary {
  return {
    requests: r.requests,
    endpoints: r.endpoints,
    sessions: r.sessions,
    outliers: r.outliers,
  };
}

const BASIS_KEY = 'analysis_basis';

/**
 * What a full rebuild derived its tables from: the requests (count and last id), the settings,
 * and the version of Sessionscope that made them (another version may derive other verdicts,
 * outliers or sessions). A partial rebuild is only equal to a full one while this still holds.
 */
interface AnalysisBasis {
  requests: number;
  last: number | null;
  settings: unknown;
  version: string;
}

function basisNow(db: CaseDb): AnalysisBasis {
  const r = db.prepare('SELECT count(*) AS n, max(id) AS last FROM requests').get() as {
    n: number;
    last: number | null;
  };
  return { requests: r.n, last: r.last, settings: readSettings(db), version: TOOL_VERSION };
}

function analysisBasis(db: CaseDb): string {
  return JSON.stringify(basisNow(db));
}

/** A stored basis, or null when it is not one this version wrote. */
function storedBasis(text: string): Partial<AnalysisBasis> | null {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null ? (v as Partial<AnalysisBasis>) : null;
  } catch {
    return null;
  }
}

/**
 * Why the derived tables are not the last full rebuild's of the requests and settings the case
 * holds now by this version, first that applies (AnalysisStale); null when they are. A missing
 * basis after a rebuild is a migration's mark: this version derives something differently.
 */
export function analysisStaleness(db: CaseDb): AnalysisStale | null {
  const stored = readState(db, BASIS_KEY);
  const now = basisNow(db);
  if (stored === JSON.stringify(now)) return null;
  if (stored === null) return readState(db, REBUILT_AT_KEY) === null ? 'never' : 'version';
  const was = storedBasis(stored);
  const counted = was !== null && typeof was.requests === 'number' && was.last !== undefined;
  if (counted && (was.requests !== now.requests || was.last !== now.last)) return 'requests';
  if (was === null || was.version !== now.version) return 'version';
  return 'settings';
}

/**
 * True when the last full rebuild saw the requests and settings the case holds now, and was
 * this version's.
 */
export function analysisIsCurrent(db: CaseDb): boolean {
  return analysisStaleness(db) === null;
}

function cancelPoint(shouldCancel: (() => boolean) | undefined): () => void {
  return () => {
    if (shouldCancel?.())
      throw new AppError('CANCELLED', 'Rebuild cancelled; the case is unchanged');
  };
}

/**
 * Re-derives every analysis table from `requests` and the stored settings, in one
 * transaction: either the whole new analysis is in the case or the old one still is.
 * Idempotent: the same requests and settings give the same tables.
 */
export function rebuild(db: CaseDb, opts: RebuildOptions = {}): RebuildReport {
  const steps = [...(opts.steps ?? rebuildSteps)].sort((a, b) => a.order - b.order);
  const check = cancelPoint(opts.shouldCancel);
  // The commit would copy every page the rebuild wrote from the WAL into the case file (about
  // 1 s on 1M requests) before the rebuild could answer: the caller checkpoints once it has
  // (checkpointAfterRebuild); otherwise the next commit past the threshold does, as before.
  const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 0');
  try {
    return runRebuild(db, opts, steps, check);
  } finally {
    db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
  }
}

/**
 * Copies the pages a rebuild wrote from the WAL into the case file, without waiting for readers
 * or writers (PASSIVE): for after the rebuild's answer has gone out.
 */
export function checkpointAfterRebuild(db: CaseDb): void {
  db.pragma('wal_checkpoint(PASSIVE)');
}

function runRebuild(
  db: CaseDb,
  opts: RebuildOptions,
  steps: RebuildStep[],
  check: () => void,
): RebuildReport {
  const stepMs: Record<string, number> = {};
  const stepCpuMs: Record<string, number> = {};
  steps.forEach((step, i) => {
    // Progress names the step a preparation is for, when it has work (an import's columns).
    step.prepare?.(db, () => opts.onStep?.(step.name, i, steps.length));
  });
  const ctx = db.transaction((): RebuildContext => {
    const settings = readSettings(db);
    const c: RebuildContext = {
      db,
      settings,
      params: effectiveParams(settings),
      salt: caseSalt(db),
      stats: {},
      cancelPoint: check,
      ...(opts.textIndexLater ? { textIndexLater: opts.textIndexLater } : {}),
    };
    try {
      steps.forEach((step, i) => {
        check();
        opts.onStep?.(step.name, i, steps.length);
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        step.run(c);
        const cpu = process.cpuUsage(cpu0);
        stepMs[step.name] = Math.round(performance.now() - t0);
        stepCpuMs[step.name] = Math.round((cpu.user + cpu.system) / 1000);
      });
    } finally {
      for (const end of c.atEnd ?? []) end();
    }
    check();
    writeState(db, REBUILT_AT_KEY, new Date().toISOString());
    // A verdicts rebuild runs under new settings that changed nothing else: current as well.
    if (opts.steps === undefined || opts.kind === 'verdicts')
      writeState(db, BASIS_KEY, analysisBasis(db));
    audit(
      db,
      'analysis.rebuild',
      opts.kind === undefined || opts.kind === 'full'
        ? {
            kind: 'full',
            requests: c.stats.requests ?? 0,
            endpoints: c.stats.endpoints ?? 0,
            sessions: c.stats.sessions ?? 0,
            outliers: c.stats.outliers ?? 0,
          }
        : // A partial rebuild leaves sessions and endpoints alone: record what it re-derived.
          { kind: opts.kind, steps: steps.map((s) => s.name), ...c.stats },
    );
    return c;
  })();
  return {
    requests: ctx.stats.requests ?? 0,
    endpoints: ctx.stats.endpoints ?? 0,
    sessions: ctx.stats.sessions ?? 0,
    outliers: ctx.stats.outliers ?? 0,
    stepMs,
    stepCpuMs,
  };
}
