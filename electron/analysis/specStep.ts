import { compareWithSpecs, type ObservedEndpoint } from '../../shared/spec/specStatus.js';
import { loadedSpecs } from '../spec/specsRepo.js';
import type { CaseDb } from '../store/openCase.js';
import type { RebuildContext, RebuildStep } from './rebuildContext.js';

export interface SpecStatusSummary {
  specs: number;
  documented: number;
  shadow: number;
  zombie: number;
  orphans: number;
}

/**
 * The summary applySpecStatus gave when it last ran (a rebuild or a spec load), read from the
 * tables it wrote: listing the findings then needs no write to the case.
 */
export function readSpecStatus(db: CaseDb): SpecStatusSummary {
  const counts = db
    .prepare('SELECT status, count(*) AS n FROM endpoint_spec_status GROUP BY status')
    .all() as { status: string; n: number }[];
  const of = (status: string): number => counts.find((c) => c.status === status)?.n ?? 0;
  const orphans = db.prepare('SELECT count(*) AS n FROM spec_orphans').get() as { n: number };
  return {
    specs: loadedSpecs(db).length,
    documented: of('documented'),
    shadow: of('shadow'),
    zombie: of('zombie'),
    orphans: orphans.n,
  };
}

/**
 * Marks every endpoint documented / shadow / zombie against the loaded specs and lists the
 * spec operations nothing called. Reads the endpoints table, so it runs after the write step;
 * with no spec loaded both tables stay empty (status unknown, not "shadow").
 */
export function applySpecStatus(db: CaseDb): SpecStatusSummary {
  db.exec('DELETE FROM endpoint_spec_status; DELETE FROM spec_orphans;');
  const specs = loadedSpecs(db);
  const summary: SpecStatusSummary = {
    specs: specs.length,
    documented: 0,
    shadow: 0,
    zombie: 0,
    orphans: 0,
  };
  if (specs.length === 0) return summary;
  const endpoints = (
    db
      .prepare('SELECT eid, method, host, template, status_mix FROM endpoints ORDER BY id')
      .all() as {
      eid: string;
      method: string;
      host: string;
      template: string;
      status_mix: string;
    }[]
  ).map((e): ObservedEndpoint & { eid: string } => ({
    eid: e.eid,
    method: e.method,
    host: e.host,
    template: e.template,
    answered: Object.keys(JSON.parse(e.status_mix) as object).some((k) => k !== '404' && k !== '-'),
  }));
  const result = compareWithSpecs(specs, endpoints);
  const insert = db.prepare(
    `INSERT INTO endpoint_spec_status
       (eid, method, host, template, status, reason, spec_id, spec_method, spec_path)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  endpoints.forEach((e, i) => {
    const v = result.verdicts[i]!;
    summary[v.status]++;
    insert.run(
      e.eid,
      e.method,
      e.host,
      e.template,
      v.status,
      v.reason,
      v.specId,
      v.specMethod,
      v.specPath,
    );
  });
  const orphan = db.prepare(
    'INSERT INTO spec_orphans (spec_id, method, path_template, deprecated) VALUES (?, ?, ?, ?)',
  );
  for (const o of result.orphans)
    orphan.run(o.specId, o.method, o.pathTemplate, o.deprecated ? 1 : 0);
  summary.orphans = result.orphans.length;
  return summary;
}

export const specStep: RebuildStep = {
  name: 'specs',
  order: 80,
  run(ctx: RebuildContext) {
    const s = applySpecStatus(ctx.db);
    ctx.stats.specShadow = s.shadow;
    ctx.stats.specZombie = s.zombie;
    ctx.stats.specOrphans = s.orphans;
  },
};
