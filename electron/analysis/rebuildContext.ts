import type { AnalysisSettings, ContextParam } from '../../shared/analysis/settings.js';
import type { CaseDb } from '../store/openCase.js';
import type { ScanResult } from './scanResult.js';
import type { EndpointResult } from './endpointsStep.js';
import type { SessionResult } from './sessionsStep.js';
import type { OutlierResult } from './outliersStep.js';
import type { TextIndexLater } from './textIndexStep.js';

/**
 * What the steps of one rebuild share. The rebuild runs inside one transaction, so a step sees
 * the tables earlier steps wrote. Steps of other areas (detections, specs and risk) need only
 * `db` and `settings`; the in-memory results are for the analysis steps themselves.
 */
export interface RebuildContext {
  db: CaseDb;
  settings: AnalysisSettings;
  params: ContextParam[];
  /** Per-case salt for hashing secret key values. */
  salt: string;
  scan?: ScanResult;
  /** What the scan was derived from (scanCache.ts), when its code could be identified. */
  scanBasis?: string;
  endpoints?: EndpointResult;
  outliers?: OutlierResult;
  sessions?: SessionResult;
  /** Figures a step wants reported (counts, timings). */
  stats: Record<string, number>;
  /**
   * Throws CANCELLED when the caller asked to stop; long steps call it now and then (the
   * rebuild rolls back). Absent in contexts built by hand, e.g. in tests.
   */
  cancelPoint?: () => void;
  /**
   * Called when the rebuild ends, however it ends (committed, failed or cancelled): a step
   * that started a worker stops it here should a failure skip the step that collects it.
   */
  atEnd?: (() => void)[];
  /**
   * Present when the caller brings the text index up to date after the rebuild has committed
   * (rebuildWorker.ts): the text index step then only records what the index is due to cover.
   */
  textIndexLater?: TextIndexLater;
}

export interface RebuildStep {
  name: string;
  /**
   * Position in the rebuild. Analysis uses 10–60 and 90; detections belong at 70, specs and
   * risk at 80, so that session attack counts (90) see the detections.
   */
  order: number;
  run(ctx: RebuildContext): void;
  /**
   * Run before the rebuild's transaction begins, and kept whatever becomes of the rebuild: for
   * what is derived from the requests alone (committed, workers' snapshots see it). Calls
   * `working` before work that takes time, so progress shows it.
   */
  prepare?(db: CaseDb, working: () => void): void;
}

export function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`rebuild step order: ${what} has not run yet`);
  return v;
}
