import { describe, expect, it } from 'vitest';
import { caseCalls } from '../contract/caseApi.js';
import { ASSUMED_HOST_RULE, normalizeAssumedHost } from './hostName.js';

describe('normalizeAssumedHost', () => {
  it('takes host names and addresses, with a port, trimmed and lower case', () => {
    const cases: [string, string][] = [
      ['shop.example.com', 'shop.example.com'],
      ['  Shop.Example.COM ', 'shop.example.com'],
      ['localhost', 'localhost'],
      ['site-a', 'site-a'],
      ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
      ['_dmarc.example.com', '_dmarc.example.com'],
      ['shop.example.com:8443', 'shop.example.com:8443'],
      ['10.0.0.5', '10.0.0.5'],
      ['10.0.0.5:8080', '10.0.0.5:8080'],
      ['2001:DB8::1', '2001:db8::1'],
      ['[2001:db8::1]', '[2001:db8::1]'],
      ['[2001:db8::1]:443', '[2001:db8::1]:443'],
      ['a'.repeat(63) + '.' + 'b'.repeat(63), 'a'.repeat(63) + '.' + 'b'.repeat(63)],
      // 253 characters, the most a DNS name has
      [('a'.repeat(61) + '.').repeat(4) + 'exmpl', ('a'.repeat(61) + '.').repeat(4) + 'exmpl'],
    ];
    for (const [given, want] of cases) expect(normalizeAssumedHost(given), given).toBe(want);
  });

  it('refuses anything else', () => {
    const bad = [
      '',
      '   ',
      'two words',
      'http://shop.example.com',
      'shop.example.com/path',
      'shop.example.com.',
      '.example.com',
      'a..b',
      '-a.example',
      'a-.example',
      'bücher.example',
      '10.0.0.300',
      '1.2.3',
      'shop.example.com:',
      'shop.example.com:0',
      'shop.example.com:65536',
      'shop.example.com:http',
      '[2001:db8::1',
      '[shop.example.com]',
      '[2001:db8::1]:99999',
      'a:b:c',
      'x'.repeat(64) + '.example',
      ('a'.repeat(61) + '.').repeat(4) + 'examp1e', // 255 characters
      'shop.example.com\0',
    ];
    for (const b of bad) expect(normalizeAssumedHost(b), JSON.stringify(b)).toBeNull();
  });
});

describe('startImport assumeHost (the contract)', () => {
  const schema = caseCalls.startImport.input;

  it('is optional, and lower case once parsed', () => {
    expect(schema.parse({ paths: ['/a.log'] })).toEqual({ paths: ['/a.log'] });
    expect(schema.parse({ paths: ['/a.log'], assumeHost: ' Shop.Example.com ' })).toEqual({
      paths: ['/a.log'],
      assumeHost: 'shop.example.com',
    });
  });

  it('refuses what is not a host, saying what it must be', () => {
    for (const assumeHost of ['', 'not a host', 'https://x.example/', 'x'.repeat(2000), 42]) {
      const r = schema.safeParse({ paths: ['/a.log'], assumeHost });
      expect(r.success, String(assumeHost)).toBe(false);
      if (typeof assumeHost === 'string' && assumeHost.length < 1000) {
        expect(r.error?.issues[0]).toMatchObject({
          path: ['assumeHost'],
          message: ASSUMED_HOST_RULE,
        });
      }
    }
  });
});
