import { afterAll, describe, expect, it } from 'vitest';
import { analysisSettingsSchema, type AnalysisSettings } from '../../shared/analysis/settings.js';
import { scanCapture } from '../../test/fixtures/analysis/scanCapture.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { CaseDb } from '../store/openCase.js';
import { lastOutliersFromCache } from './outliersStep.js';
import { rebuild } from './rebuild.js';
import { writeSettings } from './settingsRepo.js';

/**
 * Everything the outliers reach: the endpoints' baselines and counts, the size baselines per
 * status class, each request's scores.
 */
function outlierTables(db: CaseDb): unknown[] {
  return [
    db
      .prepare(
        `SELECT eid, latency_count, latency_median, latency_p95, latency_mad, size_count,
           size_median, size_p95, size_mad, outlier_count FROM endpoints ORDER BY eid`,
      )
      .raw(true)
      .all(),
    db
      .prepare('SELECT * FROM endpoint_size_baselines ORDER BY endpoint_id, status_class')
      .raw(true)
      .all(),
    db
      .prepare(
        'SELECT request_id, outlier, latency_z, size_z FROM request_facts ORDER BY request_id',
      )
      .raw(true)
      .all(),
    db.prepare('SELECT sid, outlier_count FROM sessions ORDER BY sid').raw(true).all(),
  ];
}

function cached(db: CaseDb): boolean {
  return db.prepare("SELECT 1 FROM analysis_cache WHERE name = 'outliers'").get() !== undefined;
}

describe('the outliers cache', () => {
  const ws = tempWorkspace('ss-outlierscache-');
  afterAll(() => ws.cleanup());
  const base = analysisSettingsSchema.parse({});

  function seeded(name: string): CaseDb {
    const db = ws.openCase(name);
    seedSource(db, 'scan', scanCapture(), { columns: true });
    return db;
  }

  /** The tables under `settings`, computed with nothing kept, then read back. */
  function twice(db: CaseDb, settings: AnalysisSettings): unknown[] {
    writeSettings(db, settings);
    db.exec("DELETE FROM analysis_cache WHERE name = 'outliers'");
    rebuild(db);
    expect(lastOutliersFromCache()).toBe(false);
    const computed = outlierTables(db);
    // Another timeout: the same outliers, read back.
    writeSettings(db, { ...settings, inactivityTimeoutMin: settings.inactivityTimeoutMin + 7 });
    rebuild(db);
    expect(lastOutliersFromCache()).toBe(true);
    writeSettings(db, settings);
    rebuild(db);
    expect(lastOutliersFromCache()).toBe(true);
    expect(outlierTables(db)).toEqual(computed);
    return computed;
  }

  it('gives back exactly the scores, baselines and counts computed', () => {
    const db = seeded('exact.sscase');
    const computed = twice(db, base);
    const flagged = (computed[2] as [number, number][]).filter(([, o]) => o !== 0);
    expect(flagged.length).toBeGreaterThan(0);
    // Sizes answered with several status classes on one endpoint: groups of their own.
    const groups = computed[1] as number[][];
    expect(groups.length).toBeGreaterThan(new Set(groups.map(([e]) => e)).size);
  });

  it('is not read under other outlier settings or another endpoint grouping', () => {
    const db = seeded('settings.sscase');
    twice(db, base);
    // Floors no request exceeds: no outliers at all.
    const strict = {
      ...base,
      outliers: { ...base.outliers, latencyFloorMs: 1e12, sizeFloorBytes: 1e15 },
    };
    const withStrict = twice(db, strict);
    expect((withStrict[2] as [number, number][]).filter(([, o]) => o !== 0)).toEqual([]);
    const again = twice(db, base);
    expect((again[2] as [number, number][]).filter(([, o]) => o !== 0).length).toBeGreaterThan(0);
    // Templates merged at another threshold group requests into other endpoints.
    const merged = { ...base, templates: { mergeMinDistinct: 2 } };
    writeSettings(db, merged);
    rebuild(db);
    expect(lastOutliersFromCache()).toBe(false);
  });

  it('is not read when damaged, and is computed and kept anew', () => {
    const db = seeded('damaged.sscase');
    const computed = twice(db, base);
    for (const damage of [
      "UPDATE analysis_cache SET meta = '{' WHERE name = 'outliers'",
      `UPDATE analysis_cache SET meta = '{"n":1,"endpoints":1,"groups":0,"total":0}' WHERE name = 'outliers'`,
      // The groups' count off by one: the blob no longer fits.
      `UPDATE analysis_cache SET meta = json_set(meta, '$.groups', json_extract(meta, '$.groups') - 1)
         WHERE name = 'outliers'`,
      "UPDATE analysis_cache SET data = zeroblob(16) WHERE name = 'outliers'",
    ]) {
      db.exec(damage);
      rebuild(db);
      expect(lastOutliersFromCache()).toBe(false);
      expect(outlierTables(db)).toEqual(computed);
      rebuild(db);
      expect(lastOutliersFromCache()).toBe(true);
    }
    expect(cached(db)).toBe(true);
  });
});
