import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from './migrations/index.js';
import { openCase, readCaseMeta } from './openCase.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ss-case-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openCase', () => {
  it('creates a case from an empty file with identity, WAL and foreign keys', () => {
    const file = path.join(dir, 'a.sscase');
    const db = openCase(file);
    const meta = readCaseMeta(db);
    expect(meta.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.schemaVersion).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]
    ).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['sources', 'requests', 'rejects', 'audit_log']));
    db.close();
    // Reopening keeps the identity and does not re-run migrations.
    const again = openCase(file);
    expect(readCaseMeta(again).uuid).toBe(meta.uuid);
    again.close();
  });

  it('refuses a case written by a newer schema with a clear message', () => {
    const file = path.join(dir, 'new.sscase');
    openCase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openCase(file)).toThrow(/schema version .* Update Sessionscope/);
  });

  it('refuses an SQLite file that is not a case, and a file that is not SQLite', () => {
    const other = path.join(dir, 'other.db');
    const raw = new Database(other);
    raw.exec('CREATE TABLE t (x)');
    raw.close();
    expect(() => openCase(other)).toThrow(/not a Sessionscope case/);
    const text = path.join(dir, 'text.db');
    writeFileSync(text, 'hello, this is not sqlite at all '.repeat(100));
    expect(() => openCase(text)).toThrow();
  });

  it('does not create a file when asked to open an existing case only', () => {
    expect(() => openCase(path.join(dir, 'missing.sscase'), { create: false })).toThrow(
      /No case file/,
    );
  });

  it('says a folder is a folder, reading or writing (SQLite said "disk I/O error")', () => {
    for (const opts of [{ create: false, readonly: true }, {}]) {
      expect(() => openCase(dir, opts)).toThrow(`${dir} is a folder, not a case file`);
    }
  });
});
