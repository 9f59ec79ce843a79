import { describe, expect, it } from 'vitest';
import { filtersSchema, isEmptyFilter } from './filterModel.js';

describe('filter model', () => {
  it('accepts every filter and normalizes times, statuses, methods and attack types', () => {
    const f = filtersSchema.parse({
      from: '2024-03-01T00:00:00Z',
      to: '2024-03-01T01:00:00+01:00',
      statuses: ['4XX', '200'],
      methods: ['post'],
      attackTypes: ['SQLi', 'xss'],
      flows: ['Billing'],
      outliersOnly: true,
    });
    expect(f.from).toBe(Date.UTC(2024, 2, 1) * 1000);
    expect(f.to).toBe(Date.UTC(2024, 2, 1) * 1000);
    expect(f.statuses).toEqual(['4xx', '200']);
    expect(f.methods).toEqual(['POST']);
    // Types are stored as lowercase identifiers: "SQLi" would otherwise match nothing.
    expect(f.attackTypes).toEqual(['sqli', 'xss']);
    expect(isEmptyFilter(f)).toBe(false);
    expect(isEmptyFilter(filtersSchema.parse({}))).toBe(true);
  });

  it.each([
    [{ from: '2024-03-01T00:00:00' }],
    [{ statuses: ['600'] }],
    [{ statuses: ['4x'] }],
    [{ flows: ['Nope'] }],
    [{ sessionId: 'x' }],
    [{ endpoints: ['e123'] }],
    [{ unknown: 1 }],
    [{ text: '' }],
  ])('rejects %j', (input) => {
    expect(filtersSchema.safeParse(input).success).toBe(false);
  });

  it.each(['yesterday', '2024-03-01T00:00:00', '1709251200'])(
    'says what a time must look like when given %j',
    (from) => {
      const r = filtersSchema.safeParse({ from });
      expect(r.success).toBe(false);
      expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
        ['from', expect.stringMatching(/^an ISO time with a zone .*2024-03-01T10:00:00Z$/)],
      ]);
    },
  );
});
