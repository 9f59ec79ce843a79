import { fieldTextMax } from '../../shared/rules/fieldTexts.js';
import { patternProblem } from '../../shared/rules/linearRegex.js';
import { PatternMatcher, type PatternSpec } from '../../shared/rules/ruleMatcher.js';
import { customRuleId, type MatchKind, type RuleField } from '../../shared/rules/ruleModel.js';
import type { CaseDb } from '../store/openCase.js';

/**
 * The investigator's rules and marks as the rebuild applies them (migration 6): detect and tag
 * rules compiled for the request scan, and false-positive verdicts applied to the findings.
 */

export interface LoadedPatternRule {
  id: number;
  /** `custom.<id>` for detect rules. */
  ruleId: string;
  /** The attack type (detect) or tag label (tag). */
  type: string;
  matcher: PatternMatcher;
}

/** A stored detect or tag rule as plain data (it can cross to a worker). */
export interface PatternRow {
  id: number;
  field: RuleField;
  fieldName: string | null;
  match: MatchKind;
  pattern: string;
  type: string | null;
  label: string | null;
}

/** Enabled rules of one kind, as stored, in id order. */
export function readPatternRows(db: CaseDb, kind: 'detect' | 'tag'): PatternRow[] {
  return db
    .prepare(
      `SELECT id, field, field_name AS fieldName, match, pattern, type, label FROM rules
       WHERE kind = ? AND enabled = 1 ORDER BY id`,
    )
    .all(kind) as PatternRow[];
}

/**
 * A stored pattern rule compiled, or why the rebuild does not run it: its pattern does not
 * compile (it passed validation when it was saved; a stricter engine may refuse it since), or
 * it costs more than saving it today allows (WORK_MAX, checked by ruleModel.ts when a rule is
 * saved; a rule saved before that check could take hours on hostile bodies).
 */
function compile(r: PatternSpec): PatternMatcher | string {
  let matcher: PatternMatcher;
  try {
    matcher = new PatternMatcher(r);
  } catch (err) {
    return `the pattern does not compile: ${err instanceof Error ? err.message : String(err)}`;
  }
  // The same check, on the same field bound, as saving the rule makes.
  const cost = r.match === 'regex' ? patternProblem(r.pattern, fieldTextMax(r.field)) : null;
  return cost === null ? matcher : `the pattern is ${cost}; edit it`;
}

/** Why the rebuild does not apply a stored pattern rule (see compile), or null. */
export function patternRuleProblem(r: PatternSpec): string | null {
  const c = compile(r);
  return typeof c === 'string' ? c : null;
}

/**
 * Stored rules compiled. One that no longer compiles, or would cost too much, is left out
 * rather than failing (or stalling) the rebuild, and not silently: the rules list gives it
 * `notApplied` with the reason (see patternRuleProblem; rulesDb.listRules), which the Rules
 * view and the CLI show.
 */
export function compilePatternRules(
  rows: readonly PatternRow[],
  kind: 'detect' | 'tag',
): LoadedPatternRule[] {
  const out: LoadedPatternRule[] = [];
  for (const r of rows) {
    const matcher = compile(r);
    if (typeof matcher === 'string') continue;
    out.push({
      id: r.id,
      ruleId: customRuleId(r.id),
      type: (kind === 'detect' ? r.type : r.label) ?? '',
      matcher,
    });
  }
  return out;
}

/** Enabled rules of one kind, compiled. */
export function loadPatternRules(db: CaseDb, kind: 'detect' | 'tag'): LoadedPatternRule[] {
  return compilePatternRules(readPatternRows(db, kind), kind);
}

const COLS = `id, request_id, type, rule_id, location, param, part, frag_start, frag_end, basis,
  fragment, source`;
const D_COLS = COLS.replace(/(\w+)/g, 'd.$1');

/** A mark covers a finding of its rule on its request, on its parameter (null: any). */
const MARK_COVERS = `m.request_id = d.request_id AND m.rule_id = d.rule_id
  AND (m.param IS NULL OR m.param = d.param)`;

interface SuppressRow {
  id: number;
  scope: 'signature' | 'type' | 'all';
  ruleId: string | null;
  type: string | null;
  method: string | null;
  host: string | null;
  template: string | null;
  param: string | null;
}

