import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTimeBuckets, periodStart, TIME_BUCKET_WIDTHS_US } from './timeBuckets.js';

const S = 1e6;
const T0 = Date.UTC(2024, 4, 1) * 1000;

/** The rows countTimeBuckets gives, one object each. */
function rows(ts: number[], status: number[], maxRows?: number) {
  const b = countTimeBuckets(Float64Array.from(ts), Int32Array.from(status), ts.length, maxRows);
  if (b === null) return null;
  return {
    widthUs: b.widthUs,
    rows: Array.from(b.startUs, (startUs, i) => ({
      startUs,
      n: b.n[i],
      s: [b.s2[i], b.s3[i], b.s4[i], b.s5[i]],
      firstUs: b.firstUs[i],
      lastUs: b.lastUs[i],
    })),
  };
}

/** The same counted the plain way: a map of period starts, for the property test. */
function reference(ts: number[], status: number[], maxRows: number) {
  const widthUs = TIME_BUCKET_WIDTHS_US.find(
    (w) => new Set(ts.map((t) => Math.floor(t / w))).size <= maxRows,
  );
  if (widthUs === undefined) return null;
  const byStart = new Map<number, { n: number; s: number[]; firstUs: number; lastUs: number }>();
  ts.forEach((t, i) => {
    const start = Math.floor(t / widthUs) * widthUs;
    const r = byStart.get(start) ?? { n: 0, s: [0, 0, 0, 0], firstUs: t, lastUs: t };
    r.n++;
    const cls = Math.floor(status[i]! / 100);
    if (status[i]! >= 0 && cls >= 2 && cls <= 5) r.s[cls - 2]!++;
    r.firstUs = Math.min(r.firstUs, t);
    r.lastUs = Math.max(r.lastUs, t);
    byStart.set(start, r);
  });
  return {
    widthUs,
    rows: [...byStart.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([startUs, r]) => ({ startUs, ...r })),
  };
}

describe('periodStart', () => {
  it('is the start of the period holding a time, before 1970 too', () => {
    expect(periodStart(T0 + 61 * S + 5, 60 * S)).toBe(T0 + 60 * S);
    expect(periodStart(T0 + 60 * S, 60 * S)).toBe(T0 + 60 * S);
    expect(periodStart(T0 + 60 * S - 1, 60 * S)).toBe(T0);
    expect(periodStart(-1, S)).toBe(-S);
    expect(periodStart(-S, S)).toBe(-S);
    // Far from 1970, where dividing by the width rounds: still exact.
    const far = 4_102_444_800_000_000 * 2; // 2200-01-01 × 2, in µs
    expect(periodStart(far + S - 1, S)).toBe(far);
  });
});

describe('countTimeBuckets', () => {
  it('counts each second by status class, with its first and last request', () => {
    const got = rows(
      [T0 + 1.5 * S, T0 + 0.2 * S, T0 + 0.9 * S, T0 + 5 * S, T0 + 1.1 * S],
      [200, 404, -1, 503, 302],
    );
    expect(got).toEqual({
      widthUs: S,
      rows: [
        { startUs: T0, n: 2, s: [0, 0, 1, 0], firstUs: T0 + 0.2 * S, lastUs: T0 + 0.9 * S },
        { startUs: T0 + S, n: 2, s: [1, 1, 0, 0], firstUs: T0 + 1.1 * S, lastUs: T0 + 1.5 * S },
        { startUs: T0 + 5 * S, n: 1, s: [0, 0, 0, 1], firstUs: T0 + 5 * S, lastUs: T0 + 5 * S },
      ],
    });
  });

  it('takes the finest of second, minute, hour and day that keeps within the rows allowed', () => {
    const ts = [T0, T0 + 30 * S, T0 + 90 * S, T0 + 2 * 3600 * S, T0 + 3 * 86_400 * S];
    const st = ts.map(() => 200);
    expect(rows(ts, st, 5)!.widthUs).toBe(S);
    expect(rows(ts, st, 4)!.widthUs).toBe(60 * S);
    expect(rows(ts, st, 3)!.widthUs).toBe(3600 * S);
    expect(rows(ts, st, 2)!.widthUs).toBe(86_400 * S);
    expect(rows(ts, st, 1)).toBeNull();
    expect(rows([], [])).toBeNull();
  });

  it('counts a case with a line dated decades off by the seconds its requests fill', () => {
    // The span is too long for a slot per second; the few seconds that hold requests are found
    // by sorting, so a narrowed chart of the busy part can still be added up.
    const ts = [0, T0, T0 + 1, T0 + 2 * S, T0 + 3 * S];
    const got = rows(ts, [200, 200, 500, 404, 302]);
    expect(got!.widthUs).toBe(S);
    expect(got!.rows.map((r) => [r.startUs, r.n])).toEqual([
      [0, 1],
      [T0, 2],
      [T0 + 2 * S, 1],
      [T0 + 3 * S, 1],
    ]);
    expect(got).toEqual(reference(ts, [200, 200, 500, 404, 302], 65_536));
  });

  it('counts as a map of period starts would, whatever the times (property)', () => {
    const time = fc.oneof(
      fc.integer({ min: T0, max: T0 + 3 * 3600 * S }),
      fc.integer({ min: -86_400 * S * 400, max: T0 * 2 }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(time, fc.constantFrom(-1, 100, 200, 204, 302, 404, 500, 599, 600)), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 40 }),
        (reqs, maxRows) => {
          const ts = reqs.map((r) => r[0]);
          const st = reqs.map((r) => r[1]);
          expect(rows(ts, st, maxRows)).toEqual(reference(ts, st, maxRows));
        },
      ),
      { numRuns: 300 },
    );
  });
});
