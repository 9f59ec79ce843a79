import type { ParsedInput } from '../../shared/contract/define.js';
import { AppError } from '../../shared/contract/errors.js';
import type {
  DetectionMarkInfo,
  MarkResult,
  RuleChangeResult,
  rulesCalls,
} from '../../shared/contract/rulesApi.js';
import type { RuleInfo, RuleInput, RuleKind } from '../../shared/rules/ruleModel.js';
import type { RebuildOptions } from '../analysis/rebuild.js';
import { rebuildDetections, type PartialKind } from '../analysis/rebuildDetections.js';
import { patternRuleProblem } from '../analysis/ruleVerdicts.js';
import { audit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';

type Calls = typeof rulesCalls;
export type MarkInput = ParsedInput<Calls['markDetection']>;
export type RuleUpdate = ParsedInput<Calls['updateRule']>;
/** Progress and cancel for the re-derivation a change runs (a rule change job on a worker). */
export type ChangeOptions = Omit<RebuildOptions, 'steps' | 'kind'>;

const RULE_COLS = `id, kind, enabled, scope, rule_id AS ruleId, type, method, host, template,
  param, field, field_name AS fieldName, match, pattern, label, note, created_at AS createdAt,
  updated_at AS updatedAt`;

type RuleRow = Omit<RuleInfo, 'enabled' | 'endpoint' | 'notApplied'> & {
  enabled: number;
  method: string | null;
  host: string | null;
  template: string | null;
};

function toInfo({ method, host, template, enabled, ...r }: RuleRow): RuleInfo {
  return {
    ...r,
    enabled: enabled === 1,
    endpoint:
      method !== null && host !== null && template !== null ? { method, host, template } : null,
    notApplied: enabled === 1 ? notApplied(r) : null,
  };
}

/** Why the rebuild leaves an enabled pattern rule out (ruleVerdicts.compilePatternRules). */
function notApplied(
  r: Pick<RuleRow, 'kind' | 'field' | 'fieldName' | 'match' | 'pattern'>,
): string | null {
  if (r.kind === 'suppress' || r.field === null || r.match === null || r.pattern === null) {
    return null;
  }
  return patternRuleProblem({
    field: r.field,
    fieldName: r.fieldName,
    match: r.match,
    pattern: r.pattern,
  });
}

export function listRules(db: CaseDb, kind?: RuleKind): RuleInfo[] {
  const rows = db
    .prepare(`SELECT ${RULE_COLS} FROM rules WHERE (? IS NULL OR kind = ?) ORDER BY id`)
    .all(kind ?? null, kind ?? null) as RuleRow[];
  return rows.map(toInfo);
}

function getRule(db: CaseDb, id: number): RuleInfo {
  const row = db.prepare(`SELECT ${RULE_COLS} FROM rules WHERE id = ?`).get(id) as
    RuleRow | undefined;
  if (row === undefined) throw new AppError('NOT_FOUND', `No rule ${id} in this case`);
  return toInfo(row);
}

/** A rule definition as the columns of `rules` (absent parts are null). */
function columns(r: RuleInput) {
  const base = {
    kind: r.kind,
    scope: null as string | null,
    rule_id: null as string | null,
    type: null as string | null,
    method: null as string | null,
    host: null as string | null,
    template: null as string | null,
    param: null as string | null,
    field: null as string | null,
    field_name: null as string | null,
    match: null as string | null,
    pattern: null as string | null,
    label: null as string | null,
  };
  switch (r.kind) {
    case 'suppress':
      return {
        ...base,
        scope: r.scope,
        rule_id: r.ruleId ?? null,
        type: r.type ?? null,
        method: r.endpoint?.method ?? null,
        host: r.endpoint?.host ?? null,
        template: r.endpoint?.template ?? null,
        param: r.param ?? null,
      };
    case 'detect':
    case 'tag':
      return {
        ...base,
        field: r.field,
        field_name: r.fieldName ?? null,
        match: r.match,
        pattern: r.pattern,
        type: r.kind === 'detect' ? r.type : null,
        label: r.kind === 'tag' ? r.label : null,
      };
  }
}

/** Inserts a rule and audits it, without rebuilding (callers rebuild once). */
export function recordRule(db: CaseDb, r: RuleInput, extra: Record<string, unknown> = {}): number {
  return db.transaction(() => {
    const now = new Date().toISOString();
    const c = columns(r);
    const id = db
      .prepare(
        `INSERT INTO rules (kind, enabled, scope, rule_id, type, method, host, template, param,
           field, field_name, match, pattern, label, note, created_at, updated_at)
         VALUES (@kind, @enabled, @scope, @rule_id, @type, @method, @host, @template, @param,
           @field, @field_name, @match, @pattern, @label, @note, @now, @now)`,
      )
      .run({ ...c, enabled: r.enabled === false ? 0 : 1, note: r.note ?? null, now })
      .lastInsertRowid as number;
    audit(db, 'rule.add', { id, ...r, ...extra });
    return id;
  })();
}

/** What a change to a rule of this kind needs re-derived: suppress rules only re-judge. */
export function partialFor(kind: RuleKind): PartialKind {
  return kind === 'suppress' ? 'marks' : 'detections';
}

/**
 * Re-derives what the change can alter (rebuildDetections.ts; `marks` after a mark or a
 * suppress rule) and reports the counts it left.
 */
export function afterChange(
  db: CaseDb,
  id: number,
  partial: PartialKind = 'detections',
  opts: ChangeOptions = {},
): RuleChangeResult {
  rebuildDetections(db, partial, opts);
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    id,
    detections: n('SELECT count(*) AS n FROM detections'),
    falsePositives: n('SELECT count(*) AS n FROM fp_detections'),
  };
}

