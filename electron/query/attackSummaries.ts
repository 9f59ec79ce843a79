import { templatePath } from '../../shared/analysis/pathTemplate.js';
import type { AttackGroup, AttackTypeSummary } from '../../shared/contract/detectApi.js';
import { auditGeneration } from '../store/auditLog.js';
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

/** A group's requests came from more than one host (a host is never null here: coalesced). */
const SEVERAL_HOSTS = null;

type Merged = AttackGroup & { ruleSet: Set<string>; host: string | null };

/** Every group, largest first, without its endpoint (looked up for the groups answered only). */
function sortedGroups(db: CaseDb, type: string | null, source: string | null): Merged[] {
  // Grouped by raw path in SQL, then merged per path template here: a request has one path, so
  // the requests of two paths never overlap and their counts add up. (Templating every finding
  // in JS cost 5 s on 1.2 million findings.) Hosts are compared as endpoints name them, A-Z in
  // lower case (SQLite's lower() folds only those, as hostKey does): `Shop.Example` and
  // `shop.example` are one host, so one endpoint.
  const rows = db
    .prepare(
      `SELECT d.type, r.method, r.path, count(*) AS detections,
         count(DISTINCT d.request_id) AS requests, min(d.request_id) AS exampleRequestId,
         json_group_array(DISTINCT d.rule_id) AS rules,
         min(lower(coalesce(r.host, ''))) AS hostMin, max(lower(coalesce(r.host, ''))) AS hostMax
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
    hostMin: string;
    hostMax: string;
  }>;
  const byKey = new Map<string, Merged>();
  for (const r of rows) {
    const endpoint = templatePath(r.path);
    const key = `${r.type}\u0000${r.method ?? ''}\u0000${endpoint}`;
    const host = r.hostMin === r.hostMax ? r.hostMin : SEVERAL_HOSTS;
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
        endpointId: null,
        endpointTemplate: null,
        ruleSet: new Set(),
        host,
      };
      byKey.set(key, g);
    }
    g.detections += r.detections;
    g.requests += r.requests;
    for (const rule of JSON.parse(r.rules) as string[]) g.ruleSet.add(rule);
    if (r.exampleRequestId < g.exampleRequestId) g.exampleRequestId = r.exampleRequestId;
    if (g.host !== host) g.host = SEVERAL_HOSTS;
  }
  return [...byKey.values()].sort(
    (a, b) =>
      b.requests - a.requests ||
      a.type.localeCompare(b.type) ||
      a.endpoint.localeCompare(b.endpoint) ||
      (a.method ?? '').localeCompare(b.method ?? ''),
  );
}

/** `limit` groups from `offset` in the sorted list, each with its endpoint. */
function groupPage(
  db: CaseDb,
  all: readonly Merged[],
  offset: number,
  limit: number,
): AttackGroup[] {
  const top = all.slice(offset, offset + limit);
  // One method, host and first-pass template make one endpoint (scanRows.ts keys raw endpoints
  // so, and endpointsStep.ts merges each into exactly one): any of the group's requests names
  // it. A path called on several hosts is several endpoints: none is named.
  const endpointOf = db.prepare(
    `SELECT e.eid AS endpointId, e.template AS endpointTemplate
     FROM keyed_facts f JOIN endpoints e ON e.id = f.endpoint_id WHERE f.request_id = ?`,
  );
  return top.map(({ ruleSet, host, ...g }) => {
    const e =
      host === SEVERAL_HOSTS
        ? undefined
        : (endpointOf.get(g.exampleRequestId) as
            { endpointId: string; endpointTemplate: string } | undefined);
    return { ...g, rules: [...ruleSet].sort(), ...e };
  });
}

export interface AttackSummaries {
  types: AttackTypeSummary[];
  groups: AttackGroup[];
  /** How many groups there are in all: `groups` holds at most the limit asked, largest first. */
  groupsTotal: number;
}

interface Counted {
  types: AttackTypeSummary[];
  groups: Merged[];
}

/** Summaries kept per connection, with the audit entry they were counted after. */
interface Kept {
  generation: number;
  byInput: Map<string, Counted>;
}

const kept = new WeakMap<CaseDb, Kept>();

/** Inputs kept per connection: the views ask for a few (all types, one type). */
const MAX_KEPT = 8;

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
  groupOffset = 0,
): AttackSummaries {
  const g = auditGeneration(db);
  let k = kept.get(db);
  if (k === undefined || k.generation !== g)
    kept.set(db, (k = { generation: g, byInput: new Map() }));
  // Every group is kept (sorted), so the next page of groups is a slice, not a recount.
  const input = JSON.stringify([type, source]);
  let s = k.byInput.get(input);
  if (s === undefined) {
    s = { types: typeSummaries(db, type, source), groups: sortedGroups(db, type, source) };
    if (k.byInput.size >= MAX_KEPT) k.byInput.delete(k.byInput.keys().next().value!);
    k.byInput.set(input, s);
  }
  // Copies: what a caller does with its answer must not change the next one's.
  return {
    types: structuredClone(s.types),
    groups: groupPage(db, s.groups, groupOffset, groupLimit),
    groupsTotal: s.groups.length,
  };
}
