import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analysisSettingsSchema, effectiveParams } from '../../shared/analysis/settings.js';
import { scanCapture, scanDump } from '../../test/fixtures/analysis/scanCapture.js';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { CaseDb } from '../store/openCase.js';
import { appendPart, finishScan, posted } from './scanJoin.js';
import type { ScanResult } from './scanResult.js';
import { scanRows, type ScanRange } from './scanRows.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-scanjoin-');
});
afterEach(() => ws.cleanup());

const params = effectiveParams(analysisSettingsSchema.parse({}));

function ids(db: CaseDb): number[] {
  return (db.prepare('SELECT id FROM requests ORDER BY id').raw(true).all() as [number][]).map(
    (r) => r[0],
  );
}

/** The scan of `db` read as consecutive ranges that end after the given request counts. */
function scanInParts(db: CaseDb, cuts: number[]): ScanResult {
  const all = ids(db);
  const ends = [...cuts, all.length];
  const range = (from: number, to: number): ScanRange => ({
    after: from === 0 ? -Infinity : all[from - 1]!,
    upTo: all[to - 1]!,
    count: to - from,
  });
  const first = scanRows(db, params, range(0, ends[0]!), all.length);
  for (let k = 1; k < ends.length; k++) {
    const part = scanRows(db, params, range(ends[k - 1]!, ends[k]!));
    appendPart(first, posted(part));
  }
  return finishScan(first, new Map([[1, 'sha']]));
}

describe('joining scans of consecutive ranges', () => {
  it('gives exactly the scan of the whole, ids and samples included, wherever the cuts fall', () => {
    const db = ws.openCase();
    seedSource(db, 'scan', scanCapture());
    const n = ids(db).length;
    const whole = scanDump(scanInParts(db, []));
    // The capture reaches what a join must carry over: issued keys, cards, long samples.
    const r = scanInParts(db, []);
    expect(r.issued.length).toBeGreaterThan(0);
    expect(r.cards.size).toBeGreaterThan(5);
    expect(Math.max(...[...r.rawEndpointParams.values()].map((s) => s.size))).toBe(30);
    const sampled = r.rawEndpoints.values.findIndex((e) => e.endsWith('/sampled'));
    expect([...r.rawEndpointParams.get(sampled)!]).toEqual(['early']);
    expect(r.user.some((u) => u >= 0)).toBe(true);
    expect(r.bodyType.some((b) => b >= 0)).toBe(true);
    for (const cuts of [[1], [Math.floor(n / 2)], [n - 1], [17, 900, 2500], [60, 61]]) {
      expect(scanDump(scanInParts(db, cuts)), `cuts ${cuts.join(',')}`).toEqual(whole);
    }
  });

  it('refuses a range that does not hold the requests it was told to expect', () => {
    const db = ws.openCase();
    seedSource(db, 'scan', scanCapture(100));
    const n = ids(db).length;
    expect(() => scanRows(db, params, { after: -Infinity, upTo: Infinity, count: n - 1 })).toThrow(
      /requests changed/,
    );
    expect(() => scanRows(db, params, { after: -Infinity, upTo: Infinity, count: n + 1 })).toThrow(
      /requests changed/,
    );
  });
});
