import type { CallOutput, ParsedInput } from '../../shared/contract/define.js';
import type {
  AttackListItem,
  DetectionInfo,
  detectCalls,
  FpMarkInfo,
  FpMarkResult,
} from '../../shared/contract/detectApi.js';
import { AppError } from '../../shared/contract/errors.js';
import { rebuildDetections } from '../analysis/rebuildDetections.js';
import { ATTACKS_WHERE, attackSummaries } from '../query/attackSummaries.js';
import { audit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';
import type { ApiContext } from './context.js';
import type { HandlersFor } from './handlerTypes.js';
import { rebuildJobsFor } from './rebuildJobs.js';

type Calls = typeof detectCalls;
type ListInput = NonNullable<ParsedInput<Calls['listAttacks']>>;

const FINDING_COLS = `d.id, d.request_id AS requestId, d.type, d.rule_id AS ruleId, d.source,
  d.location, d.param, d.part, d.frag_start AS start, d.frag_end AS "end", d.basis, d.fragment`;

/** A counted finding may still carry a true-positive mark (false positives are elsewhere). */
const TP_MARK = `(SELECT min(m.id) FROM detection_marks m WHERE m.request_id = d.request_id
  AND m.rule_id = d.rule_id AND (m.param IS NULL OR m.param = d.param)
  AND m.verdict = 'true_positive')`;

const DETECTION_COLS = `${FINDING_COLS}, ${TP_MARK} AS markId,
  CASE WHEN ${TP_MARK} IS NULL THEN NULL ELSE 'true_positive' END AS verdict,
  NULL AS ruleRef, (SELECT note FROM detection_marks WHERE id = ${TP_MARK}) AS verdictNote`;

/** Attacks in the case: per type, per type and endpoint, and a page of findings by id. */
export function listAttacks(db: CaseDb, input: ListInput | undefined) {
  const type = input?.type ?? null;
  const source = input?.source ?? null;
  const limit = input?.limit ?? 100;
  const after = input?.cursor !== undefined ? Number(input.cursor) : 0;
  const items = db
    .prepare(
      `SELECT ${DETECTION_COLS}, r.ts_us AS tsUs, r.method, r.path
       FROM detections d JOIN requests r ON r.id = d.request_id
       WHERE ${ATTACKS_WHERE} AND d.id > @after ORDER BY d.id LIMIT @limit`,
    )
    .all({ type, source, after, limit: limit + 1 }) as AttackListItem[];
  const more = items.length > limit;
  if (more) items.pop();
  return {
    ...(input?.summaries === false
      ? { types: [], groups: [], groupsTotal: 0 }
      : attackSummaries(db, type, source, input?.groupLimit ?? 200, input?.groupOffset ?? 0)),
    items,
    nextCursor: more ? String(items[items.length - 1]!.id) : null,
  };
}

/**
 * Every finding on one request, counted ones and false positives alike, each with its verdict:
 * engine and custom findings first, then source labels, in stored order.
 */
export function requestDetections(db: CaseDb, requestId: number): DetectionInfo[] {
  return db
    .prepare(
      `SELECT * FROM (
         SELECT ${DETECTION_COLS} FROM detections d
         WHERE d.request_id = @requestId
         UNION ALL
         SELECT ${FINDING_COLS}, d.mark_id AS markId, 'false_positive' AS verdict,
           d.rule_ref AS ruleRef,
           coalesce((SELECT note FROM detection_marks WHERE id = d.mark_id),
                    (SELECT note FROM rules WHERE id = d.rule_ref)) AS verdictNote
         FROM fp_detections d WHERE d.request_id = @requestId)
       ORDER BY source = 'source-label', id`,
    )
    .all({ requestId }) as DetectionInfo[];
}

/** Engine findings counted in the case (false positives excluded). */
export function engineCount(db: CaseDb): number {
  return (
    db.prepare("SELECT count(*) AS n FROM detections WHERE source = 'engine'").get() as {
      n: number;
    }
  ).n;
}

/**
 * Records a false-positive mark on one request (audited) and re-judges the findings, so detections and the
 * counts derived from them leave the marked findings out. The older spelling of
 * markDetection with scope 'request' (rulesHandlers.ts), kept with its audit action.
 */
export function markFalsePositive(
  db: CaseDb,
  mark: { ruleId: string; requestId: number; param?: string; note?: string },
): FpMarkResult {
  if (db.prepare('SELECT 1 FROM requests WHERE id = ?').get(mark.requestId) === undefined) {
    throw new AppError('NOT_FOUND', `No request ${mark.requestId} in this case`);
  }
  const id = db.transaction(() => {
    const newId = db
      .prepare(
        `INSERT INTO detection_marks (request_id, rule_id, param, verdict, note, created_at)
         VALUES (?, ?, ?, 'false_positive', ?, ?)`,
      )
      .run(
        mark.requestId,
        mark.ruleId,
        mark.param ?? null,
        mark.note ?? null,
        new Date().toISOString(),
      ).lastInsertRowid as number;
    audit(db, 'detection.fp-mark', { id: newId, ...mark });
    return newId;
  })();
  rebuildDetections(db, 'marks');
  return { id, detections: engineCount(db) };
}

export function unmarkFalsePositive(db: CaseDb, id: number): FpMarkResult {
  const removed = db.transaction(() => {
    const n = db
      .prepare("DELETE FROM detection_marks WHERE id = ? AND verdict = 'false_positive'")
      .run(id).changes;
    if (n > 0) audit(db, 'detection.fp-unmark', { id });
    return n > 0;
  })();
  if (!removed) throw new AppError('NOT_FOUND', `No false-positive mark ${id}`);
  rebuildDetections(db, 'marks');
  return { id, detections: engineCount(db) };
}

export function listFpMarks(db: CaseDb): FpMarkInfo[] {
  return db
    .prepare(
      `SELECT id, rule_id AS ruleId, request_id AS requestId, param, note, created_at AS createdAt
       FROM detection_marks WHERE verdict = 'false_positive' ORDER BY id`,
    )
    .all() as FpMarkInfo[];
}

export const detectDbHandlers: {
  [K in keyof Calls]: (db: CaseDb, input: ParsedInput<Calls[K]>) => CallOutput<Calls[K]>;
} = {
  listAttacks: (db, input) => listAttacks(db, input),
  requestDetections: (db, input) => requestDetections(db, input.requestId),
  markFalsePositive: (db, input) => markFalsePositive(db, input),
  unmarkFalsePositive: (db, input) => unmarkFalsePositive(db, input.id),
  listFalsePositiveMarks: (db) => listFpMarks(db),
};

/** The same handlers bound to the shell's open case, for the dispatcher. */
/** The open case for a mark: refused while a full rebuild holds the write lock on its worker. */
function writableCase(ctx: ApiContext): CaseDb {
  rebuildJobsFor(ctx.events).assertIdle('mark a false positive');
  return ctx.state.requireCase().db;
}

export const detectHandlers: HandlersFor<Calls> = {
  listAttacks: (input, ctx: ApiContext) =>
    detectDbHandlers.listAttacks(ctx.state.requireCase().db, input),
  requestDetections: (input, ctx: ApiContext) =>
    detectDbHandlers.requestDetections(ctx.state.requireCase().db, input),
  markFalsePositive: (input, ctx: ApiContext) =>
    detectDbHandlers.markFalsePositive(writableCase(ctx), input),
  unmarkFalsePositive: (input, ctx: ApiContext) =>
    detectDbHandlers.unmarkFalsePositive(writableCase(ctx), input),
  listFalsePositiveMarks: (input, ctx: ApiContext) =>
    detectDbHandlers.listFalsePositiveMarks(ctx.state.requireCase().db, input),
};
