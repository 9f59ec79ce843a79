import { describe, expect, it } from 'vitest';
import {
  fixedOffsetMinutes,
  isValidTimeZone,
  parseAnyTime,
  parseClfTime,
  parseEpoch,
  parseIsoTime,
  type TimeReading,
} from './parseTime.js';

const us = (iso: string): number => Date.parse(iso) * 1000;

describe('log times', () => {
  it('reads ISO and CLF times with their offsets, or in the zone when none is written', () => {
    expect(parseIsoTime('2024-03-01T10:00:00+02:00')).toBe(us('2024-03-01T08:00:00Z'));
    expect(parseIsoTime('2024-03-01 10:00:00.5', 'Europe/Berlin')).toBe(
      us('2024-03-01T09:00:00.5Z'),
    );
    expect(parseClfTime('01/Mar/2024:10:00:00 -0130')).toBe(us('2024-03-01T11:30:00Z'));
    expect(parseIsoTime('2024-02-29T00:00:00Z')).toBe(us('2024-02-29T00:00:00Z'));
    // 24:00:00 is the end of a day: the next day's midnight.
    expect(parseIsoTime('2024-03-01T24:00:00Z')).toBe(us('2024-03-02T00:00:00Z'));
  });

  it.each([
    ['an offset beyond ±18:00', '2024-01-01T00:00:00+25:00'],
    ['an offset with 99 minutes', '2024-01-01T00:00:00+05:99'],
    ['30 February', '2024-02-30T10:00:00Z'],
    ['29 February of a common year', '2023-02-29T10:00:00Z'],
    ['31 April', '2024-04-31T10:00:00Z'],
    ['hour 24 past midnight', '2024-03-01T24:30:00Z'],
  ])('refuses %s (never read as another instant)', (_, text) => {
    expect(parseIsoTime(text)).toBeNull();
  });

  it('refuses a CLF time whose written offset is not one', () => {
    expect(parseClfTime('01/Jan/2024:00:00:00 +2500')).toBeNull();
    expect(parseClfTime('30/Feb/2024:00:00:00 +0000')).toBeNull();
  });

  it('reads a zone-less time at a fixed offset given as the zone (+03:30, -0500, UTC+05:30)', () => {
    expect(parseIsoTime('2019-01-22 03:56:00', '+03:30')).toBe(us('2019-01-22T00:26:00Z'));
    expect(parseIsoTime('2024-03-01 10:00:00', '-0500')).toBe(us('2024-03-01T15:00:00Z'));
    expect(parseIsoTime('2024-03-01 10:00:00', 'UTC+05:30')).toBe(us('2024-03-01T04:30:00Z'));
    expect(fixedOffsetMinutes('GMT-08:00')).toBe(-480);
    for (const tz of ['+03:30', '-0500', 'UTC+05:30', 'Europe/Berlin', 'UTC'])
      expect([tz, isValidTimeZone(tz)]).toEqual([tz, true]);
    for (const tz of ['+15:00', '+03:60', '+3', 'Mars/Olympus', '+03:30:00'])
      expect([tz, isValidTimeZone(tz)]).toEqual([tz, false]);
  });
});

describe('times past what a double holds exactly', () => {
  it('are refused rather than stored rounded (years after 2255)', () => {
    expect(parseClfTime('10/Oct/3024:13:56:01 +0200')).toBeNull();
    expect(parseIsoTime('3024-10-10T13:56:01Z')).toBeNull();
    expect(parseAnyTime('3024-10-10T13:56:01Z')).toBeNull();
    expect(parseEpoch(9_900_000_000)).toBeNull(); // seconds, year 2283
    expect(parseAnyTime('Tue, 10 Oct 3024 13:55:36 GMT')).toBeNull();
    // The last exactly held years still read.
    expect(parseIsoTime('2250-01-01T00:00:00Z')).toBe(Date.UTC(2250, 0, 1) * 1000);
  });
});

describe('TimeReading: whether a time was read in the assumed zone', () => {
  /** Whether `read` read a time, and what it said of the zone (starting from `before`). */
  const how = (read: (r: TimeReading) => number | null, before: boolean): [boolean, boolean] => {
    const r: TimeReading = { zoneAssumed: before };
    const value = read(r);
    return [value !== null, r.zoneAssumed];
  };

  it('a text without an offset was; one with an offset, a zone name or an epoch number was not', () => {
    const cases: [string | number, boolean][] = [
      ['2024-03-10T01:30:00', true],
      ['2024-03-10 01:30:00.5', true],
      ['2024-03-10T01:30:00Z', false],
      ['2024-03-10T01:30:00+05:30', false],
      ['2024-03-10T01:30:00 -0800', false],
      ['10/Oct/2000:13:55:36', true],
      ['10/Oct/2000:13:55:36 -0700', false],
      ['03/10/2024 01:30', true],
      ['Tue, 10 Oct 2000 13:55:36 GMT', false],
      [1709280001000, false],
      ['1709280001', false],
    ];
    for (const [text, assumed] of cases)
      expect([text, how((r) => parseAnyTime(text, 'Asia/Tokyo', r), !assumed)]).toEqual([
        text,
        [true, assumed],
      ]);
    expect(how((r) => parseClfTime('10/Oct/2000:13:55:36', 'UTC', r), false)).toEqual([true, true]);
    expect(how((r) => parseIsoTime('2024-03-10T01:30:00Z', 'UTC', r), true)).toEqual([true, false]);
  });

  it('is left as it was when no time is read (an offset that is not one is no time)', () => {
    const r: TimeReading = { zoneAssumed: true };
    expect(parseIsoTime('2024-03-10T01:30:00+25:00', 'UTC', r)).toBeNull();
    expect(parseAnyTime('not a time', 'UTC', r)).toBeNull();
    expect(r.zoneAssumed).toBe(true);
  });
});
