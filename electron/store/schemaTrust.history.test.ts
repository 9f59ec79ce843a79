import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { SCHEMA_VERSION } from './migrations/index.js';
import { openCase } from './openCase.js';
import { assertCaseSchema } from './schemaTrust.js';

/**
 * Every schema an older build's migrations gave a case (test/fixtures/schemas/history.json,
 * written by scripts/schemaHistory.mjs from the git history) is still one this build accepts
 * and upgrades: schemaTrust.ts compares a case with what THIS build's migrations create, so
 * rewording an old migration's trigger or view would otherwise refuse real users' cases.
 */

type SchemaRow = [type: string, name: string, tblName: string, sql: string | null];
interface History {
  commits: { commit: string; date: string; versions: number }[];
  objects: SchemaRow[];
  /** Made new by `commits`, or upgraded from entry `from[i][0]` by the build of `from[i][1]`. */
  schemas: { version: number; objects: number[]; commits: string[]; from: [number, string][] }[];
}

const history = JSON.parse(
  readFileSync(new URL('../../test/fixtures/schemas/history.json', import.meta.url), 'utf8'),
) as History;

/**
 * The builds whose cases this build refuses on purpose: the step at which the build of `commit`
 * made or upgraded a case to `version`. A schema is expected refused when every way to it
 * (made new, or upgraded from an earlier schema) went through a listed step; each one is
 * checked to be refused still, so the list cannot go stale.
 */
const REFUSED: { commit: string; version: number; reason: string }[] = [
  {
    commit: 'da230b8',
    version: 14,
    reason:
      "Migration 14 was first 'scan cache' (a scan_cache table, and the requests_changed/" +
      'requests_deleted triggers recreated to empty it); 40 minutes later d508c3c replaced it ' +
      'with the analysis_cache migration. No build was released in between (no tag, a ' +
      'work-in-progress commit on main), so no real case has that v14 (nor an upgrade of one, ' +
      'which keeps its triggers); accepting them would trust trigger SQL no migration of this ' +
      'build creates.',
  },
];

/**
 * The builds whose cases this build accepts but cannot upgrade: the steps at `versions` of the
 * builds of commits before `before`, matched as REFUSED's. Each such schema is checked to be
 * accepted and still not upgradable.
 */
const NOT_UPGRADED: { before: string; versions: number[]; reason: string }[] = [
  {
    before: '4747e86',
    versions: [2],
    reason:
      "Migration 2 was a placeholder ('SELECT 1') until 4747e86 gave it the analysis tables, " +
      "which today's later migrations alter. Only a prefix: no build's newest version was 2.",
  },
  {
    before: '897fab7',
    versions: [3, 4],
    reason:
      'Migration 3 was a placeholder until de8f770, and 897fab7 added detection_fp_marks to it, ' +
      'which migration 6 relies on: a v3 or v4 case made before lacks it (upgraded to v5 too), ' +
      'and no build since could upgrade it further. Those builds lived an hour on the ' +
      "project's first day (2026-11-25 14:17-15:22, nothing released); the case is accepted as " +
      "it is, then its upgrade fails ('no such table'), nothing written.",
  },
];

const order = (prefix: string): number => {
  const at = history.commits.findIndex((c) => c.commit.startsWith(prefix));
  if (at < 0) throw new Error(`no commit ${prefix} in the history fixture`);
  return at;
};

type Schema = History['schemas'][number];
type Step = (commit: string, version: number) => boolean;

const refusedStep: Step = (commit, version) =>
  REFUSED.some((r) => r.version === version && commit.startsWith(r.commit));
const notUpgradedStep: Step = (commit, version) =>
  NOT_UPGRADED.some((r) => r.versions.includes(version) && order(commit) < order(r.before));

/** True when every way to schema `i` went through a step `listed` says. */
function through(listed: Step, i: number, memo = new Map<number, boolean>()): boolean {
  const known = memo.get(i);
  if (known !== undefined) return known;
  const s = history.schemas[i]!;
  const all =
    s.commits.every((c) => listed(c, s.version)) &&
    s.from.every(([parent, c]) => listed(c, s.version) || through(listed, parent, memo));
  memo.set(i, all);
  return all;
}

const expectedRefused = (s: Schema): boolean => through(refusedStep, history.schemas.indexOf(s));
const expectedNotUpgraded = (s: Schema): boolean =>
  through(notUpgradedStep, history.schemas.indexOf(s));

const rowsOf = (s: Schema): SchemaRow[] => s.objects.map((i) => history.objects[i]!);

const label = (s: Schema): string =>
  `v${s.version} (#${history.schemas.indexOf(s)}) ` +
  (s.commits.length > 0
    ? `made by ${s.commits.join(', ')}`
    : `upgraded by ${[...new Set(s.from.map(([, c]) => c))].join(', ')}`);

function readMaster(db: Database.Database): SchemaRow[] {
  return db
    .prepare('SELECT type, name, tbl_name, sql FROM main.sqlite_master ORDER BY rowid')
    .raw()
    .all() as SchemaRow[];
}

