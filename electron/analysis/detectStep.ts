import type { Detector } from '../../shared/detect/engine.js';
import { AppError } from '../../shared/contract/errors.js';
import type { CaseDb } from '../store/openCase.js';
import {
  DETECT_SELECT,
  INSERT_FINDING,
  RequestScanner,
  type DetectRow,
  type ScanCounts,
} from './detectRows.js';
import {
  joinDetectionWorker,
  readBasis,
  startDetectionWorker,
  stopDetectionWorker,
  type DetectionInWorker,
} from './detectWorker.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';
import {
  applyVerdicts,
  loadPatternRules,
  rejudgeStoredFindings,
  restoreSetAside,
  storedFindingCounts,
} from './ruleVerdicts.js';
import { clearDetectionBasis, detectionsFor, writeDetectionBasis } from './detectBasis.js';
import { stopOnCancel } from './syncWorker.js';
import { detectColumnsOf } from './detectColumns.js';
import { takeBuiltChunks } from './scanStep.js';

export interface DetectStepOptions {
  /** Requests read per query (default 2000). */
  batchSize?: number;
  detector?: Detector;
  onProgress?: (done: number, total: number) => void;
  /** Polled between batches; true aborts (the caller's transaction then rolls back). */
  shouldCancel?: () => boolean;
  /**
   * Scan only the requests after this id and keep the findings stored for those up to it, which
   * must come from the same requests, detect rules and code (detectBasis.ts). 0: every request.
   */
  after?: number;
}

export interface DetectStepResult {
  /** Requests scanned (after `after`); `undecodable` is of these, the other counts of all. */
  requests: number;
  /** Engine findings written, and requests with at least one. */
  detections: number;
  flaggedRequests: number;
  /** Source labels kept as 'source-label' rows. */
  sourceLabels: number;
  /** Requests with at least one text that could not be fully decoded (flagged, still scanned). */
  undecodable: number;
  /** Findings of the investigator's detect rules (source 'custom'). */
  custom: number;
  /**
   * Findings judged false positives (by a mark or a suppress rule): moved to fp_detections,
   * so no count, filter or list sees them, while the request still shows them.
   */
  suppressed: number;
}

/**
 * Where a scan's findings go: after `after`, beside the stored ones (those set aside put back,
 * so every finding has the id the scan of every request gave it, and the new ones follow in
 * request order, as that scan would number them); from scratch otherwise.
 */
function startFindings(db: CaseDb, after: number): void {
  if (after > 0) {
    restoreSetAside(db);
    return;
  }
  db.prepare('DELETE FROM detections').run();
  db.prepare('DELETE FROM fp_detections').run();
}

/** The step's counts once a scan after `after` was written (before the verdicts). */
function scannedCounts(db: CaseDb, after: number, scanned: ScanCounts): ScanCounts {
  return after > 0 ? { ...scanned, ...storedFindingCounts(db) } : scanned;
}

/**
 * Rewrites the detections table from `requests`: runs the signature engine and the
 * investigator's detect rules over every request (in id order, batch by batch), keeps each
 * source attack label as its own row, then sets aside what marks and suppress rules judge
 * false positives. With `after`, scans only the requests after it (added by an import since
 * the stored findings were scanned) and gives what the scan of every request would.
 * Deterministic and idempotent; runs in one transaction (a savepoint inside the rebuild's).
 */
export function detectStep(db: CaseDb, opts: DetectStepOptions = {}): DetectStepResult {
  const batchSize = opts.batchSize ?? 2000;
  const from = opts.after ?? 0;
  const select = db.prepare(DETECT_SELECT).raw(true);
  const insert = db.prepare(INSERT_FINDING);
  const total = (
    db.prepare('SELECT count(*) AS n FROM requests WHERE id > ?').get(from) as { n: number }
  ).n;
  const scanner = new RequestScanner(
    (v) => insert.run(v),
    loadPatternRules(db, 'detect'),
    opts.detector,
  );
  let counts = scanner.counts;
  let suppressed = 0;
  db.transaction(() => {
    startFindings(db, from);
    // What these findings come from is for the rebuild to record (its detector is the default).
    clearDetectionBasis(db);
    let after = from;
    for (;;) {
      if (opts.shouldCancel?.()) throw new AppError('CANCELLED', 'Attack detection cancelled');
      const rows = select.all(after, batchSize) as DetectRow[];
      if (rows.length === 0) break;
      for (const r of rows) scanner.scan(r);
      after = rows[rows.length - 1]![0];
      opts.onProgress?.(scanner.counts.requests, total);
    }
    counts = scannedCounts(db, from, scanner.counts);
    // Every finding is written before any moves, so ids stay unique across both tables.
    suppressed = applyVerdicts(db);
  })();
  return { ...counts, suppressed };
}

/** Thrown inside the collecting savepoint to roll back a worker's rows and scan here. */
const SCAN_HERE = new Error('detection worker unusable');

/**
 * detectStep's result from a scan that ran in a worker (of the requests after `after`): its
 * rows written in the order it found them (as detectStep writes them), then the same
 * verdicts. Null when the worker's scan cannot be used; nothing it sent is then left in the
 * tables.
 */
