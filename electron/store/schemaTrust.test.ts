import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { TEXT_INDEX } from '../analysis/textIndexStep.js';
import { createBackend, type Backend } from '../api/backend.js';
import { dispatch } from '../api/dispatch.js';
import { inProcessRunner } from '../api/importRunner.js';
import type { CliIO } from '../cli/command.js';
import { runCli } from '../cli/runCli.js';
import { migrations, SCHEMA_VERSION } from './migrations/index.js';
import { openCase, readCaseMeta } from './openCase.js';
import { TEXT_INDEX_NAME } from './schemaTrust.js';

let ws: ReturnType<typeof tempWorkspace>;
let backend: Backend | undefined;
beforeEach(() => {
  ws = tempWorkspace('ss-trust-');
});
afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
  ws.cleanup();
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    out: (t) => (out += t + '\n'),
    err: (t) => (err += t + '\n'),
    errIsTty: false,
  };
  return { code: await runCli(argv, io), out, err };
}

function api(): Backend {
  backend = createBackend({
    mode: 'browser',
    userDataDir: path.join(ws.dir, 'ud'),
    demoCaptureDir: path.join(ws.dir, 'none'),
    runner: inProcessRunner,
  });
  return backend;
}

const LOG =
  [1, 2, 3]
    .map(
      (i) =>
        `10.0.0.${i} - - [01/Mar/2024:10:00:0${i} +0000] "GET /wp-admin/${i}?q=x HTTP/1.1" 200 ${i} "-" "curl"`,
    )
    .join('\n') + '\n';

/** An imported and analysed case (derived tables, text index, planner statistics). */
async function genuineCase(): Promise<string> {
  const file = path.join(ws.dir, 'c.sscase');
  expect((await cli('import', file, ws.file('a.log', LOG))).code).toBe(0);
  expect((await cli('rebuild', file)).code).toBe(0);
  return file;
}