let ws: ReturnType<typeof tempWorkspace>;
beforeAll(() => {
  ws = tempWorkspace('ss-trust-history-');
});
afterAll(() => ws.cleanup());

let n = 0;
/**
 * A case file with exactly `rows` as its schema (checked) and `version` as its user_version.
 * SQLite makes the autoindexes and sqlite_sequence itself; ANALYZE makes the sqlite_stat tables.
 */
function caseWith(rows: SchemaRow[], version: number): string {
  const file = path.join(ws.dir, `h${n++}.sscase`);
  const db = new Database(file);
  try {
    db.transaction(() => {
      for (const [, name, , sql] of rows) {
        if (/^sqlite_stat\d$/.test(name)) {
          if (!readMaster(db).some((r) => r[1] === name)) db.exec('ANALYZE');
        } else if (sql !== null && !name.startsWith('sqlite_')) db.exec(sql);
      }
      db.pragma(`user_version = ${version}`);
    })();
    expect(readMaster(db)).toEqual(rows);
  } finally {
    db.close();
  }
  return file;
}

/** The refusal schemaTrust gives the case in `file` (undefined when it accepts it). */
function refusal(file: string, version: number): AppError | undefined {
  const db = new Database(file, { readonly: true });
  try {
    assertCaseSchema(db, file, version);
    return undefined;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  } finally {
    db.close();
  }
}

/** True when opening `file` writable upgrades it (false when the upgrade fails). */
function upgrades(file: string): boolean {
  try {
    openCase(file).close();
    return true;
  } catch {
    return false;
  }
}

describe('historical case schemas (test/fixtures/schemas/history.json)', () => {
  it('cover every schema version but the newest (re-run scripts/schemaHistory.mjs after committing a migration)', () => {
    const versions = new Set(history.schemas.map((s) => s.version));
    for (let v = 1; v < SCHEMA_VERSION; v++) expect(versions, `version ${v}`).toContain(v);
    expect(Math.max(...versions)).toBeLessThanOrEqual(SCHEMA_VERSION);
    // Each exception still names a build that made a recorded schema.
    const made = history.schemas.flatMap((s) => s.commits.map((c) => [c, s.version] as const));
    for (const r of REFUSED)
      expect(made.some(([c, v]) => refusedStep(c, v) && c.startsWith(r.commit))).toBe(true);
    for (const r of NOT_UPGRADED)
      expect(made.some(([c, v]) => r.versions.includes(v) && order(c) < order(r.before))).toBe(
        true,
      );
  });

  it('are each accepted as they are, then upgraded to the current version and accepted again', () => {
    const problems: string[] = [];
    for (const s of history.schemas) {
      if (expectedRefused(s)) continue;
      const file = caseWith(rowsOf(s), s.version);
      const refused = refusal(file, s.version);
      if (refused) {
        problems.push(`${label(s)} refused: ${refused.message}`);
        continue;
      }
      if (expectedNotUpgraded(s)) {
        if (upgrades(file)) problems.push(`${label(s)} upgrades now: drop it from NOT_UPGRADED`);
        continue;
      }
      try {
        const db = openCase(file); // migrates to the current version
        try {
          expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
          assertCaseSchema(db, file, SCHEMA_VERSION); // as its next open checks it
        } finally {
          db.close();
        }
      } catch (err) {
        problems.push(`${label(s)} did not upgrade: ${(err as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('listed as refused on purpose are still refused', () => {
    const listed = history.schemas.filter(expectedRefused);
    expect(listed.length).toBeGreaterThan(0);
    for (const s of listed) {
      const file = caseWith(rowsOf(s), s.version);
      expect(refusal(file, s.version)?.code, label(s)).toBe('NOT_A_CASE');
    }
  });

  it('with a foreign trigger added, or a trigger of theirs reworded, are refused', () => {
    const newest = history.schemas.filter((s) => !expectedRefused(s)).at(-1)!;
    const rows = rowsOf(newest);
    const foreign: SchemaRow = [
      'trigger',
      'keep_quiet',
      'requests',
      'CREATE TRIGGER keep_quiet AFTER INSERT ON requests BEGIN DELETE FROM requests; END',
    ];
    const added = caseWith([...rows, foreign], newest.version);
    expect(refusal(added, newest.version)?.message).toContain("trigger 'keep_quiet'");
    expect(() => openCase(added)).toThrow(/not a Sessionscope case as this version writes them/);

    // As a migration edit would make it: the case's trigger is no longer the one the app creates.
    const at = rows.findIndex((r) => r[0] === 'trigger');
    expect(at).toBeGreaterThanOrEqual(0);
    const reworded = rows.map((r, i): SchemaRow =>
      i === at ? [r[0], r[1], r[2], r[3]!.replace('BEGIN', 'BEGIN ')] : r,
    );
    const file = caseWith(reworded, newest.version);
    expect(refusal(file, newest.version)?.message).toContain(`trigger '${rows[at]![1]}' is not`);
  });
});
