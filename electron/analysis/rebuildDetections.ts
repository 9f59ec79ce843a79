import { detectRebuildStep } from './detectStep.js';
import { analysisIsCurrent, rebuild, type RebuildOptions, type RebuildReport } from './rebuild.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';
import { riskStep } from './riskStep.js';
import { rejudgeStoredFindings } from './ruleVerdicts.js';
import { sessionAttacksStep } from './sessionAttacksStep.js';
import { tagStep } from './tagStep.js';
import { crawlerCapStep } from './verdictsStep.js';
import type { CaseDb } from '../store/openCase.js';

/**
 * Marks and suppress rules only move findings between `detections` and `fp_detections`, so
 * re-judging them needs no request scan (rejudgeStoredFindings).
 */
export const rejudgeStep: RebuildStep = {
  name: 'false positives',
  order: 70,
  run(ctx: RebuildContext) {
    ctx.stats['falsePositives'] = rejudgeStoredFindings(ctx.db).suppressed;
  },
};

/**
 * Session attack counts as sessionAttacksStep writes them, reached from the findings (through
 * the unique request index of the facts) rather than from every session's requests: a
 * partial rebuild then costs what the case's detections cost, not what its requests do.
 */
export const attackCountsStep: RebuildStep = {
  name: sessionAttacksStep.name,
  order: sessionAttacksStep.order,
  run(ctx: RebuildContext) {
    const counts = ctx.db
      .prepare(
        `SELECT f.session_id AS id, count(*) AS n FROM request_facts f
         WHERE f.request_id IN (SELECT DISTINCT request_id FROM detections)
         GROUP BY f.session_id`,
      )
      .all() as { id: number; n: number }[];
    ctx.db.prepare('UPDATE sessions SET attack_count = 0 WHERE attack_count != 0').run();
    const set = ctx.db.prepare('UPDATE sessions SET attack_count = ? WHERE id = ?');
    for (const c of counts) set.run(c.n, c.id);
  },
};

/**
 * What depends on detections: endpoint risk (succeeded attacks), session attack counts, and
 * the verdicts of declared crawlers, whose cap holds only while their session has no attacks.
 */
const downstream: readonly RebuildStep[] = [riskStep, attackCountsStep, crawlerCapStep];

/**
 * The steps a detect or tag rule can alter: detections (engine, custom rules, marks and
 * suppress rules), custom tags, and what reads detections. Sessions, endpoints, flows,
 * outliers, the text index and spec status read neither detections nor rules, so the tables
 * they wrote stay as the last full rebuild left them; so do the behavioural verdicts, but for
 * the declared crawlers' cap, which follows the session attack counts (crawlerCapStep).
 */
export const detectionSteps: readonly RebuildStep[] = [detectRebuildStep, tagStep, ...downstream];

/** The steps a false-positive mark or a suppress rule can alter (no tag, no request scan). */
export const markSteps: readonly RebuildStep[] = [rejudgeStep, ...downstream];

export type PartialKind = 'detections' | 'marks';

/**
 * Re-derives what depends on detections and rules, in one transaction, audited as an
 * `analysis.rebuild` of its kind. `marks` (after a mark or a suppress rule) re-judges the
 * stored findings; `detections` (after a detect or tag rule) scans the requests again. Both
 * give the same tables a full rebuild would, as long as the other derived tables are current
 * (a full rebuild ran since the last import or settings change; otherwise this runs one); the
 * risk step then reads its request figures from the tables.
 */
export function rebuildDetections(
  db: CaseDb,
  kind: PartialKind = 'detections',
  opts: Omit<RebuildOptions, 'steps' | 'kind'> = {},
): RebuildReport {
  // Derived tables older than the requests or settings (a cancelled rebuild after an import):
  // only a full rebuild gives what it would.
  if (!analysisIsCurrent(db)) return rebuild(db, opts);
  return rebuild(db, { ...opts, steps: kind === 'marks' ? markSteps : detectionSteps, kind });
}
