import { afterAll, describe, expect, it } from 'vitest';
import { asSchemaVersion } from '../../../test/caseSchema.js';
import { seedSource } from '../../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../../test/tempCase.js';
import { rebuild } from '../../analysis/rebuild.js';
import { readState } from '../../analysis/settingsRepo.js';
import { TIME_BUCKETS_STATE_KEY } from '../../analysis/timeBucketsStep.js';
import { requestHistogram } from '../../query/histogramQuery.js';
import { openCase } from '../openCase.js';
import { SCHEMA_VERSION } from './index.js';

const ws = tempWorkspace('ss-m028-');
afterAll(() => ws.cleanup());

const T0 = Date.UTC(2024, 0, 1) * 1000;

describe('migration 28: the time buckets', () => {
  it('gives a case analysed before an empty table, its histogram counted until a rebuild', () => {
    const db = ws.openCase('old.sscase');
    seedSource(db, 'a.log', [
      { tsUs: T0, ip: '192.0.2.1', path: '/a', status: 200 },
      { tsUs: T0 + 90e6, ip: '192.0.2.1', path: '/b', status: 500 },
    ]);
    rebuild(db);
    asSchemaVersion(db, 27);
    const file = db.name;
    db.close();
    const after = openCase(file);
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(after.prepare('SELECT count(*) FROM time_buckets').pluck().get()).toBe(0);
    expect(readState(after, TIME_BUCKETS_STATE_KEY)).toBeNull();
    const counted = requestHistogram(after, {}, 10);
    expect(counted.total).toBe(2);
    rebuild(after);
    expect(readState(after, TIME_BUCKETS_STATE_KEY)).not.toBeNull();
    expect(after.prepare('SELECT sum(n) FROM time_buckets').pluck().get()).toBe(2);
    expect(requestHistogram(after, {}, 10)).toEqual(counted);
    after.close();
  });
});