/** Changes the case as a crafted file would (by SQL of its own), leaving no WAL behind. */
function craft(file: string, sql: string): void {
  const raw = new Database(file);
  raw.exec(sql);
  raw.pragma('journal_mode = DELETE');
  raw.close();
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function refused(open: () => unknown, message: RegExp): void {
  let err: unknown;
  try {
    open();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('NOT_A_CASE');
  expect((err as AppError).message).toMatch(message);
}

describe('a received case is checked before anything reads or migrates it', () => {
  it('refuses a trigger the app does not create (writable, read-only, CLI, API), before it can fire', async () => {
    const file = await genuineCase();
    craft(
      file,
      `CREATE TABLE fired (action TEXT);
       CREATE TRIGGER zz_spy AFTER INSERT ON audit_log BEGIN INSERT INTO fired VALUES (NEW.action); END;
       CREATE TRIGGER zz_drop BEFORE INSERT ON requests BEGIN SELECT RAISE(IGNORE); END;`,
    );
    const before = sha(file);
    const why =
      /is not a Sessionscope case as this version writes them: it holds a trigger 'zz_spy' the app does not create \(and 1 more difference\)/;
    refused(() => openCase(file, { create: false }), why);
    refused(() => openCase(file, { readonly: true }), why);

    const info = await cli('info', file);
    expect(info.code).not.toBe(0);
    expect(info.err).toMatch(why);
    const imp = await cli('import', file, ws.file('b.log', LOG.replace(/10\.0\.0/g, '10.9.9')));
    expect(imp.code).not.toBe(0);
    expect(imp.err).toMatch(/trigger 'zz_spy'/);

    const r = await dispatch('openCase', { path: file }, api().ctx);
    expect(r.ok || r.error).toMatchObject({
      code: 'NOT_A_CASE',
      message: expect.stringMatching(why),
    });
    // Not a byte written: no WAL switch, no audit entry, the trigger never ran.
    expect(sha(file)).toBe(before);
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT count(*) FROM fired').pluck().get()).toBe(0);
    raw.close();
  });

  it('refuses an older case holding a trigger without migrating it (the trigger would ride the upgrade)', async () => {
    const file = await genuineCase();
    craft(
      file,
      `PRAGMA user_version = ${SCHEMA_VERSION - 1};
       CREATE TABLE pwned (at TEXT);
       CREATE TRIGGER zz_on_upgrade AFTER INSERT ON audit_log BEGIN INSERT INTO pwned VALUES (NEW.action); END;`,
    );
    refused(() => openCase(file, { create: false }), /trigger 'zz_on_upgrade'/);
    expect((await cli('upgrade', file)).err).toMatch(/trigger 'zz_on_upgrade'/);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION - 1);
    expect(raw.prepare('SELECT count(*) FROM pwned').pluck().get()).toBe(0);
    raw.close();
  });

  it('refuses at once a case whose case_meta is a view (a slow or endless one froze every open)', async () => {
    const file = await genuineCase();
    // Bounded here so that the test ends without the check too (in seconds instead of at once);
    // the crafted file's recursion never ends.
    craft(
      file,
      `ALTER TABLE case_meta RENAME TO case_meta_real;
       CREATE VIEW case_meta AS
         WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c LIMIT 20000000)
         SELECT key, value FROM case_meta_real WHERE (SELECT max(n) FROM c) > 0;`,
    );
    const why = /'case_meta' is a view where the app creates a table/;
    const t0 = performance.now();
    refused(() => readCaseMeta(openCase(file, { readonly: true })), why);
    refused(() => readCaseMeta(openCase(file, { create: false })), why);
    const info = await cli('info', file);
    expect(info.err).toMatch(why);
    const b = api();
    const located = await dispatch(
      'locateCase',
      { path: file, uuid: '00000000-0000-4000-8000-000000000000' },
      b.ctx,
    );
    expect(located.ok || located.error.code).toBe('NOT_A_CASE');
    const opened = await dispatch('openCase', { path: file }, b.ctx);
    expect(opened.ok || opened.error.message).toMatch(why);
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it('refuses a trigger or view of the app’s name whose SQL is not the app’s, a foreign virtual table, a conflict clause', async () => {
    const file = await genuineCase();
    const copy = (name: string, sql: string): string => {
      const f = path.join(ws.dir, name);
      const raw = new Database(file);
      raw.pragma('wal_checkpoint(TRUNCATE)');
      raw.close();
      ws.file(name, readFileSync(file));
      craft(f, sql);
      return f;
    };
    const cases: [string, string, RegExp][] = [
      [
        'trigger.sscase',
        `DROP TRIGGER requests_changed;
         CREATE TRIGGER requests_changed AFTER UPDATE ON requests BEGIN DELETE FROM audit_log; END;`,
        /its trigger 'requests_changed' is not the one the app creates/,
      ],
      [
        'view.sscase',
        `DROP VIEW request_facts;
         CREATE VIEW request_facts AS SELECT * FROM keyed_facts WHERE 0;`,
        /its view 'request_facts' is not the one the app creates/,
      ],
      [
        'vtab.sscase',
        `CREATE VIRTUAL TABLE zz_rtree USING rtree(id, a, b);`,
        /it holds a virtual table 'zz_rtree' the app does not create/,
      ],
      [
        'fts.sscase',
        `DROP TABLE ${TEXT_INDEX};
         CREATE VIRTUAL TABLE ${TEXT_INDEX} USING fts5(path, content='requests', content_rowid='id');`,
        /virtual table 'requests_text' the app does not create/,
      ],
      [
        'conflict.sscase',
        `ALTER TABLE verdict_reviews RENAME TO vr_old;
         CREATE TABLE verdict_reviews (sid TEXT PRIMARY KEY ON CONFLICT IGNORE, decision TEXT, note TEXT, at TEXT);`,
        /its table 'verdict_reviews' declares a conflict clause/,
      ],
    ];
    for (const [name, sql, why] of cases)
      refused(() => openCase(copy(name, sql), { readonly: true }), why);
  });

  it('opens a genuine case of every older schema version, upgrades it, and reads it after', () => {
    for (let v = 1; v < SCHEMA_VERSION; v++) {
      const file = path.join(ws.dir, `v${v}.sscase`);
      // The case as the build of schema v created it: its migrations, its identity.
      const raw = new Database(file);
      raw.pragma('synchronous = OFF');
      raw.transaction(() => {
        for (const m of migrations) if (m.version <= v) raw.exec(m.sql);
        raw.exec(
          "INSERT INTO case_meta (key, value) VALUES ('uuid', 'u'), ('tool_version', 'old')",
        );
        raw.pragma(`user_version = ${v}`);
      })();
      raw.close();
      openCase(file, { create: false }).close();
      // Read-only, now checked against this version's schema: the upgrade made just that.
      const db = openCase(file, { readonly: true });
      expect(readCaseMeta(db)).toMatchObject({ uuid: 'u', schemaVersion: SCHEMA_VERSION });
      db.close();
    }
  });

  it('opens an analysed case, and tolerates a plain table it does not create', async () => {
    const file = await genuineCase();
    craft(file, 'CREATE TABLE zz_notes (t TEXT); CREATE INDEX zz_notes_t ON zz_notes (t);');
    const db = openCase(file, { create: false });
    expect(
      db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = ?`).pluck().get(TEXT_INDEX),
    ).toBe(1);
    // Every connection leaves the file's SQL no function that is not innocuous.
    expect(db.pragma('trusted_schema', { simple: true })).toBe(0);
    db.close();
    const s = await cli('sessions', file, '--text', 'wp-admin', '--json');
    expect(s.code).toBe(0);
    expect(TEXT_INDEX_NAME).toBe(TEXT_INDEX);
  });
});