export function collectDetections(
  db: CaseDb,
  p: DetectionInWorker,
  cancelPoint?: () => void,
  knownRequests?: number,
  after = 0,
): DetectStepResult | null {
  const insert = db.prepare(INSERT_FINDING);
  try {
    return db.transaction((): DetectStepResult => {
      startFindings(db, after);
      const scanned = joinDetectionWorker(
        p,
        (v) => insert.run(v),
        () => readBasis(db, knownRequests, after),
        cancelPoint,
      );
      if (scanned === null) throw SCAN_HERE;
      const counts = scannedCounts(db, after, scanned);
      return { ...counts, suppressed: applyVerdicts(db) };
    })();
  } catch (err) {
    if (err === SCAN_HERE) return null;
    throw err;
  }
}

/** How the last detection step on this thread ran: for benchmarks, never part of the case. */
export interface DetectionRun {
  inWorker: boolean;
  /** The stored findings were re-judged, not scanned again (their basis was unchanged). */
  reused: boolean;
  /** The requests scanned were those after this id (0: every request; null: none scanned). */
  scannedFrom: number | null;
  /**
   * The worker's CPU time (Linux). The rebuild's per-step CPU figures are process-wide: they
   * count it in the steps it overlapped, not in detection's.
   */
  workerCpuMs: number | null;
  /** The worker read the requests from the columns the scan built (detectColumns.ts). */
  fromColumns?: boolean;
}

let lastRun: DetectionRun | null = null;

export function lastDetectionRun(): DetectionRun | null {
  return lastRun;
}

/** Scans started by detectStartStep, by rebuild. */
const inWorker = new WeakMap<RebuildContext, DetectionInWorker>();

/** Per rebuild, the id after which its detection scans (0: every request). */
const scanFrom = new WeakMap<RebuildContext, number>();

/**
 * Where this rebuild's detection scans from: after the requests the stored findings cover when
 * requests were only added since (detectBasis.ts).
 */
function detectFrom(ctx: RebuildContext): number {
  let from = scanFrom.get(ctx);
  if (from === undefined) {
    from = detectionsFor(ctx).appendAfter ?? 0;
    scanFrom.set(ctx, from);
  }
  return from;
}

/**
 * Starts the request scan of attack detection in a worker once the request scan is done (that
 * one reads on both cores): it depends only on `requests` and the detect rules, which the
 * rebuild does not change, so it runs on another core while this thread derives and writes the
 * other tables. Where no worker can run (no built script, an in-memory case), the detection
 * step scans on this thread. Nothing is scanned when the stored findings came from the same
 * requests, detect rules and code (detectBasis.ts, after a settings change): the detection
 * step then re-judges them; after an import into an analysed case, only its requests are.
 */
export const detectStartStep: RebuildStep = {
  name: 'attack detection (start)',
  order: 15,
  run(ctx: RebuildContext) {
    // Taken either way: the chunks are not kept past this step.
    const built = takeBuiltChunks(ctx);
    if (detectionsFor(ctx).current) return;
    const from = detectFrom(ctx);
    const columns = from === 0 && built !== undefined ? detectColumnsOf(built) : null;
    const p = startDetectionWorker(ctx.db, undefined, from, columns);
    if (p === null) return;
    inWorker.set(ctx, p);
    stopOnCancel(ctx, () => stopDetectionWorker(p));
  },
};

/** The detection step of the analysis rebuild: after the derived tables, before session counts. */
export const detectRebuildStep: RebuildStep = {
  name: 'attack detection',
  order: 70,
  run(ctx: RebuildContext) {
    const p = inWorker.get(ctx);
    inWorker.delete(ctx);
    const { basis, current } = detectionsFor(ctx);
    let r: Pick<
      DetectStepResult,
      'detections' | 'flaggedRequests' | 'sourceLabels' | 'custom' | 'suppressed'
    >;
    if (current && p === undefined) {
      // The same requests, detect rules and detection code as the stored findings came from.
      r = rejudgeStoredFindings(ctx.db);
      lastRun = { inWorker: false, reused: true, scannedFrom: null, workerCpuMs: null };
    } else {
      const from = detectFrom(ctx);
      // The scan step counted the requests this transaction sees.
      const joined =
        p === undefined
          ? null
          : collectDetections(ctx.db, p, ctx.cancelPoint, ctx.stats['requests'], from);
      lastRun = {
        inWorker: joined !== null,
        reused: false,
        scannedFrom: from,
        workerCpuMs: joined === null ? null : p!.cpuMs,
        fromColumns: joined !== null && p!.fromColumns,
      };
      r = joined ?? detectStep(ctx.db, { after: from });
      writeDetectionBasis(ctx.db, basis);
    }
    ctx.stats['detections'] = r.detections;
    ctx.stats['flaggedRequests'] = r.flaggedRequests;
    ctx.stats['sourceLabels'] = r.sourceLabels;
    ctx.stats['customDetections'] = r.custom;
    ctx.stats['falsePositives'] = r.suppressed;
  },
};