export function addRule(db: CaseDb, r: RuleInput, opts: ChangeOptions = {}): RuleChangeResult {
  return afterChange(db, recordRule(db, r), partialFor(r.kind), opts);
}

export function recordRuleUpdate(db: CaseDb, u: RuleUpdate): void {
  db.transaction(() => {
    const before = getRule(db, u.id);
    if (u.rule !== undefined && u.rule.kind !== before.kind) {
      throw new AppError('BAD_INPUT', `Rule ${u.id} is a ${before.kind} rule; its kind stays`);
    }
    const now = new Date().toISOString();
    if (u.rule !== undefined) {
      db.prepare(
        `UPDATE rules SET scope = @scope, rule_id = @rule_id, type = @type, method = @method,
           host = @host, template = @template, param = @param, field = @field,
           field_name = @field_name, match = @match, pattern = @pattern, label = @label,
           updated_at = @now WHERE id = @id`,
      ).run({ ...columns(u.rule), now, id: u.id });
    }
    const enabled = u.enabled ?? u.rule?.enabled;
    if (enabled !== undefined)
      db.prepare('UPDATE rules SET enabled = ?, updated_at = ? WHERE id = ?').run(
        enabled ? 1 : 0,
        now,
        u.id,
      );
    const note = u.note ?? u.rule?.note;
    if (note !== undefined)
      db.prepare('UPDATE rules SET note = ?, updated_at = ? WHERE id = ?').run(note, now, u.id);
    // `enable`/`disable` read better in the trail than an update with one field.
    const action =
      u.rule === undefined && note === undefined && enabled !== undefined
        ? enabled
          ? 'rule.enable'
          : 'rule.disable'
        : 'rule.update';
    audit(db, action, { ...u, before });
  })();
}

export function updateRule(db: CaseDb, u: RuleUpdate, opts: ChangeOptions = {}): RuleChangeResult {
  recordRuleUpdate(db, u);
  return afterChange(db, u.id, partialFor(getRule(db, u.id).kind), opts);
}

export function recordRuleDelete(db: CaseDb, id: number): void {
  db.transaction(() => {
    const before = getRule(db, id);
    db.prepare('DELETE FROM rules WHERE id = ?').run(id);
    audit(db, 'rule.delete', { id, rule: before });
  })();
}

export function deleteRule(db: CaseDb, id: number, opts: ChangeOptions = {}): RuleChangeResult {
  const { kind } = getRule(db, id);
  recordRuleDelete(db, id);
  return afterChange(db, id, partialFor(kind), opts);
}

interface Finding {
  requestId: number;
  ruleId: string;
  type: string;
  param: string | null;
  source: string;
}

