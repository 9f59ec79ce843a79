import { afterAll, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../../test/tempCase.js';
import { readCache, writeCache } from './analysisCache.js';

describe('the analysis cache', () => {
  const ws = tempWorkspace('ss-analysiscache-');
  afterAll(() => ws.cleanup());

  it('reads an entry back only under the basis it was kept with', () => {
    const db = ws.openCase('basis.sscase');
    expect(writeCache(db, 'x', 'b1', '{"a":1}', Uint8Array.from([1, 2, 3]))).toBe(true);
    expect(readCache(db, 'x', 'b2')).toBeUndefined();
    const got = readCache(db, 'x', 'b1')!;
    expect(got.meta).toBe('{"a":1}');
    expect([...got.data]).toEqual([1, 2, 3]);
    writeCache(db, 'x', 'b2', '{}', new Uint8Array(0));
    expect(readCache(db, 'x', 'b1')).toBeUndefined();
    expect(readCache(db, 'x', 'b2')).toBeDefined();
  });

  it('keeps nothing under a name whose entry is over the size limit', () => {
    const db = ws.openCase('limit.sscase');
    writeCache(db, 'x', 'b1', '{}', new Uint8Array(4));
    writeCache(db, 'y', 'b1', '{}', new Uint8Array(4));
    expect(writeCache(db, 'x', 'b2', '{}', new Uint8Array(9), 8)).toBe(false);
    expect(writeCache(db, 'y', 'b2', '"123456789"', new Uint8Array(1), 8)).toBe(false);
    expect(db.prepare('SELECT count(*) FROM analysis_cache').pluck().get()).toBe(0);
    expect(writeCache(db, 'x', 'b3', '{}', new Uint8Array(8), 8)).toBe(true);
  });
});
