import type { CallOutput, ParsedInput } from '../../shared/contract/define.js';
import type { EndpointRiskItem, SpecOverview, specCalls } from '../../shared/contract/specApi.js';
import { applyRisk } from '../analysis/riskStep.js';
import { applySpecStatus } from '../analysis/specStep.js';
import { loadSpecFile } from '../spec/loadSpec.js';
import { listSpecs } from '../spec/specsRepo.js';
import type { CaseDb } from '../store/openCase.js';
import type { ApiContext } from './context.js';
import { rebuildJobsFor } from './rebuildJobs.js';
import type { HandlersFor } from './handlerTypes.js';

type Calls = typeof specCalls;

export function specOverview(db: CaseDb): SpecOverview {
  const counts = db
    .prepare(
      `SELECT coalesce(sum(status = 'documented'), 0) AS documented,
              coalesce(sum(status = 'shadow'), 0) AS shadow,
              coalesce(sum(reason = 'not-found'), 0) AS probes,
              coalesce(sum(status = 'zombie'), 0) AS zombie,
              (SELECT count(*) FROM spec_orphans) AS orphans
       FROM endpoint_spec_status`,
    )
    .get() as SpecOverview['counts'];
  const findings = db
    .prepare(
      `SELECT eid, method, host, template, status, reason, spec_path AS specPath
       FROM endpoint_spec_status WHERE status != 'documented'
       ORDER BY status, host, template, method`,
    )
    .all() as SpecOverview['findings'];
  const orphans = (
    db
      .prepare(
        `SELECT spec_id AS specId, method, path_template AS pathTemplate, deprecated
         FROM spec_orphans ORDER BY spec_id, path_template, method`,
      )
      .all() as (Omit<SpecOverview['orphans'][number], 'deprecated'> & { deprecated: number })[]
  ).map((o) => ({ ...o, deprecated: o.deprecated === 1 }));
  const specs = listSpecs(db).map((s) => ({
    id: s.id,
    file: s.file,
    sha256: s.sha256,
    title: s.title,
    version: s.version,
    kind: s.kind,
    loadedAt: s.loadedAt,
    operations: s.operations,
    unresolvedRefs: s.unresolvedRefs,
  }));
  return { specs, counts, findings, orphans };
}

/** Loads a spec and refreshes spec status and risk at once, so the UI shows the result. */
export async function loadSpecAndRefresh(
  db: CaseDb,
  file: string,
  force: boolean,
): Promise<SpecOverview> {
  await loadSpecFile(db, file, { force });
  db.transaction(() => {
    applySpecStatus(db);
    applyRisk(db);
  })();
  return specOverview(db);
}

export function listEndpointRisk(
  db: CaseDb,
  input: ParsedInput<Calls['listEndpointRisk']>,
): EndpointRiskItem[] {
  const rows = db
    .prepare(
      `SELECT r.eid, r.method, r.host, r.template, r.score, r.level, r.factors, s.status
       FROM endpoint_risk r LEFT JOIN endpoint_spec_status s ON s.eid = r.eid
       WHERE (? IS NULL OR r.level = ?)
       ORDER BY r.score DESC, r.host, r.template, r.method
       LIMIT ?`,
    )
    .all(input?.level ?? null, input?.level ?? null, input?.limit ?? 1000) as (Omit<
    EndpointRiskItem,
    'factors' | 'specStatus'
  > & { factors: string; status: EndpointRiskItem['specStatus'] })[];
  return rows.map(({ factors, status, ...r }) => ({
    ...r,
    factors: JSON.parse(factors) as EndpointRiskItem['factors'],
    specStatus: status ?? null,
  }));
}

export const specHandlers: HandlersFor<Calls> = {
  listSpecs: (_input, ctx: ApiContext): CallOutput<Calls['listSpecs']> =>
    specOverview(ctx.state.requireCase().db),
  loadSpec: (input, ctx: ApiContext) => {
    // It writes the case: refused at once while a rebuild holds it, not after the lock's wait.
    rebuildJobsFor(ctx.events).assertIdle('load a spec');
    return loadSpecAndRefresh(ctx.state.requireCase().db, input.path, input.force ?? false);
  },
  listEndpointRisk: (input, ctx: ApiContext) => listEndpointRisk(ctx.state.requireCase().db, input),
};