function findingById(db: CaseDb, id: number): Finding {
  const sql = (table: string) =>
    `SELECT request_id AS requestId, rule_id AS ruleId, type, param, source FROM ${table}
     WHERE id = ?`;
  const f = (db.prepare(sql('detections')).get(id) ?? db.prepare(sql('fp_detections')).get(id)) as
    Finding | undefined;
  if (f === undefined) {
    throw new AppError('NOT_FOUND', `No finding ${id} in this case (the list may be out of date)`);
  }
  return f;
}

/**
 * Records a verdict on a finding, without rebuilding. On the request, it replaces any earlier
 * verdict on the same finding; with a rule scope it becomes a suppress rule limited to the
 * finding's endpoint and parameter unless widened.
 */
export function recordMark(
  db: CaseDb,
  m: MarkInput,
): { markId: number | null; ruleRef: number | null } {
  const f = findingById(db, m.detectionId);
  if (m.scope === 'request') {
    return db.transaction(() => {
      const replaced = db
        .prepare(
          `DELETE FROM detection_marks WHERE request_id = ? AND rule_id = ? AND param IS ?
           RETURNING id`,
        )
        .all(f.requestId, f.ruleId, f.param) as { id: number }[];
      const markId = db
        .prepare(
          `INSERT INTO detection_marks (request_id, rule_id, param, verdict, note, created_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(f.requestId, f.ruleId, f.param, m.verdict, m.note ?? null, new Date().toISOString())
        .lastInsertRowid as number;
      audit(db, 'detection.mark', {
        id: markId,
        requestId: f.requestId,
        ruleId: f.ruleId,
        param: f.param,
        verdict: m.verdict,
        ...(m.note !== undefined ? { note: m.note } : {}),
        ...(replaced.length > 0 ? { replaced: replaced.map((r) => r.id) } : {}),
      });
      return { markId, ruleRef: null };
    })();
  }
  if (f.source === 'source-label' && m.scope !== 'signature') {
    // Type and all-types rules leave source labels alone (applyVerdicts), so refuse rather
    // than record a rule that would not hide this finding.
    throw new AppError('BAD_INPUT', "A source's label is marked on its request or by signature");
  }
  const endpoint = m.anyEndpoint
    ? undefined
    : (db
        .prepare(
          `SELECT e.method, e.host, e.template FROM request_facts f
           JOIN endpoints e ON e.id = f.endpoint_id WHERE f.request_id = ?`,
        )
        .get(f.requestId) as { method: string; host: string; template: string } | undefined);
  if (!m.anyEndpoint && endpoint === undefined) {
    throw new AppError('BAD_INPUT', 'The request has no endpoint yet: rebuild the analysis first');
  }
  const rule: RuleInput = {
    kind: 'suppress',
    scope: m.scope,
    ...(m.scope === 'signature' ? { ruleId: f.ruleId } : {}),
    ...(m.scope === 'type' ? { type: f.type } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(!m.anyParam && f.param !== null ? { param: f.param } : {}),
    ...(m.note !== undefined ? { note: m.note } : {}),
  };
  // Marking the same finding the same way again (a script re-run, a double click) names the
  // rule already there instead of adding a second one that a single undo would leave behind.
  const same = enabledTwin(db, rule);
  if (same !== null) return { markId: null, ruleRef: same };
  const ruleRef = recordRule(db, rule, { fromRequest: f.requestId, fromRule: f.ruleId });
  return { markId: null, ruleRef };
}

/**
 * The oldest enabled rule defined exactly as `r` (its note aside), or null. Hosts compare as
 * endpoints do (hostKey: A–Z folded, as NOCASE folds them), so a rule saved under a
 * capitalised host before endpoints were folded is the same rule.
 */
function enabledTwin(db: CaseDb, r: RuleInput): number | null {
  const c = columns(r);
  const id = db
    .prepare(
      `SELECT id FROM rules WHERE enabled = 1 AND kind = @kind AND scope IS @scope
         AND rule_id IS @rule_id AND type IS @type AND method IS @method AND host IS @host COLLATE NOCASE
         AND template IS @template AND param IS @param AND field IS @field
         AND field_name IS @field_name AND match IS @match AND pattern IS @pattern
         AND label IS @label
       ORDER BY id LIMIT 1`,
    )
    .pluck()
    .get(c) as number | undefined;
  return id ?? null;
}

export function markDetection(db: CaseDb, m: MarkInput): MarkResult {
  const r = recordMark(db, m);
  return { ...afterChange(db, r.markId ?? r.ruleRef!, 'marks'), ...r };
}

/** Removes a per-request mark, without rebuilding; false when there is none. */
export function recordUnmark(db: CaseDb, markId: number): boolean {
  return db.transaction(() => {
    const gone = db.prepare('DELETE FROM detection_marks WHERE id = ? RETURNING *').get(markId) as
      Record<string, unknown> | undefined;
    if (gone === undefined) return false;
    audit(db, 'detection.unmark', {
      id: markId,
      requestId: gone['request_id'],
      ruleId: gone['rule_id'],
      verdict: gone['verdict'],
    });
    return true;
  })();
}

export function unmarkDetection(db: CaseDb, markId: number): RuleChangeResult {
  if (!recordUnmark(db, markId)) throw new AppError('NOT_FOUND', `No mark ${markId} in this case`);
  return afterChange(db, markId, 'marks');
}

export function listDetectionMarks(db: CaseDb, requestId?: number): DetectionMarkInfo[] {
  return db
    .prepare(
      `SELECT id, request_id AS requestId, rule_id AS ruleId, param, verdict, note,
         created_at AS createdAt FROM detection_marks
       WHERE (? IS NULL OR request_id = ?) ORDER BY id`,
    )
    .all(requestId ?? null, requestId ?? null) as DetectionMarkInfo[];
}

export const rulesDbHandlers = {
  listRules: (db: CaseDb, input: ParsedInput<Calls['listRules']>) => listRules(db, input?.kind),
  addRule: (db: CaseDb, input: ParsedInput<Calls['addRule']>) => addRule(db, input),
  updateRule: (db: CaseDb, input: RuleUpdate) => updateRule(db, input),
  deleteRule: (db: CaseDb, input: ParsedInput<Calls['deleteRule']>) => deleteRule(db, input.id),
  markDetection: (db: CaseDb, input: MarkInput) => markDetection(db, input),
  unmarkDetection: (db: CaseDb, input: ParsedInput<Calls['unmarkDetection']>) =>
    unmarkDetection(db, input.markId),
  listDetectionMarks: (db: CaseDb, input: ParsedInput<Calls['listDetectionMarks']>) =>
    listDetectionMarks(db, input?.requestId),
};

/** The rule changes that can re-derive detections, by call name (a rebuild job carries one). */
export const ruleChanges = {
  addRule: (db: CaseDb, input: ParsedInput<Calls['addRule']>, opts?: ChangeOptions) =>
    addRule(db, input, opts),
  updateRule: (db: CaseDb, input: RuleUpdate, opts?: ChangeOptions) => updateRule(db, input, opts),
  deleteRule: (db: CaseDb, input: ParsedInput<Calls['deleteRule']>, opts?: ChangeOptions) =>
    deleteRule(db, input.id, opts),
};
export type RuleChangeCall = keyof typeof ruleChanges;

/** A rule change as a rebuild job carries it to the worker (the input passed its schema). */
export interface RuleChangeJob {
  call: RuleChangeCall;
  input: unknown;
}

/**
 * True when the change scans the requests again (a detect or tag rule: seconds on a large
 * case), false when it only re-judges stored findings (a suppress rule).
 */
export function changeScansRequests(db: CaseDb, change: RuleChangeJob): boolean {
  const kind =
    change.call === 'addRule'
      ? (change.input as RuleInput).kind
      : getRule(db, (change.input as { id: number }).id).kind;
  return partialFor(kind) === 'detections';
}

/**
 * Records the change and re-derives what it alters in one transaction: cancelled or failed,
 * neither the rule nor any derived row has changed.
 */
export function runRuleChange(
  db: CaseDb,
  change: RuleChangeJob,
  opts: ChangeOptions = {},
): RuleChangeResult {
  const run = ruleChanges[change.call] as (
    d: CaseDb,
    input: unknown,
    o?: ChangeOptions,
  ) => RuleChangeResult;
  return db.transaction(() => run(db, change.input, opts))();
}
