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

  it('shows latency with the precision it has, never a non-zero value as 0', () => {
    const ms = createFormatter('en', 'UTC').ms;
    expect([12.5, 0.01, 0.012, 1.2345, 42.25, 870.5, 870.56, 2500.4, 0].map(ms)).toEqual([
      '12.5',
      '0.01',
      '0.012',
      '1.235',
      '42.25',
      '870.5',
      '870.6',
      '2,500',
      '0',
    ]);
    expect(ms(0.0004)).toBe('0.0004');
    expect(ms(null)).toBe('—');
    expect(createFormatter('ja', 'UTC').ms(12.5)).toBe('12.5');
  });
});
