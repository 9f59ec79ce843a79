import { afterEach, describe, expect, it } from 'vitest';
import { openCase, type CaseDb } from '../openCase.js';

let db: CaseDb;
afterEach(() => db.close());

describe('migration 4: specs and risk', () => {
  it('creates the spec and risk tables with their constraints', () => {
    db = openCase(':memory:');
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((t) => t.name);
    for (const t of [
      'specs',
      'spec_paths',
      'endpoint_spec_status',
      'spec_orphans',
      'endpoint_risk',
    ])
      expect(tables).toContain(t);
    const spec = db
      .prepare(
        `INSERT INTO specs (file, sha256, title, version, loaded_at, kind, spec_version, servers, unresolved_refs)
         VALUES ('a.yaml', 'x', 't', '1', 'now', 'openapi3', '3.0.0', '[]', '[]')`,
      )
      .run().lastInsertRowid;
    db.prepare("INSERT INTO spec_paths VALUES (?, 'GET', '/a', 0, NULL, '[]')").run(spec);
    expect(() =>
      db.prepare("INSERT INTO spec_paths VALUES (?, 'GET', '/a', 0, NULL, '[]')").run(spec),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare("INSERT INTO endpoint_risk VALUES ('e1', 'GET', 'h', '/', 11, 'High', '[]')")
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO endpoint_spec_status VALUES ('e1', 'GET', 'h', '/', 'ghost', NULL, NULL, NULL, NULL)",
        )
        .run(),
    ).toThrow(/CHECK/);
    // Removing a spec removes its paths.
    db.prepare('DELETE FROM specs WHERE id = ?').run(spec);
    expect(db.prepare('SELECT count(*) AS n FROM spec_paths').get()).toEqual({ n: 0 });
  });
});
