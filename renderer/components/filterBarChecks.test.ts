import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/I18nContext';
import { addTypedFilter, isIpAddress, timeRangeError } from './filterBarChecks';

const i18n = createI18n('en', 'UTC');
const at = (iso: string): number => Date.parse(iso) * 1000;

describe('typed filter values', () => {
  it('takes single IPv4 and IPv6 addresses (or host names) for IP, as the backend matches them exactly', () => {
    for (const ip of [
      '10.0.0.1',
      '192.0.2.255',
      '2001:db8::5',
      '::1',
      'fe80::1%eth0',
      '::ffff:1.2.3.4',
      // Logs written with host name lookups keep the client's name in the address field.
      'crawl-66-249-66-1.googlebot.com',
      'host.example.',
    ])
      expect([ip, isIpAddress(ip)]).toEqual([ip, true]);
    for (const bad of [
      'not-an-ip',
      '256.1.1.1',
      '10.0.0',
      '10.0.0.0/8',
      '2001:db8::/32',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      'abcde::1',
      'two words.com',
      'a..b.com',
      '',
    ])
      expect([bad, isIpAddress(bad)]).toEqual([bad, false]);
  });

  it('refuses an IP that is not an address, with a message for the bar', () => {
    const r = addTypedFilter({}, 'ips', 'not-an-ip', i18n);
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/^IP: an IPv4 or IPv6/) });
    expect(addTypedFilter({}, 'ips', ' 10.0.0.1 ', i18n)).toEqual({
      ok: true,
      filters: { ips: ['10.0.0.1'] },
    });
  });

  it('takes an IP range, and says in the UI language why one is refused', () => {
    expect(addTypedFilter({ ips: ['10.0.0.1'] }, 'ips', ' 10.0.0.0/8 ', i18n)).toEqual({
      ok: true,
      filters: { ips: ['10.0.0.1', '10.0.0.0/8'] },
    });
    expect(addTypedFilter({}, 'ips', '::FFFF:0:0/96', i18n)).toEqual({
      ok: true,
      filters: { ips: ['::ffff:0.0.0.0/96'] },
    });
    const refused = (typed: string, lang: Parameters<typeof createI18n>[0] = 'en') => {
      const r = addTypedFilter({}, 'ips', typed, createI18n(lang, 'UTC'));
      return r.ok ? null : r.message;
    };
    expect(refused('203.0.113.7/24')).toBe(
      'IP: 203.0.113.7/24 has bits set past its prefix; the range is written 203.0.113.0/24',
    );
    expect(refused('2001:db8::/129')).toBe(
      'IP: the prefix length after the slash is a whole number from 0 to 128',
    );
    expect(refused('10.0.0/8')).toMatch(/^IP: a range is an IPv4 or IPv6 network address/);
    expect(refused('fe80::%eth0/64')).toMatch(/^IP: a range is an IPv4 or IPv6 network address/);
    expect(refused('203.0.113.7/24', 'ja')).toMatch(/203\.0\.113\.0\/24 と書きます$/);
    expect(refused('10.0.0.0/33', 'ja')).toMatch(/0 から 32 までの整数です$/);
  });

  it('refuses a From after To (either typed last) and an empty range', () => {
    const from = at('2026-11-20T10:00:00Z');
    expect(addTypedFilter({ from }, 'to', '2026-11-20 09:00', i18n)).toEqual({
      ok: false,
      message: 'From is after To',
    });
    expect(
      addTypedFilter({ to: at('2026-11-20T09:00:00Z') }, 'from', '2026-11-20 10:00', i18n),
    ).toEqual({ ok: false, message: 'From is after To' });
    expect(addTypedFilter({ from }, 'to', '2026-11-20 10:00', i18n).ok).toBe(false);
    expect(addTypedFilter({ from }, 'to', '2026-11-20 11:00', i18n)).toEqual({
      ok: true,
      filters: { from, to: at('2026-11-20T11:00:00Z') },
    });
    expect(timeRangeError({ from: 2, to: 1 })).toBe('after');
    expect(timeRangeError({ from: 1 })).toBeNull();
  });

  it('refuses a date the calendar does not have instead of rolling it over', () => {
    expect(addTypedFilter({}, 'from', '2026-02-30 10:00', i18n)).toEqual({
      ok: false,
      message: 'From: 2026-02-30 10:00 is not a date and time on the calendar',
    });
    expect(addTypedFilter({}, 'to', 'soon', i18n)).toEqual({
      ok: false,
      message: 'To: YYYY-MM-DD HH:mm:ss (UTC)',
    });
  });

  it('adds a flag such as "Outliers only" without a typed value', () => {
    expect(addTypedFilter({ ips: ['10.0.0.1'] }, 'outliersOnly', '', i18n)).toEqual({
      ok: true,
      filters: { ips: ['10.0.0.1'], outliersOnly: true },
    });
  });
});
