import type { SpecOperation, SpecServer } from '../../shared/spec/parseSpec.js';
import type { LoadedSpec } from '../../shared/spec/specStatus.js';
import type { CaseDb } from '../store/openCase.js';

export interface SpecRow {
  id: number;
  file: string;
  sha256: string;
  title: string;
  version: string;
  loadedAt: string;
  kind: string;
  specVersion: string;
  servers: SpecServer[];
  unresolvedRefs: string[];
  operations: number;
}

export function listSpecs(db: CaseDb): SpecRow[] {
  const rows = db
    .prepare(
      `SELECT s.id, s.file, s.sha256, s.title, s.version, s.loaded_at, s.kind, s.spec_version,
              s.servers, s.unresolved_refs,
              (SELECT count(*) FROM spec_paths p WHERE p.spec_id = s.id) AS operations
       FROM specs s ORDER BY s.id`,
    )
    .all() as {
    id: number;
    file: string;
    sha256: string;
    title: string;
    version: string;
    loaded_at: string;
    kind: string;
    spec_version: string;
    servers: string;
    unresolved_refs: string;
    operations: number;
  }[];
  return rows.map((r) => ({
    id: r.id,
    file: r.file,
    sha256: r.sha256,
    title: r.title,
    version: r.version,
    loadedAt: r.loaded_at,
    kind: r.kind,
    specVersion: r.spec_version,
    servers: JSON.parse(r.servers) as SpecServer[],
    unresolvedRefs: JSON.parse(r.unresolved_refs) as string[],
    operations: r.operations,
  }));
}

/** Every loaded spec with its operations, as the comparison needs them. */
export function loadedSpecs(db: CaseDb): LoadedSpec[] {
  const ops = db
    .prepare(
      `SELECT spec_id, method, path_template, deprecated, operation_id, parameters
       FROM spec_paths ORDER BY spec_id, path_template, method`,
    )
    .all() as {
    spec_id: number;
    method: string;
    path_template: string;
    deprecated: number;
    operation_id: string | null;
    parameters: string;
  }[];
  const bySpec = new Map<number, SpecOperation[]>();
  for (const o of ops) {
    const list = bySpec.get(o.spec_id) ?? [];
    list.push({
      method: o.method,
      pathTemplate: o.path_template,
      deprecated: o.deprecated === 1,
      operationId: o.operation_id,
      parameters: JSON.parse(o.parameters) as SpecOperation['parameters'],
    });
    bySpec.set(o.spec_id, list);
  }
  const refPaths = new Map(
    (
      db.prepare('SELECT id, unresolved_paths FROM specs').all() as {
        id: number;
        unresolved_paths: string;
      }[]
    ).map((r) => [r.id, JSON.parse(r.unresolved_paths) as string[]]),
  );
  return listSpecs(db).map((s) => ({
    id: s.id,
    title: s.title,
    version: s.version,
    servers: s.servers,
    operations: bySpec.get(s.id) ?? [],
    unresolvedPaths: refPaths.get(s.id) ?? [],
  }));
}
