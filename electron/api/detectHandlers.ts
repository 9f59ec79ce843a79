import { templatePath } from '../../shared/analysis/pathTemplate.js';
import type { CallOutput, ParsedInput } from '../../shared/contract/define.js';
import type {
  AttackGroup,
  AttackListItem,
  AttackTypeSummary,
  DetectionInfo,
  detectCalls,
} from '../../shared/contract/detectApi.js';
import type { CaseDb } from '../store/openCase.js';
import type { ApiContext } from './context.js';
import type { HandlersFor } from './handlerTypes.js';

type Calls = typeof detectCalls;
type ListInput = NonNullable<ParsedInput<Calls['listAttacks']>>;

const DETECTION_COLS = `d.id, d.request_id AS requestId, d.type, d.rule_id AS ruleId, d.source,
  d.location, d.param, d.part, d.frag_start AS start, d.frag_end AS "end", d.basis, d.fragment`;

/** `(? IS NULL OR col = ?)` keeps one prepared statement for filtered and unfiltered reads. */
const WHERE = `(@type IS NULL OR d.type = @type) AND (@source IS NULL OR d.source = @source)`;

function typeSummaries(
  db: CaseDb,
  type: string | null,
  source: string | null,
): AttackTypeSummary[] {
  return db
    .prepare(
      `SELECT d.type, count(DISTINCT d.request_id) AS requests, count(*) AS detections,
         sum(d.source = 'engine') AS engine, sum(d.source = 'source-label') AS sourceLabel
       FROM detections d WHERE ${WHERE} GROUP BY d.type ORDER BY detections DESC, d.type`,
    )
    .all({ type, source }) as AttackTypeSummary[];
}

function groups(
  db: CaseDb,
  type: string | null,
  source: string | null,
  limit: number,
): AttackGroup[] {
  const rows = db
    .prepare(
      `SELECT d.type, r.method, r.path, d.request_id AS requestId, d.rule_id AS ruleId
       FROM detections d JOIN requests r ON r.id = d.request_id
       WHERE ${WHERE} ORDER BY d.id`,
    )
    .iterate({ type, source }) as IterableIterator<{
    type: string;
    method: string | null;
    path: string | null;
    requestId: number;
    ruleId: string;
  }>;
  const byKey = new Map<string, AttackGroup & { requestSet: Set<number>; ruleSet: Set<string> }>();
  for (const r of rows) {
    const endpoint = templatePath(r.path);
    const key = `${r.type}\u0000${r.method ?? ''}\u0000${endpoint}`;
    let g = byKey.get(key);
    if (!g) {
      g = {
        type: r.type,
        method: r.method,
        endpoint,
        requests: 0,
        detections: 0,
        rules: [],
        exampleRequestId: r.requestId,
        requestSet: new Set(),
        ruleSet: new Set(),
      };
      byKey.set(key, g);
    }
    g.detections++;
    g.requestSet.add(r.requestId);
    g.ruleSet.add(r.ruleId);
    if (r.requestId < g.exampleRequestId) g.exampleRequestId = r.requestId;
  }
  return [...byKey.values()]
    .map(({ requestSet, ruleSet, ...g }) => ({
      ...g,
      requests: requestSet.size,
      rules: [...ruleSet].sort(),
    }))
    .sort(
      (a, b) =>
        b.requests - a.requests ||
        a.type.localeCompare(b.type) ||
        a.endpoint.localeCompare(b.endpoint) ||
        (a.method ?? '').localeCompare(b.method ?? ''),
    )
    .slice(0, limit);
}

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
       WHERE ${WHERE} AND d.id > @after ORDER BY d.id LIMIT @limit`,
    )
    .all({ type, source, after, limit: limit + 1 }) as AttackListItem[];
  const more = items.length > limit;
  if (more) items.pop();
  return {
    types: typeSummaries(db, type, source),
    groups: groups(db, type, source, input?.groupLimit ?? 200),
    items,
    nextCursor: more ? String(items[items.length - 1]!.id) : null,
  };
}

/** Every finding on one request, engine first, in rule order as stored. */
export function requestDetections(db: CaseDb, requestId: number): DetectionInfo[] {
  return db
    .prepare(
      `SELECT ${DETECTION_COLS} FROM detections d WHERE d.request_id = ?
       ORDER BY d.source = 'source-label', d.id`,
    )
    .all(requestId) as DetectionInfo[];
}

export const detectDbHandlers: {
  [K in keyof Calls]: (db: CaseDb, input: ParsedInput<Calls[K]>) => CallOutput<Calls[K]>;
} = {
  listAttacks: (db, input) => listAttacks(db, input),
  requestDetections: (db, input) => requestDetections(db, input.requestId),
};

/** The same handlers bound to the shell's open case, for the dispatcher. */
export const detectHandlers: HandlersFor<Calls> = {
  listAttacks: (input, ctx: ApiContext) =>
    detectDbHandlers.listAttacks(ctx.state.requireCase().db, input),
  requestDetections: (input, ctx: ApiContext) =>
    detectDbHandlers.requestDetections(ctx.state.requireCase().db, input),
};
