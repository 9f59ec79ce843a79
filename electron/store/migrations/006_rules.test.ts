import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from './index.js';
import { m006Rules } from './006_rules.js';

let db: Database.Database;
afterEach(() => db.close());

/** A database at the schema before this migration, with the old false-positive marks. */
function before6(): Database.Database {
  const d = new Database(':memory:');
  d.pragma('foreign_keys = ON');
  for (const m of migrations.filter((x) => x.version < 6)) d.exec(m.sql);
  d.prepare(
    `INSERT INTO sources (path_given, file_name, size_bytes, sha256, format, parser_options,
       imported_at, status) VALUES ('x', 'x', 0, 'x', 'test', '{}', '2026-01-01', 'complete')`,
  ).run();
  d.prepare("INSERT INTO requests (source_id, line_no, ts_us, path) VALUES (1, 1, 1, '/a')").run();
  d.prepare(
    `INSERT INTO detections (request_id, type, rule_id, location, param, part, frag_start,
       frag_end, basis, fragment, source) VALUES (1, 'xss', 'xss.script-tag', 'query', 'q',
       'value', 0, 8, 'raw', '<script>', 'engine')`,
  ).run();
  const mark = d.prepare(
    'INSERT INTO detection_fp_marks (rule_id, request_id, param, note, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  mark.run('xss.script-tag', 1, 'q', 'on one request', '2026-01-02T00:00:00.000Z');
  mark.run('sqli.tautology', null, null, 'everywhere', '2026-01-03T00:00:00.000Z');
  return d;
}

describe('migration 6: rules and verdicts', () => {
  it('moves per-request marks to detection_marks and everywhere-marks to suppress rules', () => {
    db = before6();
    db.exec(m006Rules.sql);
    expect(
      db.prepare('SELECT request_id, rule_id, param, verdict, note FROM detection_marks').all(),
    ).toEqual([
      {
        request_id: 1,
        rule_id: 'xss.script-tag',
        param: 'q',
        verdict: 'false_positive',
        note: 'on one request',
      },
    ]);
    expect(
      db.prepare('SELECT kind, enabled, scope, rule_id, param, note, created_at FROM rules').all(),
    ).toEqual([
      {
        kind: 'suppress',
        enabled: 1,
        scope: 'signature',
        rule_id: 'sqli.tautology',
        param: null,
        note: 'everywhere',
        created_at: '2026-01-03T00:00:00.000Z',
      },
    ]);
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE name = 'detection_fp_marks'").get(),
    ).toBeUndefined();
    // Existing findings are kept; the table now admits custom findings.
    expect(db.prepare('SELECT count(*) AS n FROM detections').get()).toEqual({ n: 1 });
    db.prepare(
      `INSERT INTO detections (request_id, type, rule_id, location, param, part, frag_start,
         frag_end, basis, fragment, source) VALUES (1, 'card', 'custom.1', 'path', NULL,
         'value', 0, 1, 'raw', '/', 'custom')`,
    ).run();
  });

  it('guards rule shapes and cascades with requests', () => {
    db = before6();
    db.exec(m006Rules.sql);
    const now = '2026-01-01T00:00:00.000Z';
    const rule = db.prepare(
      `INSERT INTO rules (kind, scope, field, match, pattern, type, label, method, host, template,
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '${now}', '${now}')`,
    );
    expect(() =>
      rule.run('detect', null, 'path', 'regex', 'a', null, null, null, null, null),
    ).toThrow(/CHECK/);
    expect(() => rule.run('tag', 'all', 'path', 'regex', 'a', null, 'x', null, null, null)).toThrow(
      /CHECK/,
    );
    expect(() =>
      rule.run('suppress', 'all', null, null, null, null, null, 'GET', null, '/a'),
    ).toThrow(/CHECK/);
    rule.run('tag', null, 'ua', 'literal', 'bot', null, 'bots', null, null, null);
    db.prepare('INSERT INTO request_tags (tag, request_id, rule_ref) VALUES (?, 1, 1)').run('bots');
    db.prepare('DELETE FROM requests').run();
    expect(db.prepare('SELECT count(*) AS n FROM request_tags').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM detection_marks').get()).toEqual({ n: 0 });
  });
});
