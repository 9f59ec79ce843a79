import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAnyTime } from '../../../shared/time/parseTime.js';
import { csvTimeToUs } from './csvTime.js';

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/**
 * ISO-like times, valid and not: out-of-range fields, 0–12 fraction digits, odd zones. `narrow`
 * keeps them within a few seconds, so that rows share their second as a log's do.
 */
const isoish = (narrow: boolean): fc.Arbitrary<string> =>
  fc
    .record({
      year: narrow ? fc.constant(2024) : fc.integer({ min: 1960, max: 2100 }),
      month: narrow ? fc.constant(2) : fc.integer({ min: 0, max: 13 }),
      day: narrow ? fc.constant(1) : fc.integer({ min: 0, max: 32 }),
      hour: narrow ? fc.constant(0) : fc.integer({ min: 0, max: 25 }),
      minute: narrow ? fc.constant(0) : fc.integer({ min: 0, max: 60 }),
      second: narrow ? fc.integer({ min: 0, max: 2 }) : fc.integer({ min: 0, max: 61 }),
      sepT: fc.constantFrom('T', ' ', 't'),
      fracSep: fc.constantFrom('.', ',', ':'),
      frac: fc.stringMatching(/^\d{0,12}$/),
      zone: fc.constantFrom('', 'Z', 'z', ' Z', '  Z', '+05:30', '-0700', '+99:00', ']', 'x', ' '),
    })
    .map(
      (t) =>
        `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}${t.sepT}${pad(t.hour, 2)}:` +
        `${pad(t.minute, 2)}:${pad(t.second, 2)}${t.frac === '' ? '' : t.fracSep + t.frac}${t.zone}`,
    );

describe('csvTimeToUs: the remembered whole second', () => {
  it('gives exactly what parseAnyTime gives, row after row, in any zone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(isoish(false), isoish(true), fc.string({ maxLength: 30 })), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata'),
        (texts, tz) => {
          for (const text of texts) expect(csvTimeToUs(text, tz)).toBe(parseAnyTime(text, tz));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reuses the second for the next row and adds only its fraction', () => {
    const base = Date.UTC(2024, 2, 1, 0, 0, 7) * 1000;
    expect(csvTimeToUs('2024-03-01T00:00:07.024Z', 'UTC')).toBe(base + 24_000);
    expect(csvTimeToUs('2024-03-01T00:00:07.5Z', 'UTC')).toBe(base + 500_000);
    expect(csvTimeToUs('2024-03-01T00:00:07.123456789Z', 'UTC')).toBe(base + 123_456);
    // Same second, another zone or time zone assumption: not the remembered value.
    expect(csvTimeToUs('2024-03-01T00:00:07.5+01:00', 'UTC')).toBe(base - 3_600e6 + 500_000);
    expect(csvTimeToUs('2024-03-01T00:00:07', 'Asia/Kolkata')).toBe(base - 19_800e6);
    expect(csvTimeToUs('2024-03-01T00:00:07.1234567890Z', 'UTC')).toBeNull();
    expect(csvTimeToUs('2024-02-30T00:00:07Z', 'UTC')).toBe(parseAnyTime('2024-02-30T00:00:07Z'));
  });

  it('reads 24:00:00 as the next midnight, and refuses it with a fraction, as parseAnyTime does', () => {
    const midnight = Date.UTC(2024, 2, 2) * 1000;
    expect(csvTimeToUs('2024-03-01T24:00:00Z', 'UTC')).toBe(midnight);
    // After that whole second was remembered too (a case the property test once found).
    expect(parseAnyTime('2024-03-01T24:00:00.4Z', 'UTC')).toBeNull();
    expect(csvTimeToUs('2024-03-01T24:00:00.4Z', 'UTC')).toBeNull();
    expect(csvTimeToUs('1970-01-01 24:00:00,5', 'America/New_York')).toBeNull();
  });
});
