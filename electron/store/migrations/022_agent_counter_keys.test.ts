import { afterAll, describe, expect, it } from 'vitest';
import { analysisIsCurrent, rebuild } from '../../analysis/rebuild.js';
import { asSchemaVersion } from '../../../test/caseSchema.js';
import { seedSource } from '../../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { openCase, type CaseDb } from '../openCase.js';
import { SCHEMA_VERSION } from './index.js';

const ws = tempWorkspace('ss-m022-');
afterAll(() => ws.cleanup());

const T0 = Date.UTC(2024, 0, 1) * 1000;
const nikto = (n: number): string =>
  `Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:${String(n).padStart(6, '0')})`;

/** Four requests from one address without cookies, with the given agents; analysed. */
function analysed(name: string, agents: readonly string[]): CaseDb {
  const db = ws.openCase(name);
  seedSource(
    db,
    name,
    agents.map((userAgent, k) => ({ tsUs: T0 + k * 1e6, ip: '192.0.2.200', userAgent })),
  );
  rebuild(db);
  return db;
}

/** As version 21 left it (its one-request sessions' first agents are the ones seen here). */
function asV21(db: CaseDb): CaseDb {
  asSchemaVersion(db, 21);
  const file = db.name;
  db.close();
  return openCase(file);
}

describe('migration 22: agent counters out of ip+ua keys', () => {
  it("makes a case with a Nikto run's one-request sessions stale; its rebuild keys the run as one", () => {
    const migrated = asV21(analysed('nikto.sscase', [1, 2, 3, 4].map(nikto)));
    expect(migrated.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(analysisIsCurrent(migrated)).toBe(false);
    rebuild(migrated);
    expect(analysisIsCurrent(migrated)).toBe(true);
    expect(migrated.prepare('SELECT request_count FROM sessions').pluck().all()).toEqual([4]);
    migrated.close();
  });

  it('keeps the analysis of a case whose agents have no counter', () => {
    const agents = ['Firefox', 'curl/8', 'Mozilla/5.0 (Test:1) Safari', 'Firefox'];
    const migrated = asV21(analysed('plain.sscase', agents));
    expect(analysisIsCurrent(migrated)).toBe(true);
    migrated.close();
  });
});
