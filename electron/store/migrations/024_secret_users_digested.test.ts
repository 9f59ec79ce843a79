import { afterAll, describe, expect, it } from 'vitest';
import { analysisSettingsSchema, type ContextParam } from '../../../shared/analysis/settings.js';
import { asSchemaVersion } from '../../../test/caseSchema.js';
import { seedSource } from '../../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { analysisIsCurrent, rebuild } from '../../analysis/rebuild.js';
import { writeSettings } from '../../analysis/settingsRepo.js';
import { openCase, type CaseDb } from '../openCase.js';
import { SCHEMA_VERSION } from './index.js';

const ws = tempWorkspace('ss-m024-');
afterAll(() => ws.cleanup());

const T0 = Date.UTC(2024, 0, 1) * 1000;

/** An analysed case whose settings add `param`; requests carry ?api_key=… */
function analysed(name: string, param: Partial<ContextParam>): CaseDb {
  const db = ws.openCase(name);
  seedSource(
    db,
    name,
    [1, 2, 3].map((k) => ({
      tsUs: T0 + k * 1e6,
      ip: '192.0.2.9',
      path: '/a',
      query: `api_key=k${k}`,
    })),
  );
  writeSettings(
    db,
    analysisSettingsSchema.parse({
      contextParams: [{ kind: 'query', name: 'api_key', ...param }],
    }),
  );
  rebuild(db);
  expect(analysisIsCurrent(db)).toBe(true);
  return db;
}

/** As version 23 left it, reopened (migrated) by this build. */
function migrated(db: CaseDb): CaseDb {
  asSchemaVersion(db, 23);
  const file = db.name;
  db.close();
  return openCase(file);
}

const scanCached = (db: CaseDb): number =>
  db.prepare("SELECT count(*) FROM analysis_cache WHERE name = 'scan'").pluck().get() as number;

describe('migration 24: secret users and roles digested', () => {
  it('makes stale, and drops the scan cache of, a case with a secret parameter naming a user', () => {
    const db = analysed('secret.sscase', { names: 'user', secret: true });
    expect(scanCached(db)).toBe(1);
    const after = migrated(db);
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(analysisIsCurrent(after)).toBe(false);
    expect(scanCached(after)).toBe(0);
    rebuild(after);
    expect(analysisIsCurrent(after)).toBe(true);
    after.close();
  });

  it('keeps the analysis of a case whose secret parameter names the session, or whose user one is not secret', () => {
    for (const [name, param] of [
      ['session.sscase', { names: 'session', secret: true }],
      ['plain.sscase', { names: 'user', secret: false }],
    ] as const) {
      const after = migrated(analysed(name, param));
      expect([name, analysisIsCurrent(after), scanCached(after)]).toEqual([name, true, 1]);
      after.close();
    }
  });
});
