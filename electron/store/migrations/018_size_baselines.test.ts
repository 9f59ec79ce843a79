import { afterAll, describe, expect, it } from 'vitest';
import { analysisIsCurrent, rebuild } from '../../analysis/rebuild.js';
import { listSessionRequests } from '../../query/sessionRequests.js';
import { asSchemaVersion, indexNames } from '../../../test/caseSchema.js';
import { seedSource } from '../../../test/fixtures/analysis/seedCase.js';
import {
  HUGE_PAGE_BYTES,
  sizeGroupsCapture,
} from '../../../test/fixtures/analysis/sizeGroupsCapture.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { openCase, type CaseDb } from '../openCase.js';
import { SCHEMA_VERSION } from './index.js';

const ws = tempWorkspace('ss-m018-');
afterAll(() => ws.cleanup());

const columns = (db: CaseDb) =>
  db.prepare("SELECT name, type, pk FROM pragma_table_info('endpoint_size_baselines')").all();

const baselineCount = (db: CaseDb) =>
  db.prepare('SELECT count(*) FROM endpoint_size_baselines').pluck().get() as number;

/** The size median the session's huge page is shown against. */
function shownMedian(db: CaseDb): number {
  const sid = db.prepare('SELECT sid FROM sessions').pluck().get() as string;
  const page = listSessionRequests(db, sid, {}, undefined, 1000).requests.find(
    (r) => r.respBytes === HUGE_PAGE_BYTES,
  )!;
  return page.size!.median;
}

const endpointMedian = (db: CaseDb) =>
  db.prepare("SELECT size_median FROM endpoints WHERE template = '/account'").pluck().get();

const classMedian = (db: CaseDb) =>
  db
    .prepare(
      `SELECT b.size_median FROM endpoint_size_baselines b JOIN endpoints e ON e.id = b.endpoint_id
       WHERE e.template = '/account' AND b.status_class = 2`,
    )
    .pluck()
    .get();

/** As a case analysed by version 17 has it: no size baselines per status class. */
function asV17(db: CaseDb): string {
  asSchemaVersion(db, 17);
  const file = db.name;
  db.close();
  return file;
}

describe('migration 18: size baselines per endpoint and status class', () => {
  it('gives a new case the table, which a rebuild fills', () => {
    const db = ws.openCase('new.sscase');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(columns(db)).toEqual([
      { name: 'endpoint_id', type: 'INTEGER', pk: 1 },
      { name: 'status_class', type: 'INTEGER', pk: 2 },
      { name: 'size_count', type: 'INTEGER', pk: 0 },
      { name: 'size_median', type: 'REAL', pk: 0 },
      { name: 'size_p95', type: 'REAL', pk: 0 },
      { name: 'size_mad', type: 'REAL', pk: 0 },
    ]);
    seedSource(db, 'shop', sizeGroupsCapture());
    rebuild(db);
    // /account: 2xx, 3xx, 4xx; /api/search: 2xx, 5xx.
    expect(baselineCount(db)).toBe(5);
    expect(shownMedian(db)).toBe(classMedian(db));
  });

  it('makes a case analysed with sizes stale, showing sizes as they were judged until rebuilt', () => {
    const db = ws.openCase('old.sscase');
    seedSource(db, 'shop', sizeGroupsCapture());
    rebuild(db);
    const indexes = indexNames(db);
    const migrated = openCase(asV17(db));
    expect(migrated.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(indexNames(migrated)).toEqual(indexes);
    expect(columns(migrated)).toHaveLength(6);
    expect(baselineCount(migrated)).toBe(0);
    expect(analysisIsCurrent(migrated)).toBe(false);
    // Version 17 judged sizes per endpoint: that is the median shown until the rebuild.
    expect(shownMedian(migrated)).toBe(endpointMedian(migrated));
    rebuild(migrated);
    expect(analysisIsCurrent(migrated)).toBe(true);
    expect(baselineCount(migrated)).toBe(5);
    expect(shownMedian(migrated)).toBe(classMedian(migrated));
    migrated.close();
  });

  it('leaves a case without response sizes current', () => {
    const db = ws.openCase('sizeless.sscase');
    seedSource(
      db,
      'shop',
      sizeGroupsCapture().map((r) => ({ ...r, respBytes: null })),
    );
    rebuild(db);
    expect(baselineCount(db)).toBe(0);
    const migrated = openCase(asV17(db));
    expect(analysisIsCurrent(migrated)).toBe(true);
    migrated.close();
  });
});
