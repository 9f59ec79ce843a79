import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dottedValue, formatIpAddress, ipAddressKey, parseIpAddress } from './ipAddress.js';
import { ipRangeProblemText, ipRangesMatcher, parseIpRange, type IpRange } from './ipRange.js';

const range = (s: string): IpRange => {
  const r = parseIpRange(s);
  if (!r.ok) throw new Error(`${s}: ${JSON.stringify(r.problem)}`);
  return r.range;
};
const inRange = (r: string, value: string): boolean => ipRangesMatcher([range(r)])(value);

describe('IP addresses', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['010.000.0.1', '10.0.0.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['::FFFF:0102:0304', '::ffff:1.2.3.4'],
    ['::1.2.3.4', '::102:304'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
  ])('reads %s as %s', (text, canonical) => {
    const a = parseIpAddress(text, { zone: false });
    expect(a && formatIpAddress(a)).toBe(canonical);
  });

  it.each([
    '',
    '10.0.0',
    '10.1',
    '0x7f.0.0.1',
    '256.0.0.1',
    '10.0.0.1.',
    '1.2.3.4:80',
    '1::2::3',
    ':1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7::8',
    '1::2:',
    'abcde::1',
    '::ffff:1.2.3',
    '::ffff:1.2.3.4:5',
    'g::1',
    'example.com',
    'fe80::1%',
  ])('refuses %j', (text) => {
    expect(parseIpAddress(text, { zone: true })).toBeNull();
  });

  it('takes a %zone only where it is allowed, and leaves it out of the value', () => {
    expect(parseIpAddress('fe80::1%eth0', { zone: false })).toBeNull();
    expect(parseIpAddress('fe80::1%eth0', { zone: true })?.groups).toEqual([
      0xfe80, 0, 0, 0, 0, 0, 0, 1,
    ]);
  });
});

describe('IP ranges', () => {
  it('reads a network address and prefix, and spells it one way', () => {
    expect(range(' 10.0.0.0/8 ')).toMatchObject({ text: '10.0.0.0/8', family: 4, prefix: 8 });
    expect(range('2001:0DB8::/32').text).toBe('2001:db8::/32');
    expect(range('0.0.0.0/0').text).toBe('0.0.0.0/0');
    expect(range('::/0').text).toBe('::/0');
    expect(range('203.0.113.7/32').text).toBe('203.0.113.7/32');
    expect(range('2001:db8::1/128').text).toBe('2001:db8::1/128');
    expect(range('::ffff:10.0.0.0/104').text).toBe('::ffff:10.0.0.0/104');
  });

  it.each([
    ['10.0.0.0', { kind: 'address' }],
    ['10.0.0/8', { kind: 'address' }],
    ['example.com/8', { kind: 'address' }],
    ['fe80::%eth0/64', { kind: 'address' }],
    ['10.0.0.0/8/8', { kind: 'prefix', max: 32 }],
    ['10.0.0.0/', { kind: 'prefix', max: 32 }],
    ['10.0.0.0/33', { kind: 'prefix', max: 32 }],
    ['10.0.0.0/-1', { kind: 'prefix', max: 32 }],
    ['10.0.0.0/08', { kind: 'prefix', max: 32 }],
    ['10.0.0.0/ 8', { kind: 'prefix', max: 32 }],
    ['10.0.0.0/255.0.0.0', { kind: 'prefix', max: 32 }],
    ['2001:db8::/129', { kind: 'prefix', max: 128 }],
    ['203.0.113.7/24', { kind: 'hostBits', network: '203.0.113.0/24' }],
    ['10.1.0.0/8', { kind: 'hostBits', network: '10.0.0.0/8' }],
    ['10.0.0.1/0', { kind: 'hostBits', network: '0.0.0.0/0' }],
    ['2001:db8::1/32', { kind: 'hostBits', network: '2001:db8::/32' }],
    ['2001:db8:8000::/33', { kind: 'ok' }],
    ['2001:db8:c000::/33', { kind: 'hostBits', network: '2001:db8:8000::/33' }],
  ])('%s: %j', (text, want) => {
    const r = parseIpRange(text);
    expect(r.ok ? { kind: 'ok' } : r.problem).toEqual(want);
  });

  it('says why a range is refused, with the range probably meant', () => {
    const r = parseIpRange('203.0.113.7/24');
    expect(!r.ok && ipRangeProblemText('203.0.113.7/24', r.problem)).toBe(
      '203.0.113.7/24 has bits set past its prefix; the range is written 203.0.113.0/24',
    );
    const p = parseIpRange('2001:db8::/200');
    expect(!p.ok && ipRangeProblemText('x', p.problem)).toMatch(/from 0 to 128$/);
  });

  it('matches stored addresses by value, at the prefix boundary', () => {
    expect(inRange('203.0.113.0/24', '203.0.113.0')).toBe(true);
    expect(inRange('203.0.113.0/24', '203.0.113.255')).toBe(true);
    expect(inRange('203.0.113.0/24', '203.0.114.0')).toBe(false);
    expect(inRange('203.0.113.0/24', '203.0.112.255')).toBe(false);
    expect(inRange('10.0.0.0/8', '10.255.255.255')).toBe(true);
    expect(inRange('10.0.0.0/8', '11.0.0.0')).toBe(false);
    expect(inRange('10.0.0.0/9', '10.127.0.1')).toBe(true);
    expect(inRange('10.0.0.0/9', '10.128.0.1')).toBe(false);
    expect(inRange('0.0.0.0/0', '255.255.255.255')).toBe(true);
    expect(inRange('198.51.100.7/32', '198.51.100.7')).toBe(true);
    expect(inRange('198.51.100.7/32', '198.51.100.6')).toBe(false);
    expect(inRange('2001:db8::/32', '2001:DB8:ffff::1')).toBe(true);
    expect(inRange('2001:db8::/32', '2001:db9::1')).toBe(false);
    expect(inRange('2001:db8:8000::/33', '2001:db8:7fff::1')).toBe(false);
    expect(inRange('2001:db8:8000::/33', '2001:db8:8000::1')).toBe(true);
    expect(inRange('fe80::/10', 'fe80::1%eth0')).toBe(true);
    expect(inRange('fe80::/10', 'febf::1')).toBe(true);
    expect(inRange('fe80::/10', 'fec0::1')).toBe(false);
  });

  it('puts IPv4 and IPv4-mapped IPv6 addresses in one space', () => {
    expect(inRange('1.2.0.0/16', '::ffff:1.2.3.4')).toBe(true);
    expect(inRange('1.2.0.0/16', '::ffff:102:304')).toBe(true);
    expect(inRange('1.2.0.0/16', '::1.2.3.4')).toBe(false);
    expect(inRange('::ffff:0:0/96', '1.2.3.4')).toBe(true);
    expect(inRange('::ffff:1.2.0.0/112', '1.2.3.4')).toBe(true);
    expect(inRange('::/0', '1.2.3.4')).toBe(true);
    expect(inRange('2001:db8::/32', '32.1.13.184')).toBe(false);
  });

  it('finds nothing in values that are not addresses', () => {
    for (const v of ['', '-', 'unknown', 'crawl.example.com', '10.0.0', '10.0.0.1:443'])
      expect([v, inRange('0.0.0.0/0', v) || inRange('::/0', v)]).toEqual([v, false]);
  });

  it('matches any of several ranges', () => {
    const m = ipRangesMatcher([range('10.0.0.0/8'), range('2001:db8::/32')]);
    expect(['10.1.1.1', '2001:db8::5', '192.0.2.1'].map(m)).toEqual([true, true, false]);
    expect(ipRangesMatcher([])('10.0.0.1')).toBe(false);
  });

  it('tests an IPv4 address as it tests its IPv4-mapped form, for any range', () => {
    const anyRange = fc
      .oneof(
        fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })),
        fc.tuple(
          fc.oneof(
            fc.ipV6(),
            fc.ipV4().map((a) => `::ffff:${a}`),
          ),
          fc.integer({ min: 0, max: 128 }),
        ),
      )
      .map(([a, p]) => {
        const r = parseIpRange(`${a}/${p}`);
        if (r.ok) return r.range;
        if (r.problem.kind !== 'hostBits') throw new Error(`${a}/${p}`);
        return range(r.problem.network);
      });
    fc.assert(
      fc.property(fc.array(anyRange, { maxLength: 3 }), fc.ipV4(), (ranges, a) => {
        const m = ipRangesMatcher(ranges);
        expect(m(a)).toBe(m(`::ffff:${a}`));
      }),
    );
  });
});

