import { templatePath } from '../../shared/analysis/pathTemplate.js';
import type { AttackGroup, AttackTypeSummary } from '../../shared/contract/detectApi.js';
import type { CaseDb } from '../store/openCase.js';

/** `(? IS NULL OR col = ?)` keeps one prepared statement for filtered and unfiltered reads. */
export const ATTACKS_WHERE = `(@type IS NULL OR d.type = @type) AND (@source IS NULL OR d.source = @source)`;

function typeSummaries(
  db: CaseDb,
  type: string | null,
  source: string | null,
): AttackTypeSummary[] {
  return db
    .prepare(
      `SELECT d.type, count(DISTINCT d.request_id) AS requests, count(*) AS detections,
         sum(d.source = 'engine') AS engine, sum(d.source = 'source-label') AS sourceLabel,
         sum(d.source = 'custom') AS custom
       FROM detections d WHERE ${ATTACKS_WHERE} GROUP BY d.type ORDER BY detections DESC, d.type`,
    )
    .all({ type, source }) as AttackTypeSummary[];
}

function groups(
  db: CaseDb,
  type: string | null,
  source: string | null,
  limit: number,
): AttackGroup[] {
  // Grouped by raw path in SQL, then merged per path template here: a request has one path, so
  // the requests of two paths never overlap and their counts add up. (Templating every finding
  // in JS cost 5 s on 1.2 million findings.)
  const rows = db
    .prepare(
      `SELECT d.type, r.method, r.path, count(*) AS detections,
         count(DISTINCT d.request_id) AS requests, min(d.request_id) AS exampleRequestId,
         json_group_array(DISTINCT d.rule_id) AS rules
       FROM detections d JOIN requests r ON r.id = d.request_id
       WHERE ${ATTACKS_WHERE} GROUP BY d.type, r.method, r.path`,
    )
    .iterate({ type, source }) as IterableIterator<{
    type: string;
    method: string | null;
    path: string | null;
    detections: number;
    requests: number;
    exampleRequestId: number;
    rules: string;
  }>;
  const byKey = new Map<string, AttackGroup & { ruleSet: Set<string> }>();
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
        exampleRequestId: r.exampleRequestId,
        ruleSet: new Set(),
      };
      byKey.set(key, g);
    }
    g.detections += r.detections;
    g.requests += r.requests;
    for (const rule of JSON.parse(r.rules) as string[]) g.ruleSet.add(rule);
    if (r.exampleRequestId < g.exampleRequestId) g.exampleRequestId = r.exampleRequestId;
  }
  return [...byKey.values()]
    .map(({ ruleSet, ...g }) => ({ ...g, rules: [...ruleSet].sort() }))
    .sort(
      (a, b) =>
        b.requests - a.requests ||
        a.type.localeCompare(b.type) ||
        a.endpoint.localeCompare(b.endpoint) ||
        (a.method ?? '').localeCompare(b.method ?? ''),
    )
    .slice(0, limit);
}

export interface AttackSummaries {
  types: AttackTypeSummary[];
  groups: AttackGroup[];
}

/** Summaries kept per connection, with the audit entry they were counted after. */
interface Kept {
  generation: number;
  byInput: Map<string, AttackSummaries>;
}

const kept = new WeakMap<CaseDb, Kept>();

/** Inputs kept per connection: the views ask for a few (all types, one type). */
const MAX_KEPT = 8;

/**
 * The case's last audit entry. Every change to the findings (an import's rebuild, a rebuild,
 * a mark, a rule) commits with an audit entry, so findings counted after the same entry are
 * the same findings.
 */
function generation(db: CaseDb): number {
  return (db.prepare('SELECT coalesce(max(id), 0) AS g FROM audit_log').get() as { g: number }).g;
}

/**
 * The attacks per type and per type and endpoint, counted over every finding (1.2M findings:
 * 2.9 s) once per state of the findings: asked again with no change since (the attacks view
 * opened again, a page of findings), they are the ones counted before.
 */
export function attackSummaries(
  db: CaseDb,
  type: string | null,
  source: string | null,
  groupLimit: number,
): AttackSummaries {
  const g = generation(db);
  let k = kept.get(db);
  if (k === undefined || k.generation !== g)
    kept.set(db, (k = { generation: g, byInput: new Map() }));
  const input = JSON.stringify([type, source, groupLimit]);
  let s = k.byInput.get(input);
  if (s === undefined) {
    s = { types: typeSummaries(db, type, source), groups: groups(db, type, source, groupLimit) };
    if (k.byInput.size >= MAX_KEPT) k.byInput.delete(k.byInput.keys().next().value!);
    k.byInput.set(input, s);
  }
  // A copy: what a caller does with its answer must not change the next one's.
  return structuredClone(s);
}
