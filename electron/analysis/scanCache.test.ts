import { afterAll, describe, expect, it } from 'vitest';
import {
  analysisSettingsSchema,
  effectiveParams,
  type AnalysisSettings,
} from '../../shared/analysis/settings.js';
import { scanCapture, scanDump } from '../../test/fixtures/analysis/scanCapture.js';
import { oddRows } from '../../test/fixtures/analysis/oddRows.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { CaseDb } from '../store/openCase.js';
import { secretDigest } from './hashIds.js';
import { rebuild } from './rebuild.js';
import type { RebuildContext } from './rebuildContext.js';
import { keyString, splitKey, type ScanResult } from './scanResult.js';
import { lastScanRun, scanRequests, scanStep } from './scanStep.js';
import { writeSettings } from './settingsRepo.js';

const SALT = 'scan-cache-test';
const DEFAULTS = analysisSettingsSchema.parse({});
const CUSTOM = analysisSettingsSchema.parse({
  contextParams: [
    { kind: 'query', name: 'token', secret: true },
    { kind: 'column', name: 'src_user', names: 'user' },
    { kind: 'header', name: 'X-Tenant', names: 'role' },
  ],
});

function ctxOf(db: CaseDb, settings: AnalysisSettings, salt = SALT): RebuildContext {
  return { db, settings, params: effectiveParams(settings), salt, stats: {} };
}

/** The rebuild's scan step alone, and whether it read the cache. */
function step(
  db: CaseDb,
  settings: AnalysisSettings,
  salt = SALT,
): { scan: ScanResult; cached: boolean } {
  const ctx = ctxOf(db, settings, salt);
  scanStep.run(ctx);
  return { scan: ctx.scan!, cached: lastScanRun().fromCache };
}

/** A fresh scan's dump with secret key values as the cache keeps them (their digests). */
function freshDump(db: CaseDb, settings: AnalysisSettings): unknown {
  const ctx = ctxOf(db, settings);
  const scan = scanRequests(ctx, { parallelMin: Infinity });
  const keys = scan.keys.values.map((k) => {
    const { param, value } = splitKey(k);
    return ctx.params[param]?.secret ? keyString(param, secretDigest(SALT, value)) : k;
  });
  return { ...(scanDump(scan) as object), keys };
}

function cacheRow(db: CaseDb): { basis: string; meta: string } | undefined {
  return db.prepare("SELECT basis, meta FROM analysis_cache WHERE name = 'scan'").get() as
    { basis: string; meta: string } | undefined;
}

function derived(db: CaseDb): unknown[] {
  return ['sessions', 'endpoints', 'session_endpoints', 'session_values'].map((t) =>
    db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).raw(true).all(),
  );
}

