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

  it('lower-cases the ASCII letters of a host only, as DNS compares names (RFC 4343)', () => {
    const f = filtersSchema.parse({
      hosts: [' Example.COM ', 'API.Example.com:8443', 'BÜCHER.Example'],
    });
    // Non-ASCII letters are left as written: the stored host is compared ASCII-insensitively.
    expect(f.hosts).toEqual(['example.com', 'api.example.com:8443', 'bÜcher.example']);
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

describe('the IP filter', () => {
  it('keeps an address as given and a CIDR range in its one spelling, mixed in one list', () => {
    const f = filtersSchema.parse({
      ips: ['10.0.0.1', ' 203.0.113.0/24 ', '2001:DB8::/32', 'crawl.example.com', '::ffff:0:0/96'],
    });
    expect(f.ips).toEqual([
      '10.0.0.1',
      '203.0.113.0/24',
      '2001:db8::/32',
      'crawl.example.com',
      '::ffff:0.0.0.0/96',
    ]);
    // A parsed filter parses to itself (a link decodes to what was encoded).
    expect(filtersSchema.parse(f)).toEqual(f);
  });

  it.each([
    ['10.0.0.0/33', 'the prefix length of an IPv4 range is a whole number from 0 to 32'],
    ['2001:db8::/129', 'the prefix length of an IPv6 range is a whole number from 0 to 128'],
    ['10.0.0.0/', 'the prefix length of an IPv4 range is a whole number from 0 to 32'],
    [
      '203.0.113.7/24',
      '203.0.113.7/24 has bits set past its prefix; the range is written 203.0.113.0/24',
    ],
    ['10.0.0/8', expect.stringMatching(/^a range is an IPv4 or IPv6 network address, /)],
    ['not/an-ip', expect.stringMatching(/^a range is an IPv4 or IPv6 network address, /)],
  ])('refuses the range %j and says why', (ip, message) => {
    const r = filtersSchema.safeParse({ ips: ['10.0.0.1', ip] });
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['ips.1', message]]);
  });
});
