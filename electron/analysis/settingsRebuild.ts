import type { AnalysisSettings } from '../../shared/analysis/settings.js';
import { AppError } from '../../shared/contract/errors.js';
import type { CaseDb } from '../store/openCase.js';
import { endpointsStep } from './endpointsStep.js';
import { flowsStep } from './flowsStep.js';
import { outliersStep } from './outliersStep.js';
import { analysisIsCurrent, rebuild, type RebuildOptions, type RebuildReport } from './rebuild.js';
import type { RebuildStep } from './rebuildContext.js';
import { scanStep } from './scanStep.js';
import { sessionsStep } from './sessionsStep.js';
import { readSettings, writeSettings } from './settingsRepo.js';
import { verdictsInputStep, verdictsStep } from './verdictsStep.js';

/**
 * Behavioural verdicts work on the rebuild's in-memory scan, endpoints and sessions, which
 * write nothing themselves; so new verdict thresholds need those steps again and the verdicts,
 * but not the write, text index, detection, spec or risk steps (about half a full rebuild).
 */
export const verdictSteps: readonly RebuildStep[] = [
  scanStep,
  endpointsStep,
  flowsStep,
  outliersStep,
  sessionsStep,
  verdictsInputStep,
  verdictsStep,
];

/** True when `after` changes the verdict thresholds and nothing else. */
export function onlyVerdictsChange(before: AnalysisSettings, after: AnalysisSettings): boolean {
  const rest = (s: AnalysisSettings) => JSON.stringify({ ...s, verdicts: null });
  return (
    JSON.stringify(before.verdicts) !== JSON.stringify(after.verdicts) &&
    rest(before) === rest(after)
  );
}

/**
 * Stores new settings (audited; none: keeps them) and rebuilds with them, in one transaction,
 * so a cancel or failure leaves the old settings with the old analysis. Only the verdicts are
 * re-derived when just their thresholds changed and the rest of the analysis is current.
 */
export function rebuildWithSettings(
  db: CaseDb,
  settings: AnalysisSettings | undefined,
  opts: Omit<RebuildOptions, 'steps' | 'kind'> & {
    /**
     * The settings the change was made from (a form's): refused with CONFLICT, and nothing
     * written, when the case holds others by now (changed in another window or by the CLI).
     */
    base?: AnalysisSettings;
  } = {},
): RebuildReport {
  const { base, ...rebuildOpts } = opts;
  return db.transaction(() => {
    const stored = readSettings(db);
    if (base !== undefined && JSON.stringify(base) !== JSON.stringify(stored))
      throw new AppError(
        'CONFLICT',
        'The settings were changed elsewhere since they were opened here (another window or ' +
          'the command line): reload them, then make the change again',
      );
    const verdictsOnly =
      settings !== undefined && onlyVerdictsChange(stored, settings) && analysisIsCurrent(db);
    if (settings) writeSettings(db, settings);
    return verdictsOnly
      ? rebuild(db, { ...rebuildOpts, steps: verdictSteps, kind: 'verdicts' })
      : rebuild(db, rebuildOpts);
  })();
}