describe('the scan cache', () => {
  const ws = tempWorkspace('ss-scancache-');
  afterAll(() => ws.cleanup());

  function seeded(name: string): CaseDb {
    const db = ws.openCase(name);
    seedSource(db, 'scan', scanCapture(), { columns: true });
    seedSource(db, 'odd', oddRows(), { columns: true });
    db.prepare("INSERT OR REPLACE INTO analysis_state (key, value) VALUES ('salt', ?)").run(SALT);
    return db;
  }

  it('gives back exactly the scan it kept, with default and custom key parameters', () => {
    const db = seeded('exact.sscase');
    for (const settings of [DEFAULTS, CUSTOM]) {
      expect(step(db, settings).cached).toBe(false);
      expect(cacheRow(db)).toBeDefined();
      const again = step(db, settings);
      expect(again.cached).toBe(true);
      expect(again.scan.keysDigested).toBe(true);
      // Value for value what a scan gives (its secret keys as their digests).
      expect(scanDump({ ...again.scan, keysDigested: undefined })).toEqual(freshDump(db, settings));
      expect(again.scan.issued.length).toBeGreaterThan(0);
      expect(again.scan.cards.size).toBeGreaterThan(0);
    }
  });

  it('gives a rebuild the tables a scan gives, secret session keys shown as digests alike', () => {
    const db = seeded('rebuild.sscase');
    writeSettings(db, DEFAULTS);
    rebuild(db);
    expect(lastScanRun().fromCache).toBe(false);
    const scanned = derived(db);
    rebuild(db);
    expect(lastScanRun().fromCache).toBe(true);
    expect(derived(db)).toEqual(scanned);
    // The ground truth's malformed bearer token keys a session through Authorization (secret).
    const shown = db
      .prepare("SELECT key_display FROM sessions WHERE key_kind = 'header:authorization'")
      .pluck()
      .all() as string[];
    expect(shown.length).toBeGreaterThan(0);
    for (const d of shown) expect(d).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it('keeps no secret key value in clear', () => {
    const db = seeded('secret.sscase');
    step(db, DEFAULTS);
    const meta = cacheRow(db)!.meta;
    expect(meta).not.toContain('eyJhbGciOi.@@@.x');
    expect(meta).toContain('sha256:');
    // A value that is no secret is kept as it is.
    const params = effectiveParams(DEFAULTS);
    const plain = scanRequests(ctxOf(db, DEFAULTS)).keys.values.find((k) => {
      const { param } = splitKey(k);
      return param >= 0 && !params[param]!.secret;
    })!;
    expect(meta).toContain(JSON.stringify(plain).slice(1, -1));
  });

  it('is not read under other key parameters, another salt or other requests', () => {
    const db = seeded('stale.sscase');
    step(db, DEFAULTS);
    expect(step(db, CUSTOM).cached).toBe(false);
    expect(step(db, CUSTOM).cached).toBe(true);
    expect(step(db, CUSTOM, 'another salt').cached).toBe(false);
    seedSource(db, 'late', [{ tsUs: 9e15, path: '/late' }], { columns: true });
    expect(step(db, CUSTOM, 'another salt').cached).toBe(false);
    expect(step(db, CUSTOM, 'another salt').cached).toBe(true);
  });

  it('is dropped when a request is changed or deleted outside Sessionscope', () => {
    const db = seeded('changed.sscase');
    step(db, DEFAULTS);
    db.prepare("UPDATE requests SET path = '/changed' WHERE id = 5").run();
    expect(cacheRow(db)).toBeUndefined();
    const changed = step(db, DEFAULTS);
    expect(changed.cached).toBe(false);
    expect(changed.scan.n).toBe(db.prepare('SELECT count(*) FROM requests').pluck().get());
    step(db, DEFAULTS);
    expect(cacheRow(db)).toBeDefined();
    db.prepare('DELETE FROM requests WHERE id = 7').run();
    expect(cacheRow(db)).toBeUndefined();
  });

  it('is not read when damaged, and the scan then runs as without it', () => {
    const db = seeded('damaged.sscase');
    const fresh = scanDump(step(db, DEFAULTS).scan);
    const { meta } = cacheRow(db)!;
    const parsed = JSON.parse(meta) as { strings: string[]; keys: string[] };
    for (const damage of [
      { ...parsed, strings: parsed.strings.slice(1) },
      { ...parsed, keys: [] },
      { ...parsed, n: 3 },
      { ...parsed, issued: [[1e9, 0]] },
      'not json of the right shape',
    ]) {
      db.prepare("UPDATE analysis_cache SET meta = ? WHERE name = 'scan'").run(
        JSON.stringify(damage),
      );
      const again = step(db, DEFAULTS);
      expect(again.cached).toBe(false);
      expect(scanDump(again.scan)).toEqual(fresh);
      // The scan wrote it back whole: damage it again from there.
      expect(step(db, DEFAULTS).cached).toBe(true);
    }
    for (const damage of ['{', '[]']) {
      db.prepare("UPDATE analysis_cache SET meta = ? WHERE name = 'scan'").run(damage);
      const again = step(db, DEFAULTS);
      expect(again.cached).toBe(false);
      expect(scanDump(again.scan)).toEqual(fresh);
    }
    db.prepare("UPDATE analysis_cache SET data = zeroblob(10) WHERE name = 'scan'").run();
    expect(step(db, DEFAULTS).cached).toBe(false);
  });

  it('is not read without the analysis columns, nor written again for nothing', () => {
    const db = ws.openCase('nocolumns.sscase');
    seedSource(db, 'scan', scanCapture(200));
    step(db, DEFAULTS);
    expect(cacheRow(db)).toBeDefined();
    // The scan of the rows built the columns; without them the cache is not read.
    db.prepare('DELETE FROM request_columns').run();
    // Marked, so that a second write would show.
    db.prepare("UPDATE analysis_cache SET data = X'00' WHERE name = 'scan'").run();
    expect(step(db, DEFAULTS).cached).toBe(false);
    expect(lastScanRun()).toMatchObject({ fromColumns: false, builtColumns: true });
    expect(
      db.prepare("SELECT length(data) FROM analysis_cache WHERE name = 'scan'").pluck().get(),
    ).toBe(1);
  });
});