describe('address keys', () => {
  it('gives every spelling of an address one key, and keeps the zone apart', () => {
    const key = (s: string) => ipAddressKey(s)?.key;
    for (const same of [
      ['2001:db8::5', '2001:DB8:0::5', '2001:0db8:0:0:0:0:0:0005', ' 2001:db8::5 '],
      ['10.0.4.8', '::ffff:10.0.4.8', '::FFFF:a00:408', '0:0:0:0:0:ffff:10.0.4.8', '010.0.4.8'],
      ['fe80::1', 'FE80:0::1%eth0', 'fe80::1%eth1'],
    ])
      expect(new Set(same.map(key)), same[0]).toEqual(new Set([key(same[0]!)]));
    expect(key('2001:db8::5')).not.toBe(key('2001:db8::6'));
    expect(key('10.0.4.8')).not.toBe(key('::10.0.4.8'));
    expect(ipAddressKey('fe80::1%eth0')?.zone).toBe('eth0');
    expect(ipAddressKey('fe80::1')?.zone).toBeNull();
    for (const name of ['unknown', 'crawl.example.com', '10.0.4', '', '1::2::3'])
      expect(ipAddressKey(name)).toBeNull();
  });

  it('agrees with the /128 of the address on any address', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), fc.boolean(), (g, upper) => {
        const a = { family: 6 as const, groups: g };
        let text = formatIpAddress(a);
        if (upper) text = text.toUpperCase();
        const full = g.map((x) => x.toString(16).padStart(4, '0')).join(':');
        expect(ipAddressKey(text)?.key).toBe(ipAddressKey(full)?.key);
        expect(inRange(`${formatIpAddress(a)}/128`, full)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('dotted decimal read fast', () => {
  it('agrees with the address parser on any text', () => {
    const texts = fc.oneof(
      fc.ipV4(),
      fc.ipV4Extended(),
      fc.stringMatching(/^[0-9.]{0,16}$/),
      fc.string({ maxLength: 16 }),
    );
    fc.assert(
      fc.property(texts, (s) => {
        const a = parseIpAddress(s, { zone: true });
        const want = a?.family === 4 ? a.groups[6]! * 65536 + a.groups[7]! : -1;
        expect(dottedValue(s)).toBe(want);
      }),
      { numRuns: 2000 },
    );
    expect(dottedValue('255.255.255.255')).toBe(2 ** 32 - 1);
  });
});
