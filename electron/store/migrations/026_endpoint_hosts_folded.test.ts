import { afterAll, describe, expect, it } from 'vitest';
import { asSchemaVersion } from '../../../test/caseSchema.js';
import { seedSource } from '../../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { analysisIsCurrent, rebuild } from '../../analysis/rebuild.js';
import { openCase, type CaseDb } from '../openCase.js';
import { SCHEMA_VERSION } from './index.js';

const ws = tempWorkspace('ss-m026-');
afterAll(() => ws.cleanup());

const T0 = Date.UTC(2024, 0, 1) * 1000;

/** An analysed case whose requests name `hosts`, as version 25 left it, reopened by this build. */
function migrated(name: string, hosts: string[], splitAsBefore: boolean): CaseDb {
  const db = ws.openCase(name);
  seedSource(
    db,
    name,
    hosts.map((host, k) => ({ tsUs: T0 + k * 1e6, ip: '192.0.2.9', host, path: '/a' })),
  );
  rebuild(db);
  // What the endpoints step wrote before hosts were folded: each spelling its own endpoint.
  if (splitAsBefore) db.prepare("UPDATE endpoints SET host = 'Shop.Example'").run();
  expect(analysisIsCurrent(db)).toBe(true);
  asSchemaVersion(db, 25);
  const file = db.name;
  db.close();
  return openCase(file);
}

describe('migration 26: endpoint hosts folded', () => {
  it('makes stale a case with an endpoint host in upper case, which the rebuild folds', () => {
    const after = migrated('mixed.sscase', ['Shop.Example', 'shop.example'], true);
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(analysisIsCurrent(after)).toBe(false);
    rebuild(after);
    expect(analysisIsCurrent(after)).toBe(true);
    expect(after.prepare('SELECT host, request_count FROM endpoints').all()).toEqual([
      { host: 'shop.example', request_count: 2 },
    ]);
    after.close();
  });

  it('keeps the analysis of a case whose hosts are all in lower case', () => {
    const after = migrated('lower.sscase', ['shop.example', 'api.example'], false);
    expect(analysisIsCurrent(after)).toBe(true);
    after.close();
  });
});
