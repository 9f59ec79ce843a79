import { describe, expect, it } from 'vitest';
import {
  ADDABLE_FIELDS,
  addFilterValue,
  filterChips,
  parseFilters,
  parseUserTime,
  readUserTime,
  showOnly,
} from './filters';

describe('filter chips', () => {
  it('makes one removable chip per value, and removing one keeps the others', () => {
    const f = { ips: ['10.0.0.1', '10.0.0.2'], text: 'admin', outliersOnly: true };
    const chips = filterChips(f);
    expect(chips.map((c) => c.key)).toEqual([
      'ips:10.0.0.1',
      'ips:10.0.0.2',
      'text',
      'outliersOnly',
    ]);
    const after = chips[0]!.remove(f);
    expect(after).toEqual({ ips: ['10.0.0.2'], text: 'admin', outliersOnly: true });
    // Removing the last value drops the field instead of leaving an empty list behind.
    expect(filterChips(after)[0]!.remove(after)).toEqual({ text: 'admin', outliersOnly: true });
  });

  it('validates new values with the shared schema and reports why one is refused', () => {
    const ok = addFilterValue({}, 'statuses', '4XX');
    expect(ok).toEqual({ ok: true, filters: { statuses: ['4xx'] } });
    const bad = addFilterValue({}, 'statuses', '99');
    expect(bad.ok).toBe(false);
    const flow = addFilterValue({}, 'flows', 'Not a flow');
    expect(flow.ok).toBe(false);
    const verdict = addFilterValue({}, 'verdicts', 'malicious');
    expect(verdict).toEqual({ ok: true, filters: { verdicts: ['malicious'] } });
    expect(filterChips({ verdicts: ['malicious'] }).map((c) => c.key)).toEqual([
      'verdicts:malicious',
    ]);
    expect(addFilterValue({}, 'verdicts', 'evil').ok).toBe(false);
  });

  it('does not add a value twice, and "show only" replaces the field', () => {
    const once = addFilterValue({ methods: ['GET'] }, 'methods', 'get');
    expect(once.ok && once.filters.methods).toEqual(['GET']);
    expect(showOnly({ ips: ['a', 'b'], users: ['x'] }, 'ips', 'c')).toEqual({
      ips: ['c'],
      users: ['x'],
    });
  });

  it('treats filters from a link as hostile: anything invalid becomes no filter', () => {
    expect(parseFilters({ ips: ['1.2.3.4'] })).toEqual({ ips: ['1.2.3.4'] });
    expect(parseFilters({ ips: 'not a list' })).toEqual({});
    expect(parseFilters({ evil: 1 })).toEqual({});
  });
});

describe('typed times', () => {
  it('reads a bare time in the zone the UI shows, and honours an explicit offset', () => {
    expect(parseUserTime('2026-11-20 09:00:00', 'UTC')).toBe(Date.UTC(2026, 10, 20, 9) * 1000);
    expect(parseUserTime('2026-11-20T09:00:00+09:00', 'UTC')).toBe(
      Date.UTC(2026, 10, 20, 0) * 1000,
    );
    expect(parseUserTime('2026-11-20 09:00:00.5', 'UTC')).toBe(
      (Date.UTC(2026, 10, 20, 9) + 500) * 1000,
    );
    expect(parseUserTime('yesterday', 'UTC')).toBeNull();
  });

  it('refuses a day or time the calendar does not have instead of rolling it over', () => {
    for (const s of [
      '2026-02-30 10:00',
      '2026-02-29',
      '2026-04-31 00:00:00',
      '2026-13-01',
      '2026-00-10',
      '2026-11-20 24:00',
      '2026-11-20 10:60',
      '2026-02-30T10:00:00Z',
      '2026-02-30T10:00:00+09:00',
    ]) {
      expect([s, readUserTime(s, 'UTC')]).toEqual([s, { ok: false, reason: 'impossible' }]);
      expect(parseUserTime(s, 'local')).toBeNull();
    }
    expect(readUserTime('yesterday', 'UTC')).toEqual({ ok: false, reason: 'format' });
    // Leap day, month ends and the last second of a day are real.
    expect(parseUserTime('2028-02-29 23:59:59', 'UTC')).toBe(
      Date.UTC(2028, 1, 29, 23, 59, 59) * 1000,
    );
    expect(parseUserTime('2026-12-31', 'UTC')).toBe(Date.UTC(2026, 11, 31) * 1000);
    expect(parseUserTime('2026-01-31T23:00:00Z', 'UTC')).toBe(Date.UTC(2026, 0, 31, 23) * 1000);
  });
});

describe('addable fields', () => {
  it('offers "Outliers only" (the model and the CLI have it)', () => {
    expect(ADDABLE_FIELDS).toContain('outliersOnly');
    expect(addFilterValue({}, 'outliersOnly', true)).toEqual({
      ok: true,
      filters: { outliersOnly: true },
    });
  });
});