/**
 * Moves the findings judged false positives from `detections` to `fp_detections`, recording
 * what judged them: first per-request marks, then enabled suppress rules in id order. A
 * per-request true-positive mark exempts its finding from suppress rules. Scopes `type` and
 * `all` leave source labels alone (they are the source's own verdict); a signature rule or a
 * mark can still hide one. Returns how many findings moved.
 */
export function applyVerdicts(db: CaseDb): number {
  // Driven from the marks (few), each finding reached through its request's index.
  db.prepare(
    `INSERT INTO fp_detections (${COLS}, mark_id, rule_ref)
     SELECT ${D_COLS}, min(m.id), NULL
     FROM detection_marks m JOIN detections d ON ${MARK_COVERS}
     WHERE m.verdict = 'false_positive'
     GROUP BY d.id`,
  ).run();
  const rules = db
    .prepare(
      `SELECT id, scope, rule_id AS ruleId, type, method, host, template, param FROM rules
       WHERE kind = 'suppress' AND enabled = 1 ORDER BY id`,
    )
    .all() as SuppressRow[];
  // A rule's endpoint host is compared as endpoints compare hosts (A-Z in any case): a rule
  // saved when its endpoint kept the log's spelling still hides that endpoint's findings.
  const suppress = db.prepare(
    `INSERT INTO fp_detections (${COLS}, mark_id, rule_ref)
     SELECT ${D_COLS}, NULL, @rule FROM detections d
     WHERE (@ruleId IS NULL OR d.rule_id = @ruleId)
       AND (@type IS NULL OR d.type = @type)
       AND (@scope = 'signature' OR d.source != 'source-label')
       AND (@param IS NULL OR d.param = @param)
       AND (@method IS NULL OR d.request_id IN (
         SELECT f.request_id FROM endpoints e
         JOIN request_facts f ON f.endpoint_id = e.id
         WHERE e.method = @method AND e.host = @host COLLATE NOCASE
           AND e.template = @template))
       AND NOT EXISTS (SELECT 1 FROM fp_detections x WHERE x.id = d.id)
       AND NOT EXISTS (SELECT 1 FROM detection_marks m
                       WHERE ${MARK_COVERS} AND m.verdict = 'true_positive')`,
  );
  for (const r of rules) {
    suppress.run({
      rule: r.id,
      ruleId: r.scope === 'signature' ? r.ruleId : null,
      type: r.scope === 'type' ? r.type : null,
      scope: r.scope,
      param: r.param,
      method: r.method,
      host: r.host,
      template: r.template,
    });
  }
  return db.prepare('DELETE FROM detections WHERE id IN (SELECT id FROM fp_detections)').run()
    .changes;
}

/** How many stored findings of each kind there are (all of them: none set aside). */
export interface StoredFindingCounts {
  detections: number;
  flaggedRequests: number;
  sourceLabels: number;
  custom: number;
}

/**
 * Puts every finding set aside back into detections with its id (which the detection step gave
 * it before any moved), as a scan leaves them before the verdicts.
 */
export function restoreSetAside(db: CaseDb): void {
  db.exec(`INSERT INTO detections (${COLS})
    SELECT ${COLS} FROM fp_detections ORDER BY id;
    DELETE FROM fp_detections`);
}

/** The stored findings' counts (call with none set aside: see restoreSetAside). */
export function storedFindingCounts(db: CaseDb): StoredFindingCounts {
  return db
    .prepare(
      `SELECT count(*) FILTER (WHERE source = 'engine') AS detections,
         count(DISTINCT request_id) FILTER (WHERE source IN ('engine', 'custom')) AS flaggedRequests,
         count(*) FILTER (WHERE source = 'source-label') AS sourceLabels,
         count(*) FILTER (WHERE source = 'custom') AS custom
       FROM detections`,
    )
    .get() as StoredFindingCounts;
}

/**
 * Puts every finding set aside back and applies the verdicts again, exactly as the detection
 * step ends: marks and suppress rules then judge the stored findings without a request scan.
 * Returns the counts a scan of the same requests would have given, and how many findings were
 * set aside.
 */
export function rejudgeStoredFindings(db: CaseDb): StoredFindingCounts & { suppressed: number } {
  restoreSetAside(db);
  const counts = storedFindingCounts(db);
  return { ...counts, suppressed: applyVerdicts(db) };
}
