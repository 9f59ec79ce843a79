import { describe, expect, it } from 'vitest';
import { en } from './en';
import { ja } from './ja';
import { createFormatter, formatDuration } from './format';
import { createI18n, interpolate } from './I18nContext';

describe('i18n', () => {
  it('has every English key in Japanese, with the same parameters', () => {
    const params = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(ja[key], key).toBeTruthy();
      expect(params(ja[key]), key).toEqual(params(en[key]));
    }
  });

  it('interpolates and leaves unknown parameters visible', () => {
    expect(interpolate('{n} of {m}', { n: 1 })).toBe('1 of {m}');
    expect(createI18n('ja', 'UTC').t('sessions.count', { n: 3 })).toBe('3 セッション');
  });

  it('formats evidence time in UTC, per locale', () => {
    const us = Date.UTC(2026, 10, 20, 9, 5, 7, 123) * 1000;
    // Year first, as the filter bar takes it: no day/month order to guess (12/03 is March or December).
    expect(createFormatter('en', 'UTC').ts(us)).toBe('2026-11-20 09:05:07.123');
    expect(createFormatter('en', 'UTC').date(us)).toBe('2026-11-20');
    expect(createFormatter('ja', 'UTC').ts(us)).toBe('2026/11/20 09:05:07.123');
    expect(createFormatter('en', 'UTC').ts(null)).toBe('—');
    expect(formatDuration(3_723_000_000)).toBe('1h 02m');
    expect(formatDuration(850_000)).toBe('850ms');
  });

  it('shows latency by one rule: two decimals at most under 10 ms, whole from 10, never 0', () => {
    const ms = createFormatter('en', 'UTC').ms;
    // The review's figures (15.05, 8,668, 3.532) and the edges of each range.
    expect([15.05, 8668.4, 3.532, 12.5, 0.01, 0.012, 1.2345, 9.996, 870.5, 0].map(ms)).toEqual([
      '15',
      '8,668',
      '3.53',
      '13',
      '0.01',
      '0.01',
      '1.23',
      '10',
      '871',
      '0',
    ]);
    expect([0.0004, 0.0049].map(ms)).toEqual(['<0.01', '<0.01']);
    expect(ms(0.005)).toBe('0.01');
    expect(ms(null)).toBe('—');
    expect(createFormatter('ja', 'UTC').ms(1234.5)).toBe('1,235');
    expect(createFormatter('ja', 'UTC').ms(2.5)).toBe('2.5');
  });

  it('shows a line number as the identifier it is, ungrouped, a count grouped', () => {
    for (const locale of ['en', 'ja'] as const) {
      const fmt = createFormatter(locale, 'UTC');
      expect([fmt.lineNo(1011), fmt.lineNo(1_234_567), fmt.num(1011)]).toEqual([
        '1011',
        '1234567',
        '1,011',
      ]);
    }
    expect(createFormatter('en', 'UTC').lineNo(null)).toBe('—');
  });
});
