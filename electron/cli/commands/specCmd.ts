import { applyRisk } from '../../analysis/riskStep.js';
import {
  applySpecStatus,
  readSpecStatus,
  type SpecStatusSummary,
} from '../../analysis/specStep.js';
import { openAnalysisCase } from '../analysisCase.js';
import { loadSpecFile, type LoadedSpecSummary } from '../../spec/loadSpec.js';
import { listSpecs } from '../../spec/specsRepo.js';
import { openCase, type CaseDb } from '../../store/openCase.js';
import { needPositionals, printJson, table, type CliIO, type Command } from '../command.js';
import { terminalText } from '../terminalText.js';

interface StatusRow {
  status: string;
  reason: string | null;
  method: string;
  host: string;
  template: string;
  spec_path: string | null;
}

interface OrphanRow {
  spec_id: number;
  method: string;
  path_template: string;
  deprecated: number;
}

function readFindings(
  db: CaseDb,
  all: boolean,
): { endpoints: StatusRow[]; orphans: OrphanRow[]; probes: number } {
  return {
    endpoints: db
      .prepare(
        `SELECT status, reason, method, host, template, spec_path FROM endpoint_spec_status
         WHERE status != 'documented' AND (? OR coalesce(reason, '') != 'not-found')
         ORDER BY status, host, template, method`,
      )
      .all(all ? 1 : 0) as StatusRow[],
    probes: (
      db
        .prepare("SELECT count(*) AS n FROM endpoint_spec_status WHERE reason = 'not-found'")
        .get() as { n: number }
    ).n,
    orphans: db
      .prepare(
        'SELECT spec_id, method, path_template, deprecated FROM spec_orphans ORDER BY spec_id, path_template, method',
      )
      .all() as OrphanRow[],
  };
}

export const specCommand: Command = {
  name: 'spec',
  usage: 'spec <case> [<openapi.(json|yaml)> ...] [--force] [--all] [--json]',
  summary:
    'load OpenAPI 3 / Swagger 2 files (offline) and list shadow, zombie and orphan endpoints',
  options: { force: { type: 'boolean' }, all: { type: 'boolean' }, json: { type: 'boolean' } },
  maxPositionals: Number.POSITIVE_INFINITY,
  async run(args, io) {
    needPositionals(args, 1, this.usage);
    const [caseFile, ...files] = args.positionals;
    // Listing only reads: the status is the one the last rebuild or spec load stored.
    const db =
      files.length === 0 ? openAnalysisCase(caseFile!, io) : openCase(caseFile!, { create: false });
    try {
      const loaded: LoadedSpecSummary[] = [];
      for (const f of files) loaded.push(await loadSpecFile(db, f, { force: !!args.values.force }));
      // Loading a spec changes spec status and risk; refresh both now rather than wait for
      // the next rebuild (they read only the endpoints the last rebuild wrote).
      const status =
        files.length === 0
          ? readSpecStatus(db)
          : db.transaction((): SpecStatusSummary => {
              const s = applySpecStatus(db);
              applyRisk(db);
              return s;
            })();
      const endpointCount = (
        db.prepare('SELECT count(*) AS n FROM endpoints').get() as { n: number }
      ).n;
      const findings = readFindings(db, !!args.values.all);
      if (args.values.json) {
        printJson(io, { loaded, specs: listSpecs(db), status, ...findings });
        return 0;
      }
      print(io, db, loaded, status, endpointCount, findings);
      return 0;
    } finally {
      db.close();
    }
  },
};

function print(
  io: CliIO,
  db: CaseDb,
  loaded: LoadedSpecSummary[],
  status: SpecStatusSummary,
  endpointCount: number,
  findings: ReturnType<typeof readFindings>,
): void {
  for (const l of loaded) {
    io.out(
      `loaded spec ${l.specId}: ${terminalText(l.title)} ${terminalText(l.version)} (${l.kind}, ${l.operations} operations, ${l.deprecated} deprecated)`,
    );
    if (l.unresolvedRefs.length > 0)
      io.out(
        `  unresolved external $refs (never fetched): ${terminalText(l.unresolvedRefs.join(', '))}`,
      );
  }
  const specs = listSpecs(db);
  if (specs.length === 0) {
    io.out('no spec loaded');
    return;
  }
  io.out(
    table(
      specs.map((s) => [s.id, s.title, s.version, s.kind, s.operations, s.file]),
      ['id', 'title', 'version', 'kind', 'operations', 'file'],
    ),
  );
  if (endpointCount === 0) {
    io.out('\nno endpoints yet: run `sessionscope rebuild` first, then the comparison is shown');
    return;
  }
  io.out(
    `\n${status.documented} documented, ${status.shadow} shadow, ${status.zombie} zombie endpoints; ${status.orphans} spec operations never called`,
  );
  if (findings.probes > 0 && !findings.endpoints.some((e) => e.reason === 'not-found'))
    io.out(`(${findings.probes} shadow paths only ever answered 404 — probes; --all lists them)`);
  io.out('');
  if (findings.endpoints.length > 0) {
    io.out(
      table(
        findings.endpoints.map((e) => [
          e.status,
          e.reason,
          e.method,
          e.host,
          e.template,
          e.spec_path,
        ]),
        ['status', 'reason', 'method', 'host', 'path', 'spec path'],
      ),
    );
  }
  if (findings.orphans.length > 0) {
    io.out('\norphan spec operations (never called):');
    io.out(
      table(
        findings.orphans.map((o) => [
          o.spec_id,
          o.method,
          o.path_template,
          o.deprecated ? 'yes' : '',
        ]),
        ['spec', 'method', 'path', 'deprecated'],
      ),
    );
  }
}
