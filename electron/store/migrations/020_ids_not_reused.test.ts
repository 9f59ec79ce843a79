import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { recordRule, recordRuleDelete } from '../../rules/rulesDb.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { listAudit } from '../auditLog.js';
import type { CaseDb } from '../openCase.js';
import { migrations, SCHEMA_VERSION } from './index.js';
import { m020IdsNotReused } from './020_ids_not_reused.js';

const ws = tempWorkspace('ss-m020-');
afterAll(() => ws.cleanup());

const tag = (label: string) =>
  ({ kind: 'tag', field: 'ua', match: 'literal', pattern: 'bot', label }) as const;

/** A request to hang marks on. */
function seedRequest(db: Database.Database): void {
  db.prepare(
    `INSERT INTO sources (path_given, file_name, size_bytes, sha256, format, parser_options,
       imported_at, status) VALUES ('x', 'x', 0, 'x', 'test', '{}', '2026-01-01', 'complete')`,
  ).run();
  db.prepare("INSERT INTO requests (source_id, line_no, ts_us, path) VALUES (1, 1, 1, '/a')").run();
}

function addMark(db: Database.Database, note: string): number {
  return db
    .prepare(
      `INSERT INTO detection_marks (request_id, rule_id, param, verdict, note, created_at)
       VALUES (1, 'xss.script-tag', NULL, 'false_positive', ?, '2026-01-02')`,
    )
    .run(note).lastInsertRowid as number;
}

const ids = (db: Database.Database, table: string): number[] =>
  db.prepare(`SELECT id FROM ${table} ORDER BY id`).pluck().all() as number[];

describe('migration 20: rule and mark ids are not reused', () => {
  it('gives a rule added after the newest one was deleted a new id, not the deleted one', () => {
    const db = ws.openCase('new.sscase');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const first = recordRule(db, tag('one'));
    const second = recordRule(db, tag('two'));
    recordRuleDelete(db, second);
    const third = recordRule(db, tag('three'));
    expect([first, second, third]).toEqual([1, 2, 3]);
    // Each id in the trail names one rule.
    const added = listAudit(db)
      .filter((e) => e.action === 'rule.add')
      .map((e) => [e.details['id'], e.details['label']]);
    expect(added).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ]);

    seedRequest(db as unknown as Database.Database);
    const d = db as unknown as Database.Database;
    const m1 = addMark(d, 'a');
    d.prepare('DELETE FROM detection_marks WHERE id = ?').run(m1);
    expect(addMark(d, 'b')).toBe(m1 + 1);
    db.close();
  });

  it('keeps an older case’s rules and marks with their ids; new ids start after any the trail names', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    for (const m of migrations.filter((x) => x.version < 20)) db.exec(m.sql);
    seedRequest(db);
    const rules = [tag('one'), tag('two'), tag('three')].map((r) =>
      recordRule(db as unknown as CaseDb, r),
    );
    // The newest rule was deleted before this version: only the trail still names id 3.
    recordRuleDelete(db as unknown as CaseDb, rules[2]!);
    const marks = [addMark(db, 'a'), addMark(db, 'b'), addMark(db, 'c')];
    db.prepare('DELETE FROM detection_marks WHERE id = ?').run(marks[2]);
    db.prepare(
      "INSERT INTO audit_log (at, action, details) VALUES ('t', 'detection.unmark', ?)",
    ).run(JSON.stringify({ id: marks[2] }));
    const before = {
      rules: db.prepare('SELECT * FROM rules ORDER BY id').all(),
      marks: db.prepare('SELECT * FROM detection_marks ORDER BY id').all(),
    };

    db.transaction(() => db.exec(m020IdsNotReused.sql))();

    expect(db.prepare('SELECT * FROM rules ORDER BY id').all()).toEqual(before.rules);
    expect(db.prepare('SELECT * FROM detection_marks ORDER BY id').all()).toEqual(before.marks);
    expect(ids(db, 'rules')).toEqual([1, 2]);
    expect(recordRule(db as unknown as CaseDb, tag('four'))).toBe(4);
    expect(addMark(db, 'd')).toBe(4);
    // The copies keep their checks, index and cascade.
    expect(() =>
      db
        .prepare(
          "INSERT INTO rules (kind, field, match, pattern, created_at, updated_at) VALUES ('tag', 'ua', 'literal', 'x', 't', 't')",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE name = 'detection_marks_request'").get(),
    ).toBeDefined();
    db.prepare('DELETE FROM requests').run();
    expect(ids(db, 'detection_marks')).toEqual([]);
    db.close();
  });
});
