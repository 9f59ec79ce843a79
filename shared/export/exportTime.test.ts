import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportTime } from './exportColumns.js';

/** The instant as Date prints it, with the microseconds after its milliseconds. */
function reference(tsUs: number): string {
  const ms = Math.floor(tsUs / 1000);
  const micro = tsUs - ms * 1000;
  const iso = new Date(ms).toISOString().slice(0, -1);
  return `${iso}${micro === 0 ? '' : String(micro).padStart(3, '0')}+00:00`;
}

describe('exportTime', () => {
  it('writes milliseconds always and microseconds when there are any', () => {
    const t = Date.UTC(2026, 2, 12, 9, 21, 40) * 1000;
    expect(exportTime(t)).toBe('2026-03-12T09:21:40.000+00:00');
    expect(exportTime(t + 7_000)).toBe('2026-03-12T09:21:40.007+00:00');
    expect(exportTime(t + 7_025)).toBe('2026-03-12T09:21:40.007025+00:00');
    expect(exportTime(t - 1)).toBe('2026-03-12T09:21:39.999999+00:00');
    expect(exportTime(-1)).toBe('1969-12-31T23:59:59.999999+00:00');
  });

  it('agrees with Date for any instant, in any order, within a second or across centuries', () => {
    const instant = fc.oneof(
      // Every instant a JavaScript number holds exactly in microseconds (1685 to 2255).
      fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
      // Neighbours: the cached second must not leak into the next one.
      fc.integer({
        min: 1_700_000_000_000_000 - 3_000_000,
        max: 1_700_000_000_000_000 + 3_000_000,
      }),
      fc.integer({ min: -3_000_000, max: 3_000_000 }),
    );
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 20 }), (times) =>
        times.every((t) => exportTime(t) === reference(t)),
      ),
    );
  });
});
