// Records the schemas older Sessionscope builds gave their cases, for
// electron/store/schemaTrust.history.test.ts: schemaTrust.ts compares a case's sqlite_master with
// what THIS build's migrations create for the case's version, so an edit of an old migration
// (a reworded trigger) would refuse real users' cases; the test opens every recorded schema.
//
// How: each commit that touched electron/store/migrations (git log, oldest first) has that
// folder extracted (git archive, into a temp folder) and bundled with esbuild; its migrations
// are then run as that build's openCase ran them, in memory:
// - a new case at every version N the tree reaches (migrations 1..N, then requestIndexes; only
//   the newest is one the build itself made, the others cover edits of migrations below it);
// - every case an earlier build left (its newest version, made new or upgraded) upgraded by
//   this build (the pending migrations in one transaction; a failed upgrade leaves the case).
// Each schema is sqlite_master's rows (type, name, tbl_name, sql), kept in the first order
// found. test/fixtures/schemas/history.json holds one entry per distinct (version, set of
// rows), the rows pooled once: `commits` made it new, `from` lists [entry, commit] upgrades
// that led to it (so the test can tell whether every way to a schema went through a build it
// lists as an exception). Needs only the local git history (no network); takes seconds.
//
// When to re-run: after a commit that adds a migration (or edits one: first see what the test
// says). The newest version needs no entry while uncommitted (the current tree's migrations
// are the reference for it), but once committed its schema must be appended: the test fails
// when a version below the current one has no entry.
//
//   node scripts/schemaHistory.mjs
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { format, resolveConfig } from 'prettier';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIGRATIONS = 'electron/store/migrations';
const OUT = path.join(root, 'test/fixtures/schemas/history.json');
/** Length of the commit names written (fixed, so the file does not change as history grows). */
const ABBREV = 10;

const git = (...args) =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });

/** The migrations (and the indexes a new case gets) of `commit`'s tree. */
async function migrationsOf(commit, work) {
  const dir = path.join(work, commit);
  mkdirSync(dir, { recursive: true });
  const tar = path.join(dir, 'tree.tar');
  git('archive', `--output=${tar}`, commit, MIGRATIONS);
  execFileSync('tar', ['-xf', tar, '-C', dir]);
  const bundled = path.join(dir, 'migrations.mjs');
  await build({
    stdin: {
      contents:
        `export { migrations } from './${MIGRATIONS}/index.ts';\n` +
        `export { requestIndexes } from './${MIGRATIONS}/001_caseStore.ts';\n`,
      resolveDir: dir,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundled,
    logLevel: 'error',
  });
  return import(pathToFileURL(bundled).href);
}

const readMaster = (db) =>
  db.prepare('SELECT type, name, tbl_name, sql FROM main.sqlite_master ORDER BY rowid').raw().all();

/** A new case made by these migrations at `version` (in memory). */
function newCaseAt(migrations, requestIndexes, version) {
  const db = new Database(':memory:');
  for (const m of migrations) if (m.version <= version) db.exec(m.sql);
  for (const ix of requestIndexes) db.exec(ix.create);
  return db;
}

/** The case `image` (serialized, at version `from`) upgraded by these migrations; null if refused. */
function upgraded(image, from, migrations) {
  const db = new Database(image);
  try {
    db.transaction(() => {
      for (const m of migrations) if (m.version > from) db.exec(m.sql);
    })();
    return db;
  } catch {
    db.close();
    return null;
  }
}

const log = git('log', '--reverse', `--abbrev=${ABBREV}`, '--format=%h %cI', '--', MIGRATIONS)
  .trim()
  .split('\n')
  .map((line) => line.split(' '));

/** Pooled schema rows, by their JSON. */
const pool = new Map();
/** Distinct schemas by version and set of rows: { version, objects, commits, from: [key, commit] }. */
const schemas = new Map();
/** The cases a build could have left (its newest version), by schema key: { version, image }. */
const cases = new Map();
const commits = [];
const counts = { made: 0, upgrades: 0, refusedUpgrades: 0 };

/** Records `db`'s schema at `version`; returns its key. */
function record(db, version) {
  const ids = readMaster(db).map((row) => {
    const key = JSON.stringify(row);
    if (!pool.has(key)) pool.set(key, pool.size);
    return pool.get(key);
  });
  const key = `${version}:${[...ids].sort((a, b) => a - b).join(',')}`;
  if (!schemas.has(key)) schemas.set(key, { version, objects: ids, commits: [], from: [] });
  return key;
}

const work = mkdtempSync(path.join(tmpdir(), 'ss-schema-history-'));
try {
  for (const [commit, date] of log) {
    const { migrations, requestIndexes } = await migrationsOf(commit, work);
    const top = migrations.length;
    if (commits.length > 0 && top < commits.at(-1).versions)
      throw new Error(`${commit} has fewer migrations than the commit before it`);
    commits.push({ commit, date, versions: top });
    const left = [];
    // Every case an earlier build left, upgraded by this one.
    for (const [parent, c] of cases) {
      if (c.version >= top) continue;
      const db = upgraded(c.image, c.version, migrations);
      if (!db) {
        counts.refusedUpgrades++;
        continue;
      }
      const key = record(db, top);
      schemas.get(key).from.push([parent, commit]);
      left.push([key, db.serialize()]);
      db.close();
      counts.upgrades++;
    }
    // A new case at every version the tree reaches.
    for (let version = 1; version <= top; version++) {
      const db = newCaseAt(migrations, requestIndexes, version);
      const key = record(db, version);
      schemas.get(key).commits.push(commit);
      if (version === top) left.push([key, db.serialize()]);
      db.close();
      counts.made++;
    }
    for (const [key, image] of left) if (!cases.has(key)) cases.set(key, { version: top, image });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// By version, then as first found (every `from` entry comes before the one it leads to).
const ordered = [...schemas.entries()].sort(([, a], [, b]) => a.version - b.version);
const index = new Map(ordered.map(([key], i) => [key, i]));
const fixture = {
  about:
    'Generated by scripts/schemaHistory.mjs (do not edit): the schemas (sqlite_master rows: ' +
    'type, name, tbl_name, sql) cases got from the builds of each commit that touched ' +
    `${MIGRATIONS}: made new (commits) or upgraded from an earlier entry (from: [entry, commit]).`,
  commits,
  objects: [...pool.keys()].map((k) => JSON.parse(k)),
  schemas: ordered.map(([, s]) => ({
    version: s.version,
    objects: s.objects,
    commits: s.commits,
    from: s.from.map(([parent, commit]) => [index.get(parent), commit]),
  })),
};
const text = await format(JSON.stringify(fixture), {
  ...(await resolveConfig(OUT)),
  filepath: OUT,
});
mkdirSync(path.dirname(OUT), { recursive: true });
writeFileSync(OUT, text);
console.log(
  `${commits.length} commits: ${counts.made} cases made new (commit, version), ` +
    `${counts.upgrades} upgrades of an earlier build's case (${counts.refusedUpgrades} failed); ` +
    `${schemas.size} distinct schemas of ${pool.size} distinct rows, ` +
    `${path.relative(root, OUT)} ${Math.round(text.length / 1024)} KiB`,
);
